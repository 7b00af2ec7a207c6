package authenticity

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/leakscope/leakscope/internal/golden"
)

// TestReportGolden ingests the planted dump and compares the report, as
// JSON and as the Markdown section, with its golden files. The three
// planted contradictions must be found, each on its own document, and
// their clean counter-parts must not.
func TestReportGolden(t *testing.T) {
	c := plantedCase(t)
	in, err := Load(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Docs) == 0 {
		t.Fatal("no documents ingested")
	}
	r := Build(in, DefaultParams(testNow))
	want := map[string]string{
		RuleModifiedBeforeCreated: "Nordhavn/report.docx",
		RuleProducerAfterDate:     "Nordhavn/plan.pdf",
		RuleEXIFAfterMail:         "mail/order.eml!/crate.jpg",
	}
	got := map[string][]string{}
	for _, f := range r.Findings {
		got[f.Rule] = append(got[f.Rule], f.Evidence[0].Path)
	}
	for rule, path := range want {
		if len(got[rule]) != 1 || got[rule][0] != path {
			t.Errorf("%s: found on %v, want only on %s", rule, got[rule], path)
		}
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/golden/TestReportGolden/planted.json.golden", append(js, '\n'))
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/golden/TestReportGolden/planted.md.golden", md.Bytes())
}
