package ocreval

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	imgx "github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
)

// fixedEngine is a recognizer that returns one result.
type fixedEngine struct{ r ocr.Result }

func (f fixedEngine) Name() string                                              { return f.r.Engine }
func (fixedEngine) Ready(context.Context) (bool, error)                         { return true, nil }
func (f fixedEngine) Image(context.Context, string, string) (ocr.Result, error) { return f.r, nil }

// metaSink keeps the meta keys.
type metaSink struct {
	meta  map[string]string
	pages []extract.Page
}

func (s *metaSink) Text(string)                                {}
func (s *metaSink) Page(p extract.Page)                        { s.pages = append(s.pages, p) }
func (s *metaSink) Meta(k, v string)                           { s.meta[k] = v }
func (s *metaSink) Flag(string)                                {}
func (s *metaSink) Attach(string, []byte)                      {}
func (s *metaSink) Child(context.Context, extract.Child) error { return errors.New("no children") }

// TestEngineRecordedPerDocument: the image extractor stores which engine
// and model read a document, whichever engine it is given, and keeps
// tesseract's language and psm keys to tesseract.
func TestEngineRecordedPerDocument(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		r         ocr.Result
		want      map[string]string
		wantNoKey string
	}{
		{name: "paddle", r: ocr.Result{Engine: ocr.EnginePaddle, Model: "ppocrv4", Text: "Acme"},
			want: map[string]string{ocr.MetaEngine: "paddle", ocr.MetaModel: "ppocrv4"}, wantNoKey: imgx.KeyOCRLangs},
		{name: "tesseract", r: ocr.Result{Engine: ocr.EngineTesseract, Langs: "chi_sim+eng", PSM: 6, Text: "Acme"},
			want: map[string]string{ocr.MetaEngine: "tesseract", imgx.KeyOCRLangs: "chi_sim+eng"}, wantNoKey: ocr.MetaModel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &metaSink{meta: map[string]string{}}
			in := &extract.Input{File: file, Name: "a.png", MIME: sniff.PNG, Limits: leak.DefaultLimits(),
				Log: discard(), TempDir: t.TempDir()}
			if err := imgx.New(imgx.Options{OCR: fixedEngine{tt.r}}).Extract(t.Context(), in, s); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if s.meta[k] != v {
					t.Errorf("meta %s = %q, want %q", k, s.meta[k], v)
				}
			}
			if _, ok := s.meta[tt.wantNoKey]; ok {
				t.Errorf("meta %s set for %s", tt.wantNoKey, tt.name)
			}
			if len(s.pages) != 1 || s.pages[0].Text != "Acme" {
				t.Errorf("pages %+v", s.pages)
			}
		})
	}
}
