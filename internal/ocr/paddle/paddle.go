package paddle

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/image/draw"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/tool"
)

// runner runs one model on one float32 tensor. Implementations are safe
// for concurrent use.
type runner interface {
	// run passes the output to use before releasing it, so that a
	// batch's class probabilities (lines x steps x 6625 floats) are never
	// copied.
	run(data []float32, shape []int64, use func(out []float32, shape []int64) error) error
	close() error
}

// models are the three loaded networks and the dictionary.
type models struct {
	det, rec, cls runner
	keys          []string
}

// Options configure an Engine. The zero value of each field means its
// default.
type Options struct {
	// Paths of the runtime and models; zero: Find.
	Paths Paths
	// Params are the pipeline's thresholds; zero fields: DefaultParams.
	Params Params
	// Layout are the screen-furniture rules' thresholds; zero fields:
	// DefaultLayout.
	Layout Layout
	// MaxPixels refuses larger images before decoding, as
	// leak.Limits.MaxPixels; 0: leak.DefaultMaxPixels.
	MaxPixels int64
	// Workers is how many images this engine recognises at once, each on
	// one thread; 0 shares one package-wide limit of runtime.NumCPU()
	// between every Engine, as the tesseract engine does, so that two
	// registries in one process do not run two images per core.
	Workers int
	Log     *slog.Logger
}

// Engine is the PP-OCRv4 pipeline on ONNX Runtime. It is safe for
// concurrent use: the models are loaded once per process (shared by every
// Engine with the same paths) and at most Workers images are in the
// pipeline at a time.
type Engine struct {
	opts    Options
	lim     tool.Limiter
	runTime atomic.Int64

	mu      sync.Mutex
	checked bool
	m       *models
	err     error
}

var _ ocr.Recognizer = (*Engine)(nil)

// New returns an Engine; nothing is loaded until Ready or Image.
func New(opts Options) *Engine {
	opts.Params = opts.Params.withDefaults()
	opts.Layout = opts.Layout.withDefaults()
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = leak.DefaultMaxPixels
	}
	lim := sharedLimiter
	if opts.Workers > 0 {
		lim = tool.NewLimiter(opts.Workers)
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Engine{opts: opts, lim: lim}
}

// Name implements ocr.Recognizer.
func (*Engine) Name() string { return ocr.EnginePaddle }

// RunTime is the total time spent inside ONNX Runtime by this engine.
func (e *Engine) RunTime() time.Duration { return time.Duration(e.runTime.Load()) }

var sharedLimiter = tool.NewLimiter(runtime.NumCPU())

// The loaded models, one set per process and paths.
var (
	loadedMu sync.Mutex
	loaded   = map[Paths]*models{}
)

// Ready loads the runtime and models on the first call and caches the
// outcome: a missing runtime, a corrupt model or a build without cgo is
// an error with the reason, reported to the first caller with first true.
func (e *Engine) Ready(ctx context.Context) (first bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.checked {
		return false, e.err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	e.m, e.err = e.load()
	e.checked = true
	return true, e.err
}

func (e *Engine) load() (m *models, err error) {
	p := e.opts.Paths
	if p == (Paths{}) {
		if p, err = Find(); err != nil {
			return nil, err
		}
	} else if err := p.check(); err != nil {
		return nil, err
	}
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if m := loaded[p]; m != nil {
		return m, nil
	}
	defer func() {
		// A C library that rejects a file can panic in its Go binding;
		// that is this engine's failure, not the process's.
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("paddle load: panic: %v", r)
		}
	}()
	f, err := os.Open(filepath.Join(p.Models, KeysFile))
	if err != nil {
		return nil, fmt.Errorf("paddle keys: %w", err)
	}
	keys, err := readKeys(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("paddle %w", err)
	}
	det, rec, cls, err := loadModels(p)
	if err != nil {
		return nil, fmt.Errorf("paddle: %w", err)
	}
	m = &models{det: det, rec: rec, cls: cls, keys: keys}
	loaded[p] = m
	e.opts.Log.Debug("paddle loaded", "models", p.Models)
	return m, nil
}

