package pdf

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/testenv"
)

// BenchmarkExtractText measures text-layer extraction throughput (MB/s of
// PDF) and reports the share of wall time spent outside poppler: our
// overhead.
func BenchmarkExtractText(b *testing.B) {
	needPoppler(b)
	pages := make([]string, 40)
	for i := range pages {
		pages[i] = strings.Repeat(fmt.Sprintf("Line %d of page %d with VPN 203.0.113.%d\n", i, i, i%250), 40)
	}
	data := textPDF(pages, testInfo)
	in := input(b, data)
	x := New(Options{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		rec := &recorder{Meta: map[string]string{}}
		if err := x.Extract(b.Context(), in, metaSink{rec}); err != nil {
			b.Fatal(err)
		}
	}
	total := time.Since(start)
	b.ReportMetric(100*(1-x.ToolTime().Seconds()/total.Seconds()), "%overhead")
}

// BenchmarkExtractScanOCR measures scanned-page OCR: pages/s per core
// (tesseract is single-threaded per run) and our overhead share.
func BenchmarkExtractScanOCR(b *testing.B) {
	needPoppler(b)
	if err := ocr.Available(b.Context()); err != nil {
		testenv.Missing(b, "%v", err)
	}
	in := input(b, scanPDF(b, []string{"INVOICE 4711 PAID", "TOTAL 4200 USD 2021-07-05", "REF ALPHA BRAVO CHARLIE"}))
	eng := ocr.New(ocr.Options{})
	x := New(Options{OCR: eng})
	start := time.Now()
	n := 0
	for b.Loop() {
		rec := &recorder{Meta: map[string]string{}}
		if err := x.Extract(b.Context(), in, metaSink{rec}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	total := time.Since(start)
	b.ReportMetric(float64(n)/total.Seconds(), "pages/s/core")
	b.ReportMetric(100*(1-(x.ToolTime()+eng.ToolTime()).Seconds()/total.Seconds()), "%overhead")
}
