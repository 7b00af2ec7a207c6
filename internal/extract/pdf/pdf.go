package pdf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// Name is the stored extractor name.
const Name = "pdf"

// Meta keys. They are stored: never rename them.
const (
	KeyTitle         = "title"
	KeyAuthor        = "author"
	KeySubject       = "subject"
	KeyKeywords      = "keywords"
	KeyCreator       = "creator"
	KeyProducer      = "producer"
	KeyCreated       = "created"
	KeyModified      = "modified"
	KeyPages         = "pages"
	KeyVersion       = "pdf.version"
	KeyOCRPages      = "ocr.pages"         // pages whose text came from OCR
	KeyOCRSkipped    = "ocr.pages_skipped" // textless pages not OCR'd (cap)
	KeyOCRConfidence = "ocr.confidence"    // mean over OCR'd pages
	KeyOCRTimeouts   = "ocr.pages_timeout" // pages whose OCR ran out of time
	KeyPagesTooLarge = "ocr.pages_too_large"
)

// Flags.
const (
	FlagNoTextLayer    = "no-text-layer"
	FlagEncrypted      = "encrypted"
	FlagCorrupt        = "corrupt"         // pdfinfo failed, text salvaged
	FlagOCRCapped      = "ocr-capped"      // more textless pages than MaxOCRPages
	FlagOCRUnavailable = "ocr-unavailable" // textless pages, no tesseract
	FlagTruncated      = "truncated"       // pdftotext output hit the cap
	// FlagOCRTimeout: the OCR of a page ran past the tool timeout, or the
	// document's parse deadline stopped OCR; its text layer is kept.
	FlagOCRTimeout = "ocr-timeout"
	// FlagPageTooLarge: a page would rasterise to more than
	// Limits.MaxPixels even at MinRenderDPI and was not OCR'd.
	FlagPageTooLarge = "page-too-large"
	// FlagPageDownscaled: a page was rasterised below Options.DPI to fit
	// Limits.MaxPixels.
	FlagPageDownscaled = "page-downscaled"
)

// ArtifactTSV names the TSV of OCR'd page n: "ocr-p<n>.tsv".
func ArtifactTSV(page int) string { return "ocr-p" + strconv.Itoa(page) + ".tsv" }

// Defaults.
const (
	DefaultMaxOCRPages  = 50
	DefaultMinTextRunes = 8
	DefaultDPI          = 150
)

// Options configure the extractor.
type Options struct {
	// OCR recognises rasterised pages without a text layer; nil disables
	// it (such documents are flagged ocr-unavailable). Tesseract or
	// paddle, see ocr/engines.
	OCR ocr.Recognizer
	// MaxOCRPages caps the pages OCR'd per document.
	MaxOCRPages int
	// MinTextRunes: a page whose text layer has fewer non-space characters
	// is treated as having none (scans often carry a stray page number).
	MinTextRunes int
	// DPI of rasterisation for OCR; 150 matches office scanners and keeps
	// CJK strokes legible.
	DPI int
	Log *slog.Logger
}

// Extractor reads PDFs with poppler: text layer, metadata, and OCR of
// pages without text. It is safe for concurrent use.
type Extractor struct {
	opts     Options
	toolTime atomic.Int64
}

var _ extract.Extractor = (*Extractor)(nil)