// Image implements ocr.Recognizer: detect text lines, cut each out
// upright, turn the upside-down ones, recognise them in width-sorted
// batches. The header is checked against MaxPixels before any pixel is
// decoded.
func (e *Engine) Image(ctx context.Context, path, _ string) (res ocr.Result, err error) {
	cfg, _, err := ocr.Config(path)
	if err != nil {
		return res, fmt.Errorf("paddle decode config: %w", err)
	}
	if err := ocr.CheckSize(cfg, e.opts.MaxPixels); err != nil {
		return res, fmt.Errorf("paddle: %w", err)
	}
	if _, err := e.Ready(ctx); err != nil {
		return res, err
	}
	if err := e.lim.Acquire(ctx); err != nil {
		return res, fmt.Errorf("paddle: %w", err)
	}
	defer e.lim.Release()
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("paddle: %w", err)
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return res, fmt.Errorf("paddle decode: %w", err)
	}
	return e.Recognise(ctx, img)
}

// Recognise runs the pipeline on a decoded image. A panic inside it (a
// hostile image reaching a corner of the code) is returned as an error.
func (e *Engine) Recognise(ctx context.Context, img image.Image) (res ocr.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("paddle: panic: %v", r)
		}
	}()
	if _, err := e.Ready(ctx); err != nil {
		return res, err
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	regions, err := e.detect(src)
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("paddle: %w", err)
	}
	crops := make([]*image.RGBA, len(regions))
	for i, r := range regions {
		crops[i] = crop(src, r.q)
	}
	flipped, err := e.classify(crops)
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("paddle: %w", err)
	}
	// A line the classifier calls upside down is read both ways and the
	// more confident reading kept: the classifier alone turns some light
	// text on a dark background (a terminal) that was upright.
	all, allRegions := crops, regions
	var turnedOf []int
	for i, f := range flipped {
		if f {
			t := image.NewRGBA(crops[i].Rect)
			copy(t.Pix, crops[i].Pix)
			rot180(t)
			all = append(all, t)
			allRegions = append(allRegions, regions[i])
			turnedOf = append(turnedOf, i)
		}
	}
	lines, err := e.recognise(all, allRegions)
	if err != nil {
		return res, err
	}
	for k, i := range turnedOf {
		if t := lines[len(crops)+k]; t.d.conf > lines[i].d.conf {
			lines[i] = t
		}
	}
	lines = lines[:len(crops)]
	var kept, text []line
	pg := page{src: src, layout: e.opts.Layout}
	for _, l := range lines {
		if l.d.conf < e.opts.Params.DropScore || len(l.d.runes) == 0 {
			continue
		}
		kept = append(kept, l)
		if furniture(pg, l) == "" {
			text = append(text, l)
		}
	}
	res.TSV = buildTSV(kept, w, h)
	// The text leaves out screen furniture; the TSV keeps every line.
	words, err := ocr.ParseTSV(buildTSV(text, w, h))
	if err != nil {
		return res, fmt.Errorf("paddle tsv: %w", err)
	}
	res.Engine, res.Model = ocr.EnginePaddle, ModelVersion
	res.Text = ocr.Text(words)
	res.Confidence = ocr.MeanConfidence(words)
	res.Passes = 1
	res.GluedLatin = ocr.GluedLatin(res.Text)
	for _, wd := range words {
		if wd.Level == ocr.LevelWord {
			res.Words++
		}
	}
	return res, nil
}

// toRGBA copies img into an RGBA image with its origin at 0,0.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	if m, ok := img.(*image.RGBA); ok && b.Min == (image.Point{}) {
		return m
	}
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// timed runs one model and adds its time to the engine's total.
func (e *Engine) timed(r runner, data []float32, shape []int64, use func(out []float32, shape []int64) error) error {
	start := time.Now()
	err := r.run(data, shape, use)
	e.runTime.Add(int64(time.Since(start)))
	return err
}

// ImageNet mean and deviation, B, G, R: the detector's normalisation.
var (
	detMean = [3]float32{0.406, 0.456, 0.485}
	detStd  = [3]float32{0.225, 0.224, 0.229}
)

