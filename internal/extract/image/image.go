package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Name is the stored extractor name.
const Name = "image"

// Meta keys besides the EXIF ones.
const (
	KeyWidth         = "width"
	KeyHeight        = "height"
	KeyFormat        = "image.format"
	KeyOCRLangs      = "ocr.langs"
	KeyOCRPSM        = "ocr.psm"
	KeyOCRConfidence = "ocr.confidence"
	KeyOCRPasses     = "ocr.passes"
)

// Flags.
const (
	FlagOCRUnavailable = "ocr-unavailable"
	FlagGluedLatin     = "ocr-glued-latin" // Chinese model ran English words together
	FlagTooLarge       = "decompression-bomb"
	FlagEXIFDamaged    = "exif-damaged"
	// FlagOCRTimeout: OCR ran past the tool timeout; the image keeps its
	// metadata and is not a failed document.
	FlagOCRTimeout = "ocr-timeout"
)

// ArtifactTSV is the name of the attached tesseract TSV (word boxes).
const ArtifactTSV = "ocr.tsv"

// maxEXIFScan is how much of a file is searched for EXIF: JPEG APP1 is at
// most 64 KiB and comes first, PNG/WebP put it before the pixels; a TIFF's
// IFDs may sit anywhere, so TIFF reads further.
const (
	maxEXIFScan     = 1 << 20
	maxEXIFScanTIFF = 32 << 20
)

// Options configure the extractor.
type Options struct {
	// OCR recognises text (tesseract or paddle, see ocr/engines); nil
	// disables OCR (the document is flagged ocr-unavailable).
	OCR ocr.Recognizer
	// MaxPixels refuses images whose header declares more pixels; 0 means
	// the document's leak.Limits.MaxPixels.
	MaxPixels int64
	Log       *slog.Logger
}

// Extractor reads image metadata and OCRs the pixels. It is safe for
// concurrent use.
type Extractor struct{ opts Options }

var _ extract.Extractor = (*Extractor)(nil)

// New returns an image extractor.
func New(opts Options) *Extractor {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{opts: opts}
}

// Name implements extract.Extractor.
func (*Extractor) Name() string { return Name }

// Accepts implements extract.Extractor.
func (*Extractor) Accepts() []string {
	// TIFF is claimed by extract/tiff, which splits its pages and runs
	// this extractor on each.
	return []string{sniff.PNG, sniff.JPEG, sniff.GIF, sniff.BMP, sniff.WEBP}
}

// Extract records dimensions and EXIF, then OCRs the image as page 1.
// A header declaring more than MaxPixels (or more decoded bytes than
// MaxPixels of RGBA, see ocr.CheckSize) is refused with a
// *extract.LimitError before any pixel is decoded. OCR that runs past
// the tool timeout flags the image ocr-timeout instead of failing it.
func (x *Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	cfg, format, err := ocr.Config(in.File)
	if err != nil {
		return fmt.Errorf("image header: %w", err)
	}
	out.Meta(KeyFormat, format)
	out.Meta(KeyWidth, strconv.Itoa(cfg.Width))
	out.Meta(KeyHeight, strconv.Itoa(cfg.Height))

	if err := x.metadata(in, out); err != nil {
		in.Log.Debug("exif", "err", err)
		out.Flag(FlagEXIFDamaged)
	}

	maxPx := x.opts.MaxPixels
	if maxPx <= 0 {
		maxPx = in.Limits.Pixels()
	}
	if err := ocr.CheckSize(cfg, maxPx); err != nil {
		out.Flag(FlagTooLarge)
		return &extract.LimitError{What: "pixels", Limit: maxPx, Got: int64(cfg.Width) * int64(cfg.Height)}
	}
	if x.opts.OCR == nil {
		out.Flag(FlagOCRUnavailable)
		return nil
	}
	if first, err := x.opts.OCR.Ready(ctx); err != nil {
		if first {
			x.opts.Log.Warn("ocr unavailable: images get metadata only", "err", err)
		}
		out.Flag(FlagOCRUnavailable)
		return ctx.Err()
	}
	// An image that is a member of a document (a docx picture) runs its
	// OCR on its own clock, not the rest of its container's.
	octx, cancel := ocr.Detach(ctx, in.Limits.ToolTimeout)
	defer cancel()
	r, err := x.opts.OCR.Image(octx, in.File, in.TempDir)
	if err != nil {
		switch {
		case errors.Is(err, ocr.ErrTooLarge):
			out.Flag(FlagTooLarge)
		case ocr.IsTimeout(err) && ctx.Err() != context.Canceled:
			in.Log.Debug("image ocr timeout", "err", err)
			out.Flag(FlagOCRTimeout)
			return nil
		}
		return fmt.Errorf("image ocr: %w", err)
	}
	out.Page(extract.Page{Number: 1, Text: r.Text, OCR: true, Confidence: r.Confidence})
	out.Attach(ArtifactTSV, r.TSV)
	if r.Engine != ocr.EnginePaddle { // tesseract's choices; paddle has none
		out.Meta(KeyOCRLangs, r.Langs)
		out.Meta(KeyOCRPSM, strconv.Itoa(r.PSM))
	}
	out.Meta(KeyOCRConfidence, strconv.FormatFloat(r.Confidence, 'f', 1, 64))
	out.Meta(KeyOCRPasses, strconv.Itoa(r.Passes))
	out.Meta(ocr.MetaEngine, r.Engine)
	if r.Model != "" {
		out.Meta(ocr.MetaModel, r.Model)
	}
	if r.GluedLatin > 0 {
		out.Flag(FlagGluedLatin)
	}
	return nil
}

// metadata reads the head of the file and emits EXIF keys in a stable
// order.
func (x *Extractor) metadata(in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	limit := int64(maxEXIFScan)
	if in.MIME == sniff.TIFF {
		limit = maxEXIFScanTIFF
	}
	head, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return err
	}
	meta, err := Metadata(head)
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Meta(k, meta[k])
	}
	return err
}

// Metadata returns the EXIF Meta keys of an image given its leading bytes.
func Metadata(head []byte) (map[string]string, error) {
	block := FindEXIF(head)
	if block == nil {
		return map[string]string{}, nil
	}
	return EXIF(block)
}
