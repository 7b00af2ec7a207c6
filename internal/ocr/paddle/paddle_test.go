package paddle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/testenv"
)

// installed returns the runtime and model paths, or stops the test: a
// skip locally, a failure under LEAKSCOPE_STRICT=1 (CI installs them).
func installed(t *testing.T) Paths {
	t.Helper()
	p, err := Find()
	if err != nil {
		testenv.Missing(t, "%v", err)
	}
	return p
}

// render draws lines of text in the Go font on white, black ink, at size
// px, and writes the PNG into dir.
func render(t *testing.T, dir string, lines []string, size float64) string {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	lh := int(size * 2)
	img := image.NewRGBA(image.Rect(0, 0, int(size)*len(lines[0])+int(4*size), lh*len(lines)+int(size)))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(int(size), lh*(i+1))
		d.DrawString(l)
	}
	p := filepath.Join(dir, "text.png")
	writePNG(t, p, img)
	return p
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadsRenderedText is the engine end to end on the real runtime and
// models: a generated image it must read exactly, line by line, with the
// lines in reading order and word boxes in the TSV.
func TestReadsRenderedText(t *testing.T) {
	installed(t)
	e := New(Options{})
	lines := []string{"Nordhavn Shipping 2024", "Invoice 4471-B", "2024-03-15"}
	path := render(t, t.TempDir(), lines, 28)
	r, err := e.Image(t.Context(), path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Text, strings.Join(lines, "\n"); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if r.Engine != ocr.EnginePaddle || r.Model != ModelVersion {
		t.Errorf("engine %q model %q", r.Engine, r.Model)
	}
	if r.Confidence < 80 {
		t.Errorf("confidence %.1f < 80 on clean text", r.Confidence)
	}
	words, err := ocr.ParseTSV(r.TSV)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	prevX := -1
	for _, w := range words {
		if w.Level != ocr.LevelWord || w.Line != 1 {
			continue
		}
		got = append(got, w.Text)
		if w.Left <= prevX || w.Width <= 0 || w.Height <= 0 {
			t.Errorf("word %q box %d+%d after x %d: not left to right", w.Text, w.Left, w.Width, prevX)
		}
		prevX = w.Left
	}
	if strings.Join(got, " ") != lines[0] {
		t.Errorf("line 1 words %q, want %q", got, lines[0])
	}
}

// TestUpsideDown checks the angle classifier: a line turned half a turn
// is read as upright.
func TestUpsideDown(t *testing.T) {
	installed(t)
	dir := t.TempDir()
	path := render(t, dir, []string{"Acme Telecom 1998"}, 32)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	m := toRGBA(img)
	rot180(m)
	r, err := New(Options{}).Recognise(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	// Spaces are the recogniser's weakest output; the characters and
	// their order are what the classifier's turn must restore.
	if got := strings.Join(strings.Fields(r.Text), ""); got != "AcmeTelecom1998" {
		t.Errorf("text %q, want Acme Telecom 1998 (spaces aside)", r.Text)
	}
}

// TestConcurrent runs one engine from several goroutines: the session is
// shared and every result is the same.
func TestConcurrent(t *testing.T) {
	installed(t)
	e := New(Options{Workers: 2})
	path := render(t, t.TempDir(), []string{"Nordhavn 42"}, 28)
	var wg sync.WaitGroup
	texts := make([]string, 4)
	errs := make([]error, 4)
	for i := range texts {
		wg.Go(func() {
			r, err := e.Image(t.Context(), path, "")
			texts[i], errs[i] = r.Text, err
		})
	}
	wg.Wait()
	for i := range texts {
		if errs[i] != nil || texts[i] != "Nordhavn 42" {
			t.Errorf("run %d: %q, %v", i, texts[i], errs[i])
		}
	}
}

// hugePNG writes a valid PNG header declaring w x h pixels over one row
// of data: a decompression bomb's shape, a few bytes on disk.
func hugePNG(t *testing.T, path string, w, h uint32) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	p := b.Bytes()
	// IHDR data starts at 16: signature (8), length (4), type (4).
	binary.BigEndian.PutUint32(p[16:], w)
	binary.BigEndian.PutUint32(p[20:], h)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	if err := os.WriteFile(path, p, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostile: bad input is an error with a reason, never a crash, and
// the pixel limit is checked before decoding (and before the models are
// even needed).
func TestHostile(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.png")
	hugePNG(t, huge, 30000, 30000)
	trunc := filepath.Join(dir, "trunc.png")
	path := render(t, t.TempDir(), []string{"Acme"}, 20)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(trunc, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	notImage := filepath.Join(dir, "x.png")
	if err := os.WriteFile(notImage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := Paths{Runtime: filepath.Join(dir, "none.so"), Models: dir}
	tests := []struct {
		name    string
		paths   Paths
		file    string
		needRT  bool
		wantErr error  // errors.Is target, or nil
		wantMsg string // substring of the error
	}{
		{name: "30000x30000 refused before decoding", paths: missing, file: huge, wantErr: ocr.ErrTooLarge},
		{name: "missing runtime", paths: missing, file: path, wantErr: ErrNotInstalled, wantMsg: "none.so"},
		{name: "not an image", paths: missing, file: notImage, wantMsg: "decode config"},
		{name: "truncated png", file: trunc, needRT: true, wantMsg: "decode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needRT {
				tt.paths = installed(t)
			}
			_, err := New(Options{Paths: tt.paths}).Image(t.Context(), tt.file, "")
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

// TestCorruptModel: a model file that is not ONNX is reported by Ready
// with the file's name, and every later call gets the same answer.
func TestCorruptModel(t *testing.T) {
	real := installed(t)
	dir := t.TempDir()
	for _, f := range []string{RecModel, ClsModel, KeysFile} {
		b, err := os.ReadFile(filepath.Join(real.Models, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, DetModel), bytes.Repeat([]byte{0xde, 0xad}, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	e := New(Options{Paths: Paths{Runtime: real.Runtime, Models: dir}})
	first, err := e.Ready(t.Context())
	if err == nil || !first || !strings.Contains(err.Error(), DetModel) {
		t.Fatalf("Ready = %v, %v; want first and an error naming %s", first, err, DetModel)
	}
	again, err2 := e.Ready(t.Context())
	if again || err2 == nil {
		t.Errorf("second Ready = %v, %v; want the cached error", again, err2)
	}
	path := render(t, t.TempDir(), []string{"Acme"}, 20)
	if _, err := e.Image(t.Context(), path, ""); err == nil {
		t.Error("Image with a corrupt model: no error")
	}
}

// TestFurnitureOutOfText: a phone status bar's clock is kept out of the
// text but stays in the TSV for the chat parser.
func TestFurnitureOutOfText(t *testing.T) {
	installed(t)
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	img := image.NewRGBA(image.Rect(0, 0, 1080, 1600))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	d.Dot = fixed.P(40, 45)
	d.DrawString("09:41")
	d.Dot = fixed.P(300, 300)
	d.DrawString("Nordhavn Shipping")
	r, err := New(Options{}).Recognise(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Nordhavn Shipping" {
		t.Errorf("text %q, want the message without the clock", r.Text)
	}
	if !bytes.Contains(r.TSV, []byte("\t09:41\n")) {
		t.Errorf("TSV lost the status bar line:\n%s", r.TSV)
	}
}

// upsideDownCls is an angle classifier that calls every line upside down
// with high confidence, as the real one does for some light-on-dark
// terminal lines.
type upsideDownCls struct{}

func (upsideDownCls) run(_ []float32, shape []int64, use func([]float32, []int64) error) error {
	out := make([]float32, 2*shape[0])
	for i := range shape[0] {
		out[2*i], out[2*i+1] = 0.01, 0.99
	}
	return use(out, []int64{shape[0], 2})
}
func (upsideDownCls) close() error { return nil }

// TestWrongTurnReadBothWays: a line the classifier wrongly calls upside
// down is still read upright, because both readings are recognised and
// the more confident one kept.
func TestWrongTurnReadBothWays(t *testing.T) {
	installed(t)
	e := New(Options{})
	if _, err := e.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	m := *e.m // the loaded models are shared: change a copy
	m.cls = upsideDownCls{}
	e.m = &m
	path := render(t, t.TempDir(), []string{"Invoice 4471-B"}, 28)
	r, err := e.Image(t.Context(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Invoice 4471-B" {
		t.Errorf("text %q, want the upright reading", r.Text)
	}
}

// TestPathological: images of odd shapes and pure noise are read without
// an error (and without text that is not there, for the blank ones).
func TestPathological(t *testing.T) {
	installed(t)
	noise := image.NewRGBA(image.Rect(0, 0, 800, 800))
	seed := uint32(1)
	for i := range noise.Pix {
		seed = seed*1664525 + 1013904223
		noise.Pix[i] = byte(seed >> 24)
	}
	tests := []struct {
		name  string
		img   image.Image
		blank bool
	}{
		{name: "one pixel", img: image.NewGray(image.Rect(0, 0, 1, 1)), blank: true},
		{name: "a thin strip 20000x8", img: image.NewGray(image.Rect(0, 0, 20000, 8)), blank: true},
		{name: "a tall strip 8x20000", img: image.NewGray(image.Rect(0, 0, 8, 20000)), blank: true},
		{name: "black page", img: image.NewGray(image.Rect(0, 0, 300, 300)), blank: true},
		{name: "noise", img: noise},
	}
	e := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.Recognise(t.Context(), tt.img)
			if err != nil {
				t.Fatal(err)
			}
			if tt.blank && r.Text != "" {
				t.Errorf("text %q on a blank image", r.Text)
			}
			if _, err := ocr.ParseTSV(r.TSV); err != nil {
				t.Errorf("tsv: %v", err)
			}
		})
	}
}
