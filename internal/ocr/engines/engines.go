// Package engines is the one explicit list of OCR engines and the choice
// between them: a case names its engine in case.json (ocr_engine), and
// the default prefers paddle where its runtime and models are installed.
//
// # Choice
//
// "tesseract" is the tesseract strategy of package ocr, unchanged.
// "paddle" and "auto" (or nothing) are PP-OCRv4 (package paddle) when it
// loads, and tesseract otherwise, with one warning per run that says why:
// a machine without the runtime still reads its images. Each Result names
// the engine that produced it, and the extractors store that name per
// document.
package engines

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/ocr/paddle"
)

// Names lists the engine names a case may set, in documentation order.
var Names = []string{ocr.EngineAuto, ocr.EnginePaddle, ocr.EngineTesseract}

// Options configure New. Zero fields are each engine's defaults.
type Options struct {
	// Engine is the case's ocr_engine: "", EngineAuto, EnginePaddle or
	// EngineTesseract.
	Engine    string
	Tesseract ocr.Options
	Paddle    paddle.Options
	Log       *slog.Logger
}

// New returns the recognizer for opts.Engine; an unknown name is an
// error that lists the known ones.
func New(opts Options) (ocr.Recognizer, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Tesseract.Log == nil {
		opts.Tesseract.Log = opts.Log
	}
	if opts.Paddle.Log == nil {
		opts.Paddle.Log = opts.Log
	}
	if opts.Paddle.MaxPixels == 0 {
		opts.Paddle.MaxPixels = opts.Tesseract.MaxPixels
	}
	switch opts.Engine {
	case ocr.EngineTesseract:
		return ocr.New(opts.Tesseract), nil
	case "", ocr.EngineAuto, ocr.EnginePaddle:
		return &Fallback{Primary: paddle.New(opts.Paddle), Secondary: ocr.New(opts.Tesseract), Log: opts.Log}, nil
	}
	return nil, fmt.Errorf("ocr engine %q: want one of %v", opts.Engine, Names)
}

// Fallback uses Primary when it is ready and Secondary otherwise; the
// choice is made once, on the first Ready or Image call, and logged once
// when it falls back. It is safe for concurrent use.
type Fallback struct {
	Primary, Secondary ocr.Recognizer
	Log                *slog.Logger

	mu      sync.Mutex
	decided bool
	cur     ocr.Recognizer
	err     error
}

var _ ocr.Recognizer = (*Fallback)(nil)

// Name is the chosen engine's name, or EngineAuto before the choice.
func (f *Fallback) Name() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cur == nil {
		return ocr.EngineAuto
	}
	return f.cur.Name()
}

// Ready chooses the engine on its first call. A check cut short by ctx
// is not cached.
func (f *Fallback) Ready(ctx context.Context) (first bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.decided {
		return false, f.err
	}
	_, perr := f.Primary.Ready(ctx)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	f.cur = f.Primary
	if perr != nil {
		if f.Log != nil {
			f.Log.Warn("ocr engine unavailable, using the fallback", "engine", f.Primary.Name(),
				"fallback", f.Secondary.Name(), "err", perr)
		}
		f.cur = f.Secondary
		_, f.err = f.Secondary.Ready(ctx)
		if err := ctx.Err(); err != nil {
			f.cur = nil
			return false, err
		}
	}
	f.decided = true
	return true, f.err
}

// Image recognises with the chosen engine.
func (f *Fallback) Image(ctx context.Context, path, tmpDir string) (ocr.Result, error) {
	if _, err := f.Ready(ctx); err != nil {
		return ocr.Result{}, err
	}
	f.mu.Lock()
	cur := f.cur
	f.mu.Unlock()
	return cur.Image(ctx, path, tmpDir)
}
