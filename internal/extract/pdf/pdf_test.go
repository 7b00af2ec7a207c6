package pdf

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/testenv"
)

func golden(t *testing.T, got []byte) {
	t.Helper()
	lsgolden.Check(t, lsgolden.Path(t), got)
}

type recorder struct {
	Pages    []extract.Page
	Meta     map[string]string
	Flags    []string
	Attached []string
}

func (r *recorder) Text(string)               {}
func (r *recorder) Page(p extract.Page)       { r.Pages = append(r.Pages, p) }
func (r *recorder) Flag(f string)             { r.Flags = append(r.Flags, f) }
func (r *recorder) Attach(n string, _ []byte) { r.Attached = append(r.Attached, n) }
func (r *recorder) Child(context.Context, extract.Child) error {
	return errors.New("pdfs have no children here")
}

// metaSink adapts recorder to extract.Sink (Meta is a method name and a
// field name of the recorder's JSON form).
type metaSink struct{ *recorder }

func (m metaSink) Meta(k, v string) { m.recorder.Meta[k] = v }

func needPoppler(t testing.TB) {
	t.Helper()
	for _, p := range []string{"pdftotext", "pdfinfo", "pdftoppm"} {
		if _, err := exec.LookPath(p); err != nil {
			testenv.Missing(t, "%s not installed", p)
		}
	}
}

func input(t testing.TB, data []byte) *extract.Input {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	l := leak.DefaultLimits()
	l.ToolTimeout = 30 * time.Second
	return &extract.Input{File: p, Name: "doc.pdf", MIME: "application/pdf", Size: int64(len(data)), Limits: l,
		Log: slog.New(slog.DiscardHandler), TempDir: t.TempDir()}
}

// TestExtractText checks metadata and text-layer pages against golden
// files; OCR is off, so the output is deterministic.
func TestExtractText(t *testing.T) {
	needPoppler(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"one_page", textPDF([]string{"Hello leakscope\nVPN 203.0.113.7 since 2021-07-02"}, testInfo)},
		{"three_pages", textPDF([]string{"Page one text here", "Page two text here", "Page three text here"}, "")},
		{"scan_without_ocr", scanPDF(t, []string{"SCANNED"})},
	}
	x := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{Meta: map[string]string{}}
			if err := x.Extract(t.Context(), input(t, tt.data), metaSink{rec}); err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(rec, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, append(b, '\n'))
		})
	}
}

func TestExtractCorrupt(t *testing.T) {
	needPoppler(t)
	good := textPDF([]string{"Salvage me please"}, testInfo)
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"truncated trailer", good[:len(good)*2/3], ""},
		{"header only", []byte("%PDF-1.4\n"), "pdfinfo"},
		{"broken xref number", append(good[:len(good)-40:len(good)-40], []byte("startxref\n999999\n%%EOF\n")...), ""},
	}
	x := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{Meta: map[string]string{}}
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			err := x.Extract(ctx, input(t, tt.data), metaSink{rec})
			if ctx.Err() != nil {
				t.Fatal("extraction hung")
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			// Either a clear error or salvaged text; never both silent.
			if err == nil && len(rec.Pages) == 0 {
				t.Fatal("no error and no pages")
			}
		})
	}
}

func TestExtractScanOCR(t *testing.T) {
	needPoppler(t)
	if err := ocr.Available(t.Context()); err != nil {
		testenv.Missing(t, "%v", err)
	}
	x := New(Options{OCR: ocr.New(ocr.Options{})})
	rec := &recorder{Meta: map[string]string{}}
	if err := x.Extract(t.Context(), input(t, scanPDF(t, []string{"INVOICE 4711", "PAID 2021-07-05"})), metaSink{rec}); err != nil {
		t.Fatal(err)
	}
	if len(rec.Pages) != 1 || !rec.Pages[0].OCR || rec.Pages[0].Confidence <= 0 {
		t.Fatalf("pages %+v, want one OCR page", rec.Pages)
	}
	text := strings.Join(strings.Fields(rec.Pages[0].Text), "")
	for _, w := range []string{"INVOICE", "4711", "PAID", "2021-07-05"} {
		if !strings.Contains(text, w) {
			t.Errorf("%q not recalled in %q", w, rec.Pages[0].Text)
		}
	}
	if diff := cmp.Diff([]string{FlagNoTextLayer}, rec.Flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ocr-p1.tsv"}, rec.Attached); diff != "" {
		t.Errorf("attached (-want +got):\n%s", diff)
	}
	if rec.Meta[KeyOCRPages] != "1" {
		t.Errorf("ocr.pages %q", rec.Meta[KeyOCRPages])
	}
}

