package paddle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Environment variables that point leakscope at the engine's parts when
// they are not in the data directory.
const (
	EnvRuntime = "LEAKSCOPE_ONNXRUNTIME"   // the libonnxruntime.so.1 file
	EnvModels  = "LEAKSCOPE_PADDLE_MODELS" // the directory of the four model files
)

// Where scripts/get-paddle.sh installs the parts, under the data
// directory ${XDG_DATA_HOME:-~/.local/share}/leakscope. The versions are
// pinned there and here together.
const (
	RuntimeDir   = "onnxruntime-1.30.0"
	RuntimeLib   = "libonnxruntime.so.1"
	ModelsDir    = "ppocr-models-1.4.2"
	DetModel     = "ch_PP-OCRv4_det_infer.onnx"
	RecModel     = "ch_PP-OCRv4_rec_infer.onnx"
	ClsModel     = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
	KeysFile     = "ppocr_keys_v1.txt"
	ModelName    = "PP-OCRv4 (det, rec) + mobile v2.0 cls"
	ModelVersion = "ppocrv4"
)

// ErrNotInstalled is returned when the runtime or a model file is not
// found: leakscope then OCRs with tesseract.
var ErrNotInstalled = errors.New("paddle ocr not installed (scripts/get-paddle.sh)")

// Paths locates the engine's parts.
type Paths struct {
	Runtime string // the ONNX Runtime shared library
	Models  string // directory holding DetModel, RecModel, ClsModel, KeysFile
}

// dataDir is leakscope's user data directory, as get-cedict.sh uses it.
func dataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "leakscope")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".local", "share", "leakscope")
}

// Find returns the paths of the runtime and models: the environment
// variables when set, the data directory otherwise. It checks that every
// file exists and is not empty, and wraps ErrNotInstalled when one is
// missing; whether the files load is for Open to find out.
func Find() (Paths, error) {
	p := Paths{Runtime: os.Getenv(EnvRuntime), Models: os.Getenv(EnvModels)}
	d := dataDir()
	if p.Runtime == "" && d != "" {
		p.Runtime = filepath.Join(d, RuntimeDir, RuntimeLib)
	}
	if p.Models == "" && d != "" {
		p.Models = filepath.Join(d, ModelsDir)
	}
	return p, p.check()
}

func (p Paths) check() error {
	files := []string{p.Runtime}
	for _, f := range []string{DetModel, RecModel, ClsModel, KeysFile} {
		files = append(files, filepath.Join(p.Models, f))
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || fi.Size() == 0 || !fi.Mode().IsRegular() {
			return fmt.Errorf("%w: %s missing", ErrNotInstalled, f)
		}
	}
	return nil
}
