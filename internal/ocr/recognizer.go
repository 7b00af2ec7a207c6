package ocr

import "context"

// Engine names, stored per document (meta key ocr.engine) and accepted in
// case.json's ocr_engine: persisted strings, never renamed.
const (
	EngineTesseract = "tesseract"
	EnginePaddle    = "paddle"
	// EngineAuto picks paddle where its runtime and models are installed,
	// tesseract otherwise.
	EngineAuto = "auto"
)

// Recognizer is the seam between the extractors and an OCR engine: the
// image and PDF extractors call it for every page, so an implementation
// must be safe for concurrent use and bound its own parallelism.
type Recognizer interface {
	// Name is the engine name recorded on each document: EngineTesseract,
	// EnginePaddle.
	Name() string
	// Ready reports once whether the engine can run (tools, runtime,
	// models); first is true for the one call that did the check, so that
	// exactly one caller logs a warning.
	Ready(ctx context.Context) (first bool, err error)
	// Image recognises the text of the image file at path; tmpDir is for
	// scratch files. An image without text is an empty Result, not an
	// error; an image over the pixel limit is ErrTooLarge before decoding.
	Image(ctx context.Context, path, tmpDir string) (Result, error)
}

var _ Recognizer = (*Engine)(nil)

// Name implements Recognizer.
func (*Engine) Name() string { return EngineTesseract }

// Meta keys the extractors record per document: which engine read its
// pixels and, for paddle, the model version. An engine change is visible
// on every document it touched, and a re-extraction rewrites both.
const (
	MetaEngine = "ocr.engine"
	MetaModel  = "ocr.model"
)
