package pdf

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/testenv"
)

func TestParseBoxes(t *testing.T) {
	out := []byte(`Pages:           2
Page    1 size:  612 x 792 pts (letter)
Page    1 rot:   0
Page    1 MediaBox:      0.00     0.00   612.00   792.00
Page    1 CropBox:       0.00     0.00   612.00   792.00
Page    2 MediaBox:      0.00     0.00 14400.00 14400.00
Page    2 CropBox:     100.00   100.00   200.00   200.00
Page    3 MediaBox:      0.00     0.00      nan      inf
`)
	want := map[int]pageBox{1: {612, 792}, 2: {14400, 14400}}
	if diff := cmp.Diff(want, parseBoxes(out), cmp.AllowUnexported(pageBox{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRenderDPI checks the named rule that keeps a rasterised page under
// the pixel limit: fit as is, scale down, or refuse.
func TestRenderDPI(t *testing.T) {
	tests := []struct {
		name       string
		box        pageBox
		want       int
		downscaled bool
		ok         bool
	}{
		{name: "letter fits", box: pageBox{612, 792}, want: 150, ok: true},
		{name: "A0 fits", box: pageBox{2384, 3370}, want: 150, ok: true},
		{name: "wall poster is scaled", box: pageBox{4000, 5000}, want: 101, downscaled: true, ok: true},
		{name: "200 inch square is refused", box: pageBox{14400, 14400}},
		{name: "empty box is refused", box: pageBox{0, 792}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, down, ok := renderDPI(tt.box, 150, 40_000_000)
			if got != tt.want || down != tt.downscaled || ok != tt.ok {
				t.Errorf("renderDPI = %d, %v, %v; want %d, %v, %v", got, down, ok, tt.want, tt.downscaled, tt.ok)
			}
		})
	}
}

// blankPagesPDF has one empty page (no text layer) per box, in points.
func blankPagesPDF(boxes ...[2]int) []byte {
	kids := make([]string, len(boxes))
	for i := range boxes {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(boxes)),
	}
	for _, b := range boxes {
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>", b[0], b[1]))
	}
	return buildPDF(objs, "")
}

// TestExtractHugePage checks that a textless page declared 200 inches
// square (a few hundred bytes of PDF, 900 megapixels at 150 DPI) is not
// rasterised, and that a large but sane page is rendered smaller, both
// recorded as flags while the document itself succeeds.
func TestExtractHugePage(t *testing.T) {
	needPoppler(t)
	if err := ocr.Available(t.Context()); err != nil {
		testenv.Missing(t, "%v", err)
	}
	x := New(Options{OCR: ocr.New(ocr.Options{})})
	in := input(t, blankPagesPDF([2]int{14400, 14400}, [2]int{1224, 1584}))
	in.Limits.MaxPixels = 2_000_000
	rec := &recorder{Meta: map[string]string{}}
	if err := x.Extract(t.Context(), in, metaSink{rec}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FlagPageTooLarge, FlagPageDownscaled} {
		if !slices.Contains(rec.Flags, f) {
			t.Errorf("flags %v, want %s", rec.Flags, f)
		}
	}
	if rec.Meta[KeyPagesTooLarge] != "1" || rec.Meta[KeyOCRPages] != "1" {
		t.Errorf("meta %v, want one page too large and one OCR'd", rec.Meta)
	}
}

// TestExtractPageOCRTimeout checks that a page whose OCR times out is a
// flag on the document, not its failure.
func TestExtractPageOCRTimeout(t *testing.T) {
	needPoppler(t)
	if err := ocr.Available(t.Context()); err != nil {
		testenv.Missing(t, "%v", err)
	}
	x := New(Options{OCR: ocr.New(ocr.Options{Timeout: time.Nanosecond})})
	rec := &recorder{Meta: map[string]string{}}
	if err := x.Extract(t.Context(), input(t, scanPDF(t, []string{"INVOICE 4711"})), metaSink{rec}); err != nil {
		t.Fatalf("err = %v, want the document kept with a flag", err)
	}
	if !slices.Contains(rec.Flags, FlagOCRTimeout) || rec.Meta[KeyOCRTimeouts] != "1" || len(rec.Pages) != 1 {
		t.Errorf("flags %v meta %v pages %d, want %s on one page", rec.Flags, rec.Meta, len(rec.Pages), FlagOCRTimeout)
	}
}

// FuzzParseBoxes checks that hostile pdfinfo output (a PDF controls its
// own numbers) never panics and yields only finite, non-negative sizes
// that renderDPI keeps under the limit.
func FuzzParseBoxes(f *testing.F) {
	f.Add([]byte("Page    1 MediaBox:      0.00     0.00   612.00   792.00\n"))
	f.Add([]byte("Page    2 CropBox:  -1e308 0 1e308 1e308\nPage 0 MediaBox: 1 2 3 4\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for n, pb := range parseBoxes(b) {
			if n < 1 || pb.w < 0 || pb.h < 0 || math.IsNaN(pb.w) || math.IsNaN(pb.h) {
				t.Fatalf("page %d box %+v", n, pb)
			}
			if dpi, _, ok := renderDPI(pb, 150, 40_000_000); ok && (pb.w/72*float64(dpi))*(pb.h/72*float64(dpi)) > 40_000_000 {
				t.Fatalf("page %d box %+v at %d DPI is over the limit", n, pb, dpi)
			}
		}
	})
}
