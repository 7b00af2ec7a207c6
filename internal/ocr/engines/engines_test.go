package engines

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/ocr/paddle"
)

// fake is a recognizer whose readiness is fixed.
type fake struct {
	name  string
	err   error
	calls int
}

func (f *fake) Name() string { return f.name }
func (f *fake) Ready(context.Context) (bool, error) {
	f.calls++
	return true, f.err
}
func (f *fake) Image(context.Context, string, string) (ocr.Result, error) {
	return ocr.Result{Engine: f.name, Text: "from " + f.name}, nil
}

func TestFallback(t *testing.T) {
	tests := []struct {
		name       string
		primaryErr error
		want       string
		warns      int
	}{
		{name: "primary ready", want: "paddle"},
		{name: "primary missing falls back, warned once", primaryErr: paddle.ErrNotInstalled, want: "tesseract", warns: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			p, s := &fake{name: "paddle", err: tt.primaryErr}, &fake{name: "tesseract"}
			f := &Fallback{Primary: p, Secondary: s, Log: slog.New(slog.NewTextHandler(&logs, nil))}
			if f.Name() != ocr.EngineAuto {
				t.Errorf("name before the choice %q", f.Name())
			}
			for range 3 {
				r, err := f.Image(t.Context(), "x.png", "")
				if err != nil || r.Engine != tt.want {
					t.Fatalf("Image = %q, %v; want engine %s", r.Engine, err, tt.want)
				}
			}
			if f.Name() != tt.want {
				t.Errorf("name %q, want %q", f.Name(), tt.want)
			}
			if p.calls != 1 {
				t.Errorf("primary checked %d times, want once", p.calls)
			}
			if n := strings.Count(logs.String(), "level=WARN"); n != tt.warns {
				t.Errorf("%d warnings, want %d:\n%s", n, tt.warns, logs.String())
			}
		})
	}
}

// TestFallbackCancelled: a check cut short by ctx is not cached.
func TestFallbackCancelled(t *testing.T) {
	p, s := &fake{name: "paddle", err: errors.New("no")}, &fake{name: "tesseract"}
	f := &Fallback{Primary: p, Secondary: s}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Ready(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Ready on a cancelled ctx = %v", err)
	}
	if first, err := f.Ready(t.Context()); !first || err != nil || f.Name() != "tesseract" {
		t.Errorf("Ready after cancel = %v, %v, name %q", first, err, f.Name())
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		engine  string
		wantErr bool
		want    string // Name before the choice
	}{
		{name: "default", engine: "", want: ocr.EngineAuto},
		{name: "auto", engine: "auto", want: ocr.EngineAuto},
		{name: "paddle", engine: "paddle", want: ocr.EngineAuto},
		{name: "tesseract", engine: "tesseract", want: ocr.EngineTesseract},
		{name: "unknown", engine: "ocrad", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(Options{Engine: tt.engine})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && r.Name() != tt.want {
				t.Errorf("name %q, want %q", r.Name(), tt.want)
			}
		})
	}
}
