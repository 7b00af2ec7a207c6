package ocr

import (
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/tool"
)

var benchLines = []string{"INVOICE 4711 PAID 2021-07-05", "TOTAL 4200 USD REF ALPHA", "VPN 203.0.113.7 BRAVO CHARLIE"}

// BenchmarkImage is the whole strategy on one page: pages/s per core (each
// tesseract run is single-threaded) and the share of time outside
// tesseract (decode, grayscale, PNG, TSV parsing): our overhead.
func BenchmarkImage(b *testing.B) {
	needTesseract(b)
	p := renderLatin(b, benchLines)
	e := New(Options{})
	dir := b.TempDir()
	start := time.Now()
	n := 0
	for b.Loop() {
		if _, err := e.Image(b.Context(), p, dir); err != nil {
			b.Fatal(err)
		}
		n++
	}
	total := time.Since(start)
	b.ReportMetric(float64(n)/total.Seconds(), "pages/s/core")
	b.ReportMetric(100*(1-e.ToolTime().Seconds()/total.Seconds()), "%overhead")
}

// BenchmarkRawTesseract is the baseline: one bare `tesseract --psm 6 -l
// chi_sim+eng` run on the same colour image, no preprocessing.
func BenchmarkRawTesseract(b *testing.B) {
	needTesseract(b)
	p := renderLatin(b, benchLines)
	start := time.Now()
	n := 0
	for b.Loop() {
		if _, err := tool.Run(b.Context(), tool.Cmd{Name: Program, Args: []string{p, "stdout", "--psm", "6", "-l", DefaultLangs, "tsv"},
			Env: []string{"OMP_THREAD_LIMIT=1"}}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "pages/s/core")
}
