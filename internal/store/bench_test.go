package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// BenchmarkFoundAndFinish measures what every new file costs the store: a
// read of its stage state and one transaction recording the document, its
// occurrence and its extraction.
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
		if _, err := s.StageDone(b.Context(), id, StageExtract, 1); err != nil {
			b.Fatal(err)
		}
		if _, err := s.FinishExtract(b.Context(), id, Extracted{Version: 1, Status: "ok", Text: "some text", Size: 10, Occ: &o}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
