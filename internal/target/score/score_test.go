package score

import (
	"os"
	"path/filepath"
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
		DistinctPrecision: 0.5, Names: 1,
		Rows:               []Row{{ID: "T1", Name: "Ministry of Finance (India)", Found: "Ministry of Finance (India)", CountryOK: true, VolumeOK: true, DateOK: true, NameOK: true}, {ID: "T2", Name: "NATO"}},
		FalsePositiveNames: []string{"回传公司"}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestScoreSplitAndEvidence: an organisation split in two counts once in
// the distinct precision; a Chinese display name is not the English name;
// evidence is the share of the truth's files attached.
func TestScoreSplitAndEvidence(t *testing.T) {
	truth := &Truth{Targets: []TruthTarget{{ID: "T1", Name: "Castellano Shipping", NamesZh: []string{"卡斯特拉诺航运"}, OtherNames: []string{"Castellano"},
		Country: "IT", Evidence: []string{"a.xlsx", "b.txt"}}}}
	got := []target.Target{
		{Name: "卡斯特拉诺航运 (Italy)", Aliases: []string{"卡斯特拉诺航运"}, Country: "IT", Evidence: []target.Evidence{{Path: "a.xlsx"}}},
		{Name: "Castellano Shipping", Aliases: []string{"Castellano Shipping"}, Country: "IT"},
	}
	r := Score(got, truth)
	if r.Precision != 1 || r.DistinctPrecision != 0.5 || r.Names != 0 || r.Evidence != 0.5 {
		t.Errorf("precision %.2f distinct %.2f names %.2f evidence %.2f; want 1, 0.5, 0, 0.5", r.Precision, r.DistinctPrecision, r.Names, r.Evidence)
	}
	if !nameOK("Castellano", truth.Targets[0]) || nameOK("Castellano Lines", truth.Targets[0]) {
		t.Error("nameOK does not accept other names only")
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

func TestEvalCase(t *testing.T) {
	dir := t.TempDir()
	truthPath := filepath.Join(dir, "truth.json")
	truth := `{"schema":"leak-corpus-truth/1","targets":[{"id":"T1","name":"Zong (telecom operator, Pakistan)","names_in_corpus":["Zong"],"country":"PK","volume_bytes":298500227072,"date":"2022-01"}],
"entities":{"domain":[{"value":"mofa-pk.test"}]}}`
	if err := os.WriteFile(truthPath, []byte(truth), 0o644); err != nil {
		t.Fatal(err)
	}
	targets := `[{"name":"Zong","aliases":["巴基斯坦Zong电信"],"country":"PK","sector":"telecommunications","data_types":[],"volume_bytes":298500227072,"records":0,"first_seen":"2022-01","last_seen":"2022-03-03","confidence":0.98,"evidence":[]}]`
	entities := `[{"type":"domain","value":"mofa-pk.test","count":3,"paths":["a"]},{"type":"domain","value":"example.org","count":1,"paths":["b"]}]`
	tests := []struct {
		name              string
		targets, entities string
		wantRecall        float64
		wantEntities      []EntityReport
		wantErr           bool
	}{
		{name: "both", targets: targets, entities: entities, wantRecall: 1,
			wantEntities: []EntityReport{{Type: "domain", Truth: 1, Predicted: 2, TP: 1, Precision: 0.5, Recall: 1, FalsePositive: []string{"example.org"}}}},
		{name: "no entities", targets: targets, wantRecall: 1},
		{name: "empty register", targets: `[]`, wantRecall: 0},
		{name: "bad targets", targets: `{`, wantErr: true},
		{name: "bad entities", targets: targets, entities: `[1]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, ents, err := EvalCase(truthPath, []byte(tt.targets), []byte(tt.entities))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if rep.Recall != tt.wantRecall {
				t.Errorf("recall %v, want %v (%v)", rep.Recall, tt.wantRecall, rep)
			}
			if diff := cmp.Diff(tt.wantEntities, ents); diff != "" {
				t.Errorf("entities (-want +got)\n%s", diff)
			}
		})
	}
	if _, _, err := EvalCase(filepath.Join(dir, "missing.json"), []byte(targets), nil); err == nil {
		t.Error("missing truth file: no error")
	}
}
