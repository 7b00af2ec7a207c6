package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/tool"
)

// Program is the tesseract executable looked up in PATH.
const Program = "tesseract"

// Defaults chosen on the leak-sample screenshots, photos and scans (see
// doc.go for the measurements).
const (
	DefaultLangs         = "chi_sim+eng"
	DefaultTradLangs     = "chi_tra+eng"
	DefaultLatinLangs    = "eng"
	DefaultPSM           = 6
	DefaultAltPSM        = 4
	DefaultLowConfidence = 60
	DefaultTradShare     = 0.3
	DefaultMaxPixels     = leak.DefaultMaxPixels
)

// DefaultPrep is the preprocessing measured best on leak-sample: grayscale
// always, a median filter on JPEG photos (photo recall 0.77 -> 0.81), no
// upscaling (helped one photo, hurt another and the 1600 px screenshots).
var DefaultPrep = Prep{Denoise: true}

// Options configure an Engine. The zero value of each field means its
// default.
type Options struct {
	// Langs is the first pass's language set, tesseract's "-l" syntax.
	Langs string
	// TradLangs re-runs a page whose first pass reads as Traditional
	// Chinese (TradShare at least MinTradShare). "-" disables the re-run.
	TradLangs string
	// LatinLangs re-runs a page whose first pass has (almost) no Han
	// characters: the Chinese models drop spaces between English words and
	// read Latin worse. "-" disables the re-run.
	LatinLangs string
	// PSM is the first page segmentation mode.
	PSM int
	// AltPSM is tried when the chosen pass's mean confidence is below
	// LowConfidence; the pass with the higher confidence is kept. -1
	// disables it.
	AltPSM        int
	LowConfidence float64
	MinTradShare  float64
	// Timeout bounds one tesseract run; a deadline on ctx shortens it.
	Timeout time.Duration
	// Limiter caps concurrent tesseract runs. Nil shares one package-wide
	// limiter of runtime.NumCPU() slots: each run is single-threaded
	// (OMP_THREAD_LIMIT=1), so one run per core is the throughput optimum.
	Limiter tool.Limiter
	// MaxPixels refuses images larger than this before decoding (see
	// CheckSize); 0: DefaultMaxPixels, as leak.Limits.MaxPixels.
	MaxPixels int64
	// MaxMemory caps each tesseract run's address space, as
	// leak.Limits.ToolMemory: 0 is tool.DefaultMaxMemory.
	MaxMemory int64
	// Prep is the preprocessing; nil means DefaultPrep.
	Prep *Prep
	Log  *slog.Logger
}

// Result is the outcome of OCR on one image.
type Result struct {
	// Engine is the engine that produced the result (EngineTesseract,
	// EnginePaddle) and Model its model version, both recorded per
	// document so that a re-extraction after an engine change is visible.
	Engine, Model string
	Text          string
	Confidence    float64 // mean word confidence of the chosen pass, 0..100
	Langs         string  // language set of the chosen pass
	PSM           int     // segmentation mode of the chosen pass
	// TSV is tesseract's TSV output of the chosen pass, verbatim: word
	// boxes for the chat parser.
	TSV []byte
	// Words is the number of recognised words (level 5 rows with text).
	Words int
	// GluedLatin counts Latin runs of 16+ letters, the trace of a Chinese
	// model dropping spaces between English words. Text is not altered.
	GluedLatin int
	// Passes is how many tesseract runs were made; ToolTime their total
	// wall time (for the overhead benchmark).
	Passes   int
	ToolTime time.Duration
}

// Engine runs tesseract. It is safe for concurrent use.
type Engine struct {
	opts     Options
	toolTime atomic.Int64

	readyMu  sync.Mutex
	readyErr error
	checked  bool
}

var sharedLimiter = tool.NewLimiter(runtime.NumCPU())

