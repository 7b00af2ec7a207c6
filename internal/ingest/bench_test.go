package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/ingest"
)

// BenchmarkIngestSmallFiles ingests 2,000 small text files per iteration
// and reports files/s; compare with BenchmarkReadSmallFiles, the bare
// read of the same files in the same run.
func BenchmarkIngestSmallFiles(b *testing.B) {
	src := smallFiles(b, 2000)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		c, err := casedir.Open(context.Background(), filepath.Join(dir, "case"), casedir.Write)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := ingest.New(c, ingest.Options{}).Run(context.Background(), []string{src}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkReadSmallFiles is the baseline of BenchmarkIngestSmallFiles.
func BenchmarkReadSmallFiles(b *testing.B) {
	src := smallFiles(b, 2000)
	for b.Loop() {
		filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				os.ReadFile(p)
			}
			return nil
		})
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "files/s")
}

func smallFiles(b *testing.B, n int) string {
	dir := b.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%40))
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("%05d.txt", i)), []byte(fmt.Sprintf("record %d 数据 192.0.2.%d\n", i, i%250)), 0o644)
	}
	return dir
}