// detect runs DB detection on src scaled to detSize.
func (e *Engine) detect(src *image.RGBA) ([]region, error) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	mw, mh := detSize(w, h, e.opts.Params.DetMaxSide)
	s := image.NewRGBA(image.Rect(0, 0, mw, mh))
	draw.BiLinear.Scale(s, s.Rect, src, src.Rect, draw.Src, nil)
	plane := mw * mh
	data := make([]float32, 3*plane)
	for i := 0; i < plane; i++ {
		p := s.Pix[4*i : 4*i+3]
		for c := 0; c < 3; c++ {
			// Plane c is B, G, R for c = 0, 1, 2.
			data[c*plane+i] = (float32(p[2-c])/255 - detMean[c]) / detStd[c]
		}
	}
	var rs []region
	err := e.timed(e.m.det, data, []int64{1, 3, int64(mh), int64(mw)}, func(out []float32, shape []int64) error {
		if len(shape) != 4 || shape[2] != int64(mh) || shape[3] != int64(mw) || len(out) != plane {
			return fmt.Errorf("output shape %v, want [1 1 %d %d]", shape, mh, mw)
		}
		rs = boxes(out, mw, mh, w, h, e.opts.Params)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("paddle det: %w", err)
	}
	return rs, nil
}

// classify reports the crops the angle classifier reads as upside down
// with at least ClsThresh probability.
func (e *Engine) classify(crops []*image.RGBA) ([]bool, error) {
	p := e.opts.Params
	flipped := make([]bool, len(crops))
	for start := 0; start < len(crops); start += p.RecBatch {
		batch := crops[start:min(start+p.RecBatch, len(crops))]
		plane := clsHeight * clsWidth
		data := make([]float32, len(batch)*3*plane)
		for i, c := range batch {
			w := min(clsWidth, max(1, int(float64(clsHeight)*float64(c.Rect.Dx())/float64(c.Rect.Dy())+0.999)))
			normalise(data[i*3*plane:(i+1)*3*plane], c, w, clsHeight, clsWidth)
		}
		err := e.timed(e.m.cls, data, []int64{int64(len(batch)), 3, clsHeight, clsWidth}, func(out []float32, shape []int64) error {
			if len(shape) != 2 || shape[1] != 2 || len(out) != 2*len(batch) {
				return fmt.Errorf("output shape %v", shape)
			}
			for i := range batch {
				flipped[start+i] = out[2*i+1] > out[2*i] && out[2*i+1] >= p.ClsThresh
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("paddle cls: %w", err)
		}
	}
	return flipped, nil
}

// recognise reads each crop in width-sorted batches and returns one line
// per region, in the regions' order.
func (e *Engine) recognise(crops []*image.RGBA, regions []region) ([]line, error) {
	p := e.opts.Params
	lines := make([]line, len(crops))
	for _, b := range batches(crops, p.RecBatch, p.RecMaxWidth, p.RecBatchWidth) {
		padW := recMinWidth
		for _, i := range b {
			padW = max(padW, recWidth(crops[i], p.RecMaxWidth))
		}
		plane := recHeight * padW
		data := make([]float32, len(b)*3*plane)
		for k, i := range b {
			normalise(data[k*3*plane:(k+1)*3*plane], crops[i], recWidth(crops[i], p.RecMaxWidth), recHeight, padW)
		}
		err := e.timed(e.m.rec, data, []int64{int64(len(b)), 3, recHeight, int64(padW)}, func(out []float32, shape []int64) error {
			if len(shape) != 3 || shape[0] != int64(len(b)) || int64(len(out)) != shape[0]*shape[1]*shape[2] {
				return fmt.Errorf("output shape %v", shape)
			}
			steps, classes := int(shape[1]), int(shape[2])
			for k, i := range b {
				d := ctcGreedy(out[k*steps*classes:(k+1)*steps*classes], steps, classes, e.m.keys)
				lines[i] = line{box: regions[i].q.bounds(), d: d, recW: recWidth(crops[i], p.RecMaxWidth), padW: padW, T: steps}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("paddle rec: %w", err)
		}
	}
	return lines, nil
}
