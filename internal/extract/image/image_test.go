package image

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	goimage "image"
	"image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
)

// recorder is a Sink that keeps everything.
type recorder struct {
	text     string
	pages    []extract.Page
	meta     map[string]string
	flags    []string
	attached map[string][]byte
}

func newRecorder() *recorder {
	return &recorder{meta: map[string]string{}, attached: map[string][]byte{}}
}
func (r *recorder) Text(s string)             { r.text += s }
func (r *recorder) Page(p extract.Page)       { r.pages = append(r.pages, p) }
func (r *recorder) Meta(k, v string)          { r.meta[k] = v }
func (r *recorder) Flag(f string)             { r.flags = append(r.flags, f) }
func (r *recorder) Attach(n string, b []byte) { r.attached[n] = b }
func (r *recorder) Child(context.Context, extract.Child) error {
	return errors.New("images have no children")
}

func input(t testing.TB, data []byte) *extract.Input {
	t.Helper()
	p := filepath.Join(t.TempDir(), "img")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	mime, err := sniff.File(p, "img")
	if err != nil {
		t.Fatal(err)
	}
	return &extract.Input{File: p, Name: "img", MIME: mime, Size: int64(len(data)), Limits: leak.DefaultLimits(),
		Log: slog.New(slog.DiscardHandler), TempDir: t.TempDir()}
}

func bombPNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 60000)
	binary.BigEndian.PutUint32(ihdr[4:], 60000)
	ihdr[8] = 8
	b.Write(binary.BigEndian.AppendUint32(nil, 13))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(chunk)))
	return b.Bytes()
}

func TestExtractWithoutOCR(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		wantErr   bool
		wantFlags []string
		wantMeta  map[string]string
	}{
		{
			name:      "jpeg with exif",
			data:      jpegWithAPP1(t, append([]byte("Exif\x00\x00"), exifTIFF(testCamera)...)),
			wantFlags: []string{FlagOCRUnavailable},
			wantMeta: map[string]string{KeyFormat: "jpeg", KeyWidth: "16", KeyHeight: "8",
				KeyMake: "Canon", KeyModel: "Canon EOS 80D", KeySoftware: "Firmware Version 1.0.3",
				KeyDateTimeOriginal: "2021:09:03 14:02:00", KeyOffsetTime: "+08:00",
				KeyGPSLat: "30.54992", KeyGPSLon: "104.07348", KeyGPSAlt: "498"},
		},
		{
			name:      "decompression bomb",
			data:      bombPNG(),
			wantErr:   true,
			wantFlags: []string{FlagTooLarge},
			wantMeta:  map[string]string{KeyFormat: "png", KeyWidth: "60000", KeyHeight: "60000"},
		},
		{
			name:     "not an image",
			data:     []byte("\x89PNG\r\n\x1a\ngarbage"),
			wantErr:  true,
			wantMeta: map[string]string{},
		},
	}
	x := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder()
			err := x.Extract(t.Context(), input(t, tt.data), rec)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantMeta, rec.meta); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFlags, rec.flags); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
	if err := x.Extract(t.Context(), input(t, bombPNG()), newRecorder()); !extract.IsLimit(err) {
		t.Errorf("bomb: got %v, want a *extract.LimitError", err)
	}
}

func TestExtractMissingLanguage(t *testing.T) {
	if _, err := exec.LookPath(ocr.Program); err != nil {
		testenv.Missing(t, "tesseract not installed")
	}
	x := New(Options{OCR: ocr.New(ocr.Options{Langs: "xx_missing"})})
	rec := newRecorder()
	var b bytes.Buffer
	png.Encode(&b, smallImage())
	if err := x.Extract(t.Context(), input(t, b.Bytes()), rec); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{FlagOCRUnavailable}, rec.flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
}

func TestExtractOCR(t *testing.T) {
	if _, err := exec.LookPath(ocr.Program); err != nil {
		testenv.Missing(t, "tesseract not installed")
	}
	img := goimage.NewGray(goimage.Rect(0, 0, 200, 60))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	rec := newRecorder()
	if err := New(Options{OCR: ocr.New(ocr.Options{})}).Extract(t.Context(), input(t, b.Bytes()), rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.pages) != 1 || !rec.pages[0].OCR || rec.pages[0].Number != 1 {
		t.Fatalf("pages %+v, want one OCR page 1", rec.pages)
	}
	if _, ok := rec.attached[ArtifactTSV]; !ok {
		t.Error("no ocr.tsv attached")
	}
	for _, k := range []string{KeyOCRLangs, KeyOCRPSM, KeyOCRConfidence, KeyOCRPasses} {
		if rec.meta[k] == "" {
			t.Errorf("meta %s missing", k)
		}
	}
}

