//go:build cgo

package paddle

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The ONNX Runtime environment is process-wide and holds one library, so
// it is set up once; a library that fails to load (missing, corrupt, wrong
// architecture) leaves it unset, and another path may be tried.
var (
	envMu  sync.Mutex
	envLib string // the library loaded, once one has
)

func initEnv(lib string) error {
	envMu.Lock()
	defer envMu.Unlock()
	if envLib != "" {
		if lib != envLib {
			return fmt.Errorf("onnxruntime already loaded from %s, not %s", envLib, lib)
		}
		return nil
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("onnxruntime %s: %w", filepath.Base(lib), err)
	}
	envLib = lib
	return nil
}

// ortRunner is one loaded model. ONNX Runtime sessions are safe for
// concurrent Run calls; each call runs on its caller's goroutine with one
// intra-op thread, so parallelism is the number of workers.
type ortRunner struct {
	s    *ort.DynamicAdvancedSession
	name string
}

func newRunner(path, in, out string) (*ortRunner, error) {
	o, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	defer o.Destroy()
	// One thread per call: workers give the parallelism. The CPU memory
	// arena stays on: turning it off, for inputs whose shape changes with
	// every image, raised peak RSS (malloc fragments more than the arena).
	if err := errors.Join(o.SetIntraOpNumThreads(1), o.SetInterOpNumThreads(1),
		o.SetExecutionMode(ort.ExecutionModeSequential)); err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	s, err := ort.NewDynamicAdvancedSession(path, []string{in}, []string{out}, o)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", filepath.Base(path), err)
	}
	return &ortRunner{s: s, name: filepath.Base(path)}, nil
}

func (r *ortRunner) run(data []float32, shape []int64, use func(out []float32, shape []int64) error) error {
	t, err := ort.NewTensor(ort.NewShape(shape...), data)
	if err != nil {
		return fmt.Errorf("%s input: %w", r.name, err)
	}
	defer t.Destroy()
	outs := []ort.Value{nil}
	if err := r.s.Run([]ort.Value{t}, outs); err != nil {
		return fmt.Errorf("%s run: %w", r.name, err)
	}
	defer outs[0].Destroy()
	ot, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return fmt.Errorf("%s output: not a float32 tensor", r.name)
	}
	return use(ot.GetData(), ot.GetShape())
}

func (r *ortRunner) close() error { return r.s.Destroy() }

// loadModels opens the three sessions; the input and output names are
// those of the PP-OCR ONNX exports.
func loadModels(p Paths) (det, rec, cls runner, err error) {
	if err := initEnv(p.Runtime); err != nil {
		return nil, nil, nil, err
	}
	var rs []*ortRunner
	for _, m := range []struct{ file, out string }{
		{DetModel, "sigmoid_0.tmp_0"}, {RecModel, "softmax_11.tmp_0"}, {ClsModel, "softmax_0.tmp_0"},
	} {
		r, err := newRunner(filepath.Join(p.Models, m.file), "x", m.out)
		if err != nil {
			for _, r := range rs {
				r.close()
			}
			return nil, nil, nil, err
		}
		rs = append(rs, r)
	}
	return rs[0], rs[1], rs[2], nil
}
