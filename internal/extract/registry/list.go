package registry

import (
	"log/slog"
	"runtime"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/archive"
	"github.com/leakscope/leakscope/internal/extract/binstrings"
	"github.com/leakscope/leakscope/internal/extract/db"
	"github.com/leakscope/leakscope/internal/extract/gitrepo"
	"github.com/leakscope/leakscope/internal/extract/html"
	"github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/extract/legacy"
	"github.com/leakscope/leakscope/internal/extract/mail"
	"github.com/leakscope/leakscope/internal/extract/msg"
	"github.com/leakscope/leakscope/internal/extract/office"
	"github.com/leakscope/leakscope/internal/extract/pdf"
	"github.com/leakscope/leakscope/internal/extract/pst"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/extract/tiff"
	"github.com/leakscope/leakscope/internal/extract/unixarc"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/ocr/engines"
	"github.com/leakscope/leakscope/internal/tool"
)

// Options configure the extractors that need more than defaults.
type Options struct {
	// OCR is shared by every extractor that recognises pixels, so its
	// concurrency cap holds across them. Nil: a default engine.
	OCR ocr.Recognizer
	// OCREngine names the engine when OCR is nil: case.json's ocr_engine
	// (see ocr/engines); an unknown name is warned about and the default
	// used.
	OCREngine string
	// MaxPixels and ToolMemory are the run's leak.Limits.MaxPixels and
	// ToolMemory, given to the OCR engine built when OCR is nil (0: the
	// defaults), so that --max-pixels and --tool-memory reach tesseract.
	MaxPixels, ToolMemory int64
	Log                   *slog.Logger
	// ToolLimiter caps concurrent runs of the legacy-format converters.
	ToolLimiter tool.Limiter
}

// List is the one explicit list of extractors.
func List(opts Options) []extract.Extractor {
	if opts.ToolLimiter == nil {
		opts.ToolLimiter = tool.NewLimiter(runtime.NumCPU())
	}
	if opts.OCR == nil {
		tess := ocr.Options{MaxPixels: opts.MaxPixels, MaxMemory: opts.ToolMemory}
		rec, err := engines.New(engines.Options{Engine: opts.OCREngine, Tesseract: tess, Log: opts.Log})
		if err != nil {
			if opts.Log != nil {
				opts.Log.Warn("ocr engine unknown, using the default", "err", err)
			}
			rec, _ = engines.New(engines.Options{Tesseract: tess, Log: opts.Log})
		}
		opts.OCR = rec
	}
	img := image.New(image.Options{OCR: opts.OCR, Log: opts.Log})
	return []extract.Extractor{
		text.Extractor{},
		text.Table{},
		html.Extractor{},
		office.DOCX{},
		office.XLSX{},
		office.PPTX{},
		office.ODF{},
		office.EPUB{},
		legacy.Extractor{Limiter: opts.ToolLimiter},
		pdf.New(pdf.Options{OCR: opts.OCR, Log: opts.Log}),
		img,
		tiff.Extractor{Image: img},
		archive.Zip{},
		archive.Tar{},
		archive.Compressed{},
		archive.SevenZip{},
		archive.RAR{},
		unixarc.Extractor{},
		mail.EML{},
		mail.MBOX{},
		msg.Extractor{},
		pst.Extractor{Limiter: opts.ToolLimiter},
		gitrepo.Bundle{},
		db.SQLite{},
		db.DBF{},
		binstrings.Extractor{},
	}
}
