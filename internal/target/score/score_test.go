package score

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/target"
)

func TestScore(t *testing.T) {
	truth := &Truth{Targets: []TruthTarget{
		{ID: "T1", Name: "Ministry of Finance (India)", NamesInCorpus: []string{"印度财政部"}, Country: "IN", VolumeBytes: 1395864371, VolumeBytesDecimal: 1300000000, Date: "2021-06"},
		{ID: "T2", Name: "NATO", NamesInCorpus: []string{"北约", "NATO"}, Country: "INT", Date: "2022-03"},
	}}
	got := []target.Target{
		{Name: "Ministry of Finance (India)", Aliases: []string{"印度财政部"}, Country: "IN", VolumeBytes: 1300000000, FirstSeen: "2021-06-03", LastSeen: "2021-06-11"},
		{Name: "回传公司", Country: ""},
	}
	r := Score(got, truth)
	want := Report{Truth: 2, Predicted: 2, TruePositives: 1, Found: 1, Precision: 0.5, Recall: 0.5, Country: 1, Volume: 1, Date: 1,
		Rows:               []Row{{ID: "T1", Name: "Ministry of Finance (India)", Found: "Ministry of Finance (India)", CountryOK: true, VolumeOK: true, DateOK: true}, {ID: "T2", Name: "NATO"}},
		FalsePositiveNames: []string{"回传公司"}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestScoreEntities(t *testing.T) {
	truth := &Truth{Entities: map[string][]TruthEntity{"ipv4": {{Value: "192.0.2.14", Forms: []string{"192.0.2[.]14"}}, {Value: "203.0.113.77"}}}}
	got := ScoreEntities([]Entity{{Type: "ipv4", Value: "192.0.2.14"}, {Type: "ipv4", Value: "10.0.0.1"}}, truth)
	want := []EntityReport{{Type: "ipv4", Truth: 2, Predicted: 2, TP: 1, Precision: 0.5, Recall: 0.5, Missed: []string{"203.0.113.77"}, FalsePositive: []string{"10.0.0.1"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