// New returns a PDF extractor.
func New(opts Options) *Extractor {
	if opts.MaxOCRPages <= 0 {
		opts.MaxOCRPages = DefaultMaxOCRPages
	}
	if opts.MinTextRunes <= 0 {
		opts.MinTextRunes = DefaultMinTextRunes
	}
	if opts.DPI <= 0 {
		opts.DPI = DefaultDPI
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{opts: opts}
}

// Name implements extract.Extractor.
func (*Extractor) Name() string { return Name }

// Accepts implements extract.Extractor.
func (*Extractor) Accepts() []string { return []string{sniff.PDF} }

// ToolTime is the wall time spent in poppler by this extractor (OCR time
// is counted by the ocr.Engine).
func (x *Extractor) ToolTime() time.Duration { return time.Duration(x.toolTime.Load()) }

func (x *Extractor) run(ctx context.Context, in *extract.Input, name string, args ...string) (tool.Result, error) {
	timeout := in.Limits.ToolTimeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	maxOut := in.Limits.MaxText
	if maxOut <= 0 {
		maxOut = 64 << 20
	}
	r, err := tool.Run(ctx, tool.Cmd{Name: name, Args: args, Timeout: timeout, MaxOut: maxOut, MaxMemory: in.Limits.ToolMemory})
	x.toolTime.Add(int64(r.Elapsed))
	return r, err
}

// Extract emits metadata from pdfinfo, one Page per PDF page from
// pdftotext, and OCR text for pages without a text layer. A file poppler
// cannot open at all fails with poppler's message; if pdfinfo fails but
// pdftotext yields text, the text is kept and the document flagged corrupt.
func (x *Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	infoRes, infoErr := x.run(ctx, in, "pdfinfo", "-isodates", "-enc", "UTF-8", in.File)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if infoErr != nil && passwordNeeded(infoRes.Stderr) {
		// A user password: poppler can read nothing without it, and the
		// document is encrypted, not broken.
		out.Flag(FlagEncrypted)
		return fmt.Errorf("pdf: %w (a password is needed to open it)", extract.ErrEncrypted)
	}
	var info Info
	if infoErr == nil {
		info = ParseInfo(infoRes.Stdout)
		for _, kv := range info.Meta() {
			out.Meta(kv[0], kv[1])
		}
		if info.Encrypted {
			out.Flag(FlagEncrypted)
		}
	}
	txtRes, txtErr := x.run(ctx, in, "pdftotext", "-layout", "-enc", "UTF-8", in.File, "-")
	if ctx.Err() != nil {
		return ctx.Err()
	}
	pages := SplitPages(string(txtRes.Stdout))
	switch {
	case infoErr != nil && (txtErr != nil || !hasText(pages)):
		return fmt.Errorf("pdf: %w", infoErr)
	case infoErr != nil:
		out.Flag(FlagCorrupt)
	case txtErr != nil && info.Pages == 0, errors.Is(txtErr, tool.ErrMemory):
		// A pdftotext killed at its memory cap is the document's error
		// even when pdfinfo counted pages: the text is incomplete.
		return fmt.Errorf("pdf: %w", txtErr)
	}
	if txtRes.Truncated {
		out.Flag(FlagTruncated)
	}
	// pdftotext may stop early on a damaged page; pdfinfo's count wins.
	for len(pages) < info.Pages {
		pages = append(pages, "")
	}

	var textless []int
	for i, p := range pages {
		if textRunes(p) < x.opts.MinTextRunes {
			textless = append(textless, i)
		}
	}
	if len(pages) > 0 && len(textless) == len(pages) {
		out.Flag(FlagNoTextLayer)
	}
	ocrd := map[int]ocr.Result{}
	if len(textless) > 0 && infoErr == nil {
		var err error
		ocrd, err = x.ocrPages(ctx, in, out, textless)
		if err != nil {
			return err
		}
	}
	var confSum float64
	for i, p := range pages {
		page := extract.Page{Number: i + 1, Text: strings.TrimRight(p, " \n")}
		if r, ok := ocrd[i]; ok {
			// Keep a stray text layer (page number, stamp) ahead of the OCR.
			if t := strings.TrimSpace(page.Text); t != "" {
				page.Text = t + "\n" + r.Text
			} else {
				page.Text = r.Text
			}
			page.OCR, page.Confidence = true, r.Confidence
			confSum += r.Confidence
			out.Attach(ArtifactTSV(i+1), r.TSV)
		}
		out.Page(page)
	}
	if len(ocrd) > 0 {
		out.Meta(KeyOCRPages, strconv.Itoa(len(ocrd)))
		out.Meta(KeyOCRConfidence, strconv.FormatFloat(confSum/float64(len(ocrd)), 'f', 1, 64))
		for _, r := range ocrd {
			// One engine reads every page of a document.
			out.Meta(ocr.MetaEngine, r.Engine)
			if r.Model != "" {
				out.Meta(ocr.MetaModel, r.Model)
			}
			break
		}
	}
	return nil
}

// ocrPages rasterises and OCRs the given 0-based pages, at most
// MaxOCRPages of them. Each page is first sized (pdfinfo -box) and
// rendered at a resolution that keeps it under Limits.MaxPixels, or not
// at all. Each page's OCR runs on its own clock (ocr.Detach): a page
// that times out is flagged and skipped, and when the document's parse
// deadline passes the pages done so far are kept.
func (x *Extractor) ocrPages(ctx context.Context, in *extract.Input, out extract.Sink, pages []int) (map[int]ocr.Result, error) {
	res := map[int]ocr.Result{}
	if x.opts.OCR == nil {
		out.Flag(FlagOCRUnavailable)
		return res, nil
	}
	if first, err := x.opts.OCR.Ready(ctx); err != nil {
		if first {
			x.opts.Log.Warn("ocr unavailable: scanned pdf pages get no text", "err", err)
		}
		out.Flag(FlagOCRUnavailable)
		return res, ctx.Err()
	}
	if len(pages) > x.opts.MaxOCRPages {
		out.Flag(FlagOCRCapped)
		out.Meta(KeyOCRSkipped, strconv.Itoa(len(pages)-x.opts.MaxOCRPages))
		pages = pages[:x.opts.MaxOCRPages]
	}
	boxes, err := x.pageBoxes(ctx, in, pages)
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp(in.TempDir, "pdfocr-")
	if err != nil {
		return res, fmt.Errorf("pdf ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	var timeouts, tooLarge int
	defer func() {
		if timeouts > 0 {
			out.Flag(FlagOCRTimeout)
			out.Meta(KeyOCRTimeouts, strconv.Itoa(timeouts))
		}
		if tooLarge > 0 {
			out.Flag(FlagPageTooLarge)
			out.Meta(KeyPagesTooLarge, strconv.Itoa(tooLarge))
		}
	}()
	for k, i := range pages {
		if err := ctx.Err(); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				// The parse deadline: keep the pages done, count the
				// rest as timed out.
				timeouts += len(pages) - k
				return res, nil
			}
			return res, err
		}
		dpi, down, ok := renderDPI(boxes[i+1], x.opts.DPI, in.Limits.Pixels())
		if !ok {
			in.Log.Debug("pdf page too large to rasterise", "page", i+1, "w", boxes[i+1].w, "h", boxes[i+1].h)
			tooLarge++
			continue
		}
		if down {
			out.Flag(FlagPageDownscaled)
		}
		n := strconv.Itoa(i + 1)
		prefix := filepath.Join(dir, "p"+n)
		// -singlefile names the output prefix.png without a page suffix.
		if _, err := x.run(ctx, in, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile",
			"-f", n, "-l", n, in.File, prefix); err != nil {
			if errors.Is(err, tool.ErrMemory) {
				return res, fmt.Errorf("pdf page %d: rasterise: %w", i+1, err)
			}
			in.Log.Debug("pdf rasterise", "page", i+1, "err", err)
			continue
		}
		pctx, cancel := ocr.Detach(ctx, in.Limits.ToolTimeout)
		r, err := x.opts.OCR.Image(pctx, prefix+".png", dir)
		cancel()
		os.Remove(prefix + ".png")
		if err != nil {
			if errors.Is(ctx.Err(), context.Canceled) {
				return res, ctx.Err()
			}
			if ocr.IsTimeout(err) {
				in.Log.Debug("pdf page ocr timeout", "page", i+1, "err", err)
				timeouts++
				continue
			}
			return res, fmt.Errorf("pdf page %d: %w", i+1, err)
		}
		res[i] = r
	}
	return res, nil
}

// pageBoxes reads the sizes of the 1-based pages pages[i]+1 with one
// pdfinfo run over their range. A page pdfinfo does not size is absent,
// and so is never rasterised: an unknown size is treated as too large.
func (x *Extractor) pageBoxes(ctx context.Context, in *extract.Input, pages []int) (map[int]pageBox, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	first, last := pages[0]+1, pages[0]+1
	for _, i := range pages {
		first, last = min(first, i+1), max(last, i+1)
	}
	r, err := x.run(ctx, in, "pdfinfo", "-box", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), in.File)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		in.Log.Debug("pdf page sizes", "err", err)
	}
	return parseBoxes(r.Stdout), nil
}

// SplitPages splits pdftotext output on form feeds. pdftotext ends every
// page with one, so the empty tail after the last is dropped.
func SplitPages(s string) []string {
	if s == "" {
		return nil
	}
	pages := strings.Split(s, "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func textRunes(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) && unicode.IsPrint(r) {
			n++
		}
	}
	return n
}

func hasText(pages []string) bool {
	for _, p := range pages {
		if textRunes(p) > 0 {
			return true
		}
	}
	return false
}

// passwordNeeded reports whether poppler refused a PDF for want of its
// user password ("Command Line Error: Incorrect password"). An owner
// password alone (no copying, no printing) does not stop poppler and is
// only flagged.
func passwordNeeded(stderr string) bool {
	return strings.Contains(stderr, "Incorrect password")
}