func TestExtractOCRCap(t *testing.T) {
	needPoppler(t)
	if err := ocr.Available(t.Context()); err != nil {
		testenv.Missing(t, "%v", err)
	}
	// Three empty pages: all textless, cap 1.
	x := New(Options{OCR: ocr.New(ocr.Options{}), MaxOCRPages: 1})
	rec := &recorder{Meta: map[string]string{}}
	if err := x.Extract(t.Context(), input(t, textPDF([]string{"", "", ""}, "")), metaSink{rec}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{FlagNoTextLayer, FlagOCRCapped}, rec.Flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	if rec.Meta[KeyOCRSkipped] != "2" || len(rec.Pages) != 3 {
		t.Errorf("skipped %q, %d pages", rec.Meta[KeyOCRSkipped], len(rec.Pages))
	}
}

func TestSplitPages(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"one", "a\f", []string{"a"}},
		{"two", "a\fb\f", []string{"a", "b"}},
		{"blank middle", "a\f\fc\f", []string{"a", "", "c"}},
		{"no trailing ff", "a", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, SplitPages(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCorpusCorrupt runs the corrupt PDFs of leak-sample: a clear error
// quoting poppler, or salvaged text, within the time limit.
func TestCorpusCorrupt(t *testing.T) {
	needPoppler(t)
	c := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(c, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Files []struct{ Path, Format string }
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range truth.Files {
		if f.Format != "pdf-corrupt" {
			continue
		}
		n++
		t.Run(f.Path, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(c, "leak-sample", filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{Meta: map[string]string{}}
			err = New(Options{}).Extract(t.Context(), input(t, data), metaSink{rec})
			if err == nil && len(rec.Pages) == 0 {
				t.Fatal("no error and no text")
			}
			if err != nil && !strings.Contains(err.Error(), "pdfinfo") {
				t.Errorf("error %q does not name the tool", err)
			}
			t.Logf("%v", err)
		})
	}
	if n == 0 {
		t.Fatal("no corrupt PDFs in the truth")
	}
}

func corpusDir(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.MissingCorpus(t, "module root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(c, "leak-sample.truth.json")); err != nil {
		testenv.MissingCorpus(t, "shared corpus absent")
	}
	return c
}

// TestExtractPassword checks that a PDF with a user password (made with
// qpdf --encrypt, AES-256) is reported as encrypted, not as a parse error.
func TestExtractPassword(t *testing.T) {
	needPoppler(t)
	data, err := os.ReadFile("testdata/password.pdf")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Meta: map[string]string{}}
	err = New(Options{}).Extract(t.Context(), input(t, data), metaSink{rec})
	if !errors.Is(err, extract.ErrEncrypted) {
		t.Fatalf("err %v, want ErrEncrypted", err)
	}
	if !slices.Contains(rec.Flags, FlagEncrypted) {
		t.Errorf("flags %v, want %s", rec.Flags, FlagEncrypted)
	}
}

func TestPasswordNeeded(t *testing.T) {
	tests := []struct {
		name, stderr string
		want         bool
	}{
		{"user password", "Command Line Error: Incorrect password\n", true},
		{"damaged file", "Syntax Error: Couldn't find trailer dictionary\n", false},
		{"nothing", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := passwordNeeded(tt.stderr); got != tt.want {
				t.Errorf("passwordNeeded(%q) = %v", tt.stderr, got)
			}
		})
	}
}
