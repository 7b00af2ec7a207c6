package bleve

import (
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/indextest"
)

func TestConformance(t *testing.T) {
	indextest.Run(t, func(t *testing.T) index.Index {
		x, err := Open(filepath.Join(t.TempDir(), "index"))
		if err != nil {
			t.Fatal(err)
		}
		return x
	})
}

func TestReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case", "index")
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(t.Context(), indextest.Corpus()...); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	x, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(t.Context(), index.Query{Text: "護照"})
	if err != nil || res.Total != 2 {
		t.Fatalf("after reopen: total %d, %v; want 2 (the analyzer must be found by name)", res.Total, err)
	}
}
