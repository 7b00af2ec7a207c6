package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// BenchmarkFoundAndFinish measures the two transactions every stored file
// costs: recording it (Found) and committing its extraction.
func BenchmarkFoundAndFinish(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "case.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := 0
	for b.Loop() {
		id := leak.Hash([]byte(fmt.Sprint(i)))
		o := Occurrence{Root: "/r", Path: fmt.Sprintf("d/%d.txt", i), Doc: id, Size: 10}
		if _, _, err := s.Found(b.Context(), 10, o, StageExtract, 1); err != nil {
			b.Fatal(err)
		}
		if err := s.FinishExtract(b.Context(), id, Extracted{Version: 1, Status: "ok", Text: "some text"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
