package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/leak"
)

// TestGlossary ingests a Chinese target table and an English report that
// name one organisation in two ways no rule ties together, and checks
// that `glossary add` merges them in the register, that export writes
// the entry, and that `glossary remove` splits them again.
func TestGlossary(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a small case")
	}
	src := filepath.Join(t.TempDir(), "dump")
	if err := os.Mkdir(src, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"t.tsv": "单位\t国家\t数据量\t时间\n北极星港务局\t挪威\t2.5G\t2021-05\n",
		"r.txt": "Mail of the Nordhavn Harbour Board was exfiltrated in 2021-06.\n",
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(src, n), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "case")
	g := testGlobals(dir, io.Discard)
	if err := runIngest(t.Context(), &ingestOptions{limits: leak.DefaultLimits(), workers: 1}, g, []string{src}); err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		t.Helper()
		c, err := casedir.Open(t.Context(), dir, casedir.ReadOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ts, err := enrich.LoadTargets(t.Context(), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tg := range ts {
			out = append(out, tg.Name)
		}
		slices.Sort(out)
		return out
	}
	if got := names(); len(got) != 2 {
		t.Fatalf("before the glossary: %q, want two targets", got)
	}
	if err := runGlossary(t.Context(), g, glossaryAdd, []string{"北极星港务局", "Nordhavn Harbour Board"}, "no"); err != nil {
		t.Fatal(err)
	}
	if got := names(); len(got) != 1 || got[0] != "Nordhavn Harbour Board" {
		t.Errorf("after glossary add: %q, want [Nordhavn Harbour Board]", got)
	}
	var out bytes.Buffer
	g.stdout = &out
	if err := runGlossary(t.Context(), g, glossaryExport, nil, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"country": "NO"`) || !strings.Contains(out.String(), "北极星港务局") {
		t.Errorf("export = %s", out.String())
	}
	if err := runGlossary(t.Context(), g, glossaryRemove, []string{"nordhavn harbour board"}, ""); err != nil {
		t.Fatal(err)
	}
	if got := names(); len(got) != 2 {
		t.Errorf("after glossary remove: %q, want two targets", got)
	}
	if err := runGlossary(t.Context(), g, glossaryRemove, []string{"Acme"}, ""); exitCode(err) != exitUsage {
		t.Errorf("remove of an unknown name: %v, want a usage error", err)
	}
}