// TestCorpusEXIF checks the EXIF of every photo of leak-sample against its
// ground truth.
func TestCorpusEXIF(t *testing.T) {
	c := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(c, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Files []struct {
			Path string
			EXIF map[string]any `json:"exif"`
		}
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range truth.Files {
		if f.EXIF == nil {
			continue
		}
		n++
		t.Run(f.Path, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(c, "leak-sample", filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			meta, err := Metadata(data)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for k, v := range f.EXIF {
				switch v := v.(type) {
				case string:
					want["exif."+k] = v
				case float64:
					want["exif."+k] = strconv.FormatFloat(v, 'f', -1, 64)
				}
			}
			delete(meta, KeyDateTime) // not in the truth
			if diff := cmp.Diff(want, meta); diff != "" {
				t.Errorf("exif (-want +got):\n%s", diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no photos with EXIF in the truth")
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

// pngHeaderOnly is a PNG signature and IHDR of w x h at a bit depth and
// colour type (0 gray, 6 RGBA), with no pixels: all a header check reads.
func pngHeaderOnly(w, h uint32, depth, ctype byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = depth, ctype
	b.Write(binary.BigEndian.AppendUint32(nil, 13))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(chunk)))
	return b.Bytes()
}

// TestExtractPixelLimit checks that the pixel limit comes from the
// document's leak.Limits and counts decoded bytes: a few hundred bytes of
// PNG header declaring 7000 x 7000 16-bit RGBA (392 MB decoded) is
// refused before any decoding.
func TestExtractPixelLimit(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		maxPixels int64
		refused   bool
	}{
		{name: "16-bit RGBA of 49 megapixels", data: pngHeaderOnly(7000, 7000, 16, 6), refused: true},
		{name: "16-bit RGBA of 25 megapixels", data: pngHeaderOnly(5000, 5000, 16, 6), refused: true},
		{name: "limit from Limits", data: pngHeaderOnly(2000, 2000, 8, 0), maxPixels: 1_000_000, refused: true},
		{name: "under the limit", data: pngHeaderOnly(2000, 2000, 8, 0)},
	}
	x := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, tt.data)
			in.Limits.MaxPixels = tt.maxPixels
			rec := newRecorder()
			err := x.Extract(t.Context(), in, rec)
			refused := extract.IsLimit(err) && slices.Contains(rec.flags, FlagTooLarge)
			if refused != tt.refused {
				t.Errorf("err %v flags %v: refused %v, want %v", err, rec.flags, refused, tt.refused)
			}
		})
	}
}

// TestExtractOCRTimeout checks that an image whose OCR runs out of time
// is flagged ocr-timeout and keeps its metadata instead of failing.
func TestExtractOCRTimeout(t *testing.T) {
	if _, err := exec.LookPath(ocr.Program); err != nil {
		testenv.Missing(t, "tesseract not installed")
	}
	var b bytes.Buffer
	if err := png.Encode(&b, goimage.NewGray(goimage.Rect(0, 0, 64, 32))); err != nil {
		t.Fatal(err)
	}
	eng := ocr.New(ocr.Options{Langs: "eng", TradLangs: "-", LatinLangs: "-"})
	if _, err := eng.Ready(t.Context()); err != nil {
		testenv.Missing(t, "tesseract not usable: %v", err)
	}
	in := input(t, b.Bytes())
	in.Limits.ToolTimeout = time.Nanosecond
	rec := newRecorder()
	if err := New(Options{OCR: eng}).Extract(t.Context(), in, rec); err != nil {
		t.Fatalf("err = %v, want the image kept with a flag", err)
	}
	if !slices.Contains(rec.flags, FlagOCRTimeout) || rec.meta[KeyWidth] != "64" {
		t.Errorf("flags %v meta %v, want %s and the width", rec.flags, rec.meta, FlagOCRTimeout)
	}
}
