//go:build !cgo

package paddle

import "errors"

// loadModels needs cgo: ONNX Runtime is a C library loaded at run time.
// A build without cgo keeps the tesseract engine only.
func loadModels(Paths) (det, rec, cls runner, err error) {
	return nil, nil, nil, errors.New("paddle ocr needs a build with cgo (CGO_ENABLED=1)")
}