// New returns an Engine with opts' zero fields set to their defaults.
func New(opts Options) *Engine {
	if opts.Langs == "" {
		opts.Langs = DefaultLangs
	}
	if opts.TradLangs == "" {
		opts.TradLangs = DefaultTradLangs
	}
	if opts.LatinLangs == "" {
		opts.LatinLangs = DefaultLatinLangs
	}
	if opts.PSM == 0 {
		opts.PSM = DefaultPSM
	}
	if opts.AltPSM == 0 {
		opts.AltPSM = DefaultAltPSM
	}
	if opts.LowConfidence == 0 {
		opts.LowConfidence = DefaultLowConfidence
	}
	if opts.MinTradShare == 0 {
		opts.MinTradShare = DefaultTradShare
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Limiter == nil {
		opts.Limiter = sharedLimiter
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Prep == nil {
		p := DefaultPrep
		opts.Prep = &p
	}
	return &Engine{opts: opts}
}

// Options returns the engine's options with defaults filled in.
func (e *Engine) Options() Options { return e.opts }

// ToolTime is the total wall time spent inside tesseract by this engine.
func (e *Engine) ToolTime() time.Duration { return time.Duration(e.toolTime.Load()) }

// Image recognises the text of the image file at path, writing scratch
// files into tmpDir. The strategy:
//  1. preprocess (grayscale, optional upscale/invert) into a PNG;
//  2. run Langs with PSM;
//  3. if the text reads as Traditional Chinese re-run with TradLangs, if
//     it has almost no Han characters re-run with LatinLangs, keeping the
//     re-run when its confidence is not lower;
//  4. if the kept pass's confidence is below LowConfidence, run AltPSM
//     with the kept languages and keep the more confident pass.
//
// An image with no recognisable text is a Result with empty Text, not an
// error.
func (e *Engine) Image(ctx context.Context, path, tmpDir string) (Result, error) {
	var res Result
	g, err := Preprocess(path, *e.opts.Prep, e.opts.MaxPixels)
	if err != nil {
		return res, fmt.Errorf("ocr preprocess: %w", err)
	}
	prepped, err := WritePNG(g, tmpDir)
	if err != nil {
		return res, fmt.Errorf("ocr preprocess: %w", err)
	}
	defer os.Remove(prepped)

	best, words, err := e.pass(ctx, &res, prepped, e.opts.Langs, e.opts.PSM)
	if err != nil {
		return res, err
	}
	alt := ""
	sc := CountScript(best.Text)
	switch {
	case e.useTrad() && sc.TradOnly >= 2 && sc.TradShare() >= e.opts.MinTradShare:
		alt = e.opts.TradLangs
	case e.useTrad() && sc.Han >= minHanProbe:
		trad, err := e.probeTrad(ctx, &res, g, words, tmpDir)
		if err != nil {
			return res, err
		}
		if trad {
			alt = e.opts.TradLangs
		}
	case e.opts.LatinLangs != "-" && e.opts.LatinLangs != e.opts.Langs && sc.Latin >= 20 && sc.HanShare() < 0.02:
		alt = e.opts.LatinLangs
	}
	if alt != "" {
		r, _, err := e.pass(ctx, &res, prepped, alt, e.opts.PSM)
		if err != nil {
			return res, err
		}
		if r.Confidence >= best.Confidence-1 {
			best = r
		}
	}
	if e.opts.AltPSM > 0 && e.opts.AltPSM != e.opts.PSM && best.Confidence < e.opts.LowConfidence {
		r, _, err := e.pass(ctx, &res, prepped, best.Langs, e.opts.AltPSM)
		if err != nil {
			return res, err
		}
		if r.Confidence > best.Confidence {
			best = r
		}
	}
	best.Passes, best.ToolTime = res.Passes, res.ToolTime
	best.Engine = EngineTesseract
	best.GluedLatin = GluedLatin(best.Text)
	return best, nil
}

// minHanProbe is the fewest Han characters a first pass must read before
// the Traditional probe is worth a run.
const minHanProbe = 8

// tradMargin is how many confidence points the Traditional model must beat
// the Simplified one by on the probe lines. Each model transliterates the
// other script into its own (chi_sim reads 資料 as 资料), so the output
// cannot tell the scripts apart; the confidence can. On leak-sample the
// Traditional screenshot scores +14 with chi_tra, every Simplified image
// -1.5 to -25.
const tradMargin = 4

func (e *Engine) useTrad() bool {
	return e.opts.TradLangs != "-" && e.opts.TradLangs != e.opts.Langs
}

// probeTrad runs TradLangs over a few of the first pass's most Han-rich
// lines, stacked into a small image, and reports whether it reads them
// with clearly higher confidence than the first pass did: a quarter of
// the cost of a second full pass.
func (e *Engine) probeTrad(ctx context.Context, acc *Result, g *image.Gray, words []Word, tmpDir string) (bool, error) {
	s := hanSample(words, g.Bounds(), 60, 6)
	if len(s.boxes) == 0 {
		return false, nil
	}
	p, err := WritePNG(stack(g, s.boxes, 16), tmpDir)
	if err != nil {
		return false, fmt.Errorf("ocr probe: %w", err)
	}
	defer os.Remove(p)
	r, _, err := e.pass(ctx, acc, p, e.opts.TradLangs, e.opts.PSM)
	if err != nil {
		return false, err
	}
	e.opts.Log.Debug("ocr trad probe", "sim_conf", s.conf, "trad_conf", r.Confidence)
	return r.Confidence > s.conf+tradMargin, nil
}

// pass runs tesseract once and parses its TSV; acc accumulates run counts
// and tool time.
func (e *Engine) pass(ctx context.Context, acc *Result, img, langs string, psm int) (Result, []Word, error) {
	var r Result
	timeout := e.opts.Timeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
		if timeout <= 0 {
			return r, nil, fmt.Errorf("ocr: %w", context.DeadlineExceeded)
		}
	}
	if err := e.opts.Limiter.Acquire(ctx); err != nil {
		return r, nil, fmt.Errorf("ocr: %w", err)
	}
	out, err := tool.Run(ctx, tool.Cmd{
		Name:      Program,
		Args:      []string{img, "stdout", "--psm", strconv.Itoa(psm), "-l", langs, "tsv"},
		Env:       []string{"OMP_THREAD_LIMIT=1"},
		Timeout:   timeout,
		MaxOut:    64 << 20,
		MaxMemory: e.opts.MaxMemory,
	})
	e.opts.Limiter.Release()
	acc.Passes++
	acc.ToolTime += out.Elapsed
	e.toolTime.Add(int64(out.Elapsed))
	if err != nil {
		return r, nil, fmt.Errorf("ocr %s psm %d: %w", langs, psm, err)
	}
	words, err := ParseTSV(out.Stdout)
	if err != nil {
		return r, nil, fmt.Errorf("ocr %s psm %d: %w", langs, psm, err)
	}
	r.TSV = out.Stdout
	r.Text = Text(words)
	r.Confidence = MeanConfidence(words)
	r.Langs = langs
	r.PSM = psm
	for _, w := range words {
		if w.Level == LevelWord && strings.TrimSpace(w.Text) != "" {
			r.Words++
		}
	}
	e.opts.Log.Debug("ocr pass", "langs", langs, "psm", psm, "conf", r.Confidence, "dur", out.Elapsed)
	return r, words, nil
}

// ErrLangMissing is returned by Check when tesseract lacks a language.
var ErrLangMissing = errors.New("tesseract language missing")

// Available reports whether tesseract and the default languages are
// installed, so that the caller can warn once per run.
func Available(ctx context.Context) error {
	return New(Options{}).Check(ctx)
}

// Ready is Check run once per Engine: the answer is cached, so extractors
// can ask for every file and warn only the first time. A check cut short by
// ctx is not cached.
//
// first is true for the call that ran the check, so that exactly one caller
// logs the warning.
func (e *Engine) Ready(ctx context.Context) (first bool, err error) {
	e.readyMu.Lock()
	defer e.readyMu.Unlock()
	if e.checked {
		return false, e.readyErr
	}
	err = e.Check(ctx)
	if ctx.Err() != nil {
		return false, err
	}
	e.readyErr, e.checked = err, true
	return true, err
}

// Check reports whether tesseract and every language the engine may use
// are installed.
func (e *Engine) Check(ctx context.Context) error {
	if err := tool.Available(Program); err != nil {
		return err
	}
	res, err := tool.Run(ctx, tool.Cmd{Name: Program, Args: []string{"--list-langs"}, Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	// tesseract 4 prints the list to stderr, 5 to stdout.
	for _, l := range strings.Fields(string(res.Stdout) + "\n" + res.Stderr) {
		have[l] = true
	}
	var missing []string
	for _, set := range []string{e.opts.Langs, e.opts.TradLangs, e.opts.LatinLangs} {
		if set == "-" {
			continue
		}
		for _, l := range strings.Split(set, "+") {
			if !have[l] && !contains(missing, l) {
				missing = append(missing, l)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrLangMissing, strings.Join(missing, ", "))
	}
	return nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
