package extracttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Timeout bounds one extraction inside Check; an extractor still running
// after it is reported as hanging.
var Timeout = 30 * time.Second

// NewInput builds an Input for the file at path: its MIME type sniffed
// from the content, default limits, a discarding logger and a fresh
// temporary directory.
func NewInput(t testing.TB, path string) *extract.Input {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("input %s: %v", path, err)
	}
	mime, err := sniff.File(path, filepath.Base(path))
	if err != nil {
		t.Fatalf("sniff %s: %v", path, err)
	}
	return &extract.Input{
		File:    path,
		Name:    filepath.Base(path),
		MIME:    mime,
		Size:    st.Size(),
		Limits:  leak.DefaultLimits(),
		Log:     slog.New(slog.DiscardHandler),
		TempDir: t.TempDir(),
	}
}

// NewInputMIME builds an Input for the file at path with the MIME type
// given rather than sniffed, for fuzz targets and formats sniff cannot tell.
func NewInputMIME(t testing.TB, path, mime string) *extract.Input {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("input %s: %v", path, err)
	}
	return &extract.Input{
		File:    path,
		Name:    filepath.Base(path),
		MIME:    mime,
		Size:    st.Size(),
		Limits:  leak.DefaultLimits(),
		Log:     slog.New(slog.DiscardHandler),
		TempDir: filepath.Dir(path),
	}
}

// Run extracts in with a fresh Recorder, converting a panic into an error
// that carries the stack.
func Run(ctx context.Context, e extract.Extractor, in *extract.Input) (*Recorder, error) {
	r := &Recorder{}
	err := RunWith(ctx, e, in, r)
	return r, err
}

// RunWith extracts in into r, converting a panic into an error.
func RunWith(ctx context.Context, e extract.Extractor, in *extract.Input, r *Recorder) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return e.Extract(ctx, in, r)
}

// PanicError is a panic recovered from an extractor.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v\n%s", p.Value, p.Stack) }

// runTimed runs with Timeout and reports a hang as an error.
func runTimed(ctx context.Context, e extract.Extractor, in *extract.Input, r *Recorder) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- RunWith(ctx, e, in, r) }()
	select {
	case err := <-done:
		return err
	case <-time.After(Timeout + 5*time.Second):
		return fmt.Errorf("extract %s: still running %s after its context ended", in.Name, 5*time.Second)
	}
}

var flagRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.:_-]*$`)

// Validate reports the contract violations in a recording: invalid UTF-8
// in text, pages and metadata; malformed flags; children without a name or
// with both a link and a body.
func Validate(r *Recorder) []string {
	var bad []string
	if !utf8.ValidString(r.Body()) {
		bad = append(bad, "text is not valid UTF-8")
	}
	for i, p := range r.Pages {
		if p.Number < 1 {
			bad = append(bad, fmt.Sprintf("page %d: number %d < 1", i, p.Number))
		}
		if !utf8.ValidString(p.Label) {
			bad = append(bad, fmt.Sprintf("page %d: label is not valid UTF-8", i))
		}
	}
	for _, kv := range r.MetaKV {
		if kv.Key == "" || kv.Key != lower(kv.Key) {
			bad = append(bad, fmt.Sprintf("meta key %q is empty or not lower-case", kv.Key))
		}
		if !utf8.ValidString(kv.Value) {
			bad = append(bad, fmt.Sprintf("meta %s: value is not valid UTF-8", kv.Key))
		}
	}
	for _, f := range r.Flags {
		if !flagRE.MatchString(f) {
			bad = append(bad, fmt.Sprintf("flag %q is not a lower-case word", f))
		}
	}
	for i, c := range r.Children {
		if c.Name == "" {
			bad = append(bad, fmt.Sprintf("child %d has no name", i))
		}
		switch kinds := btoi(c.Link != "") + btoi(c.Data != nil) + btoi(c.Skip != ""); {
		case kinds > 1:
			bad = append(bad, fmt.Sprintf("child %q has more than one of a link, a body and a skip reason", c.Name))
		case kinds == 0:
			bad = append(bad, fmt.Sprintf("child %q has neither a link, a body nor a skip reason", c.Name))
		}
		for _, f := range c.Flags {
			if !flagRE.MatchString(f) {
				bad = append(bad, fmt.Sprintf("child %q: flag %q is not a lower-case word", c.Name, f))
			}
		}
	}
	return bad
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

func isUTF8(b []byte) bool { return utf8.Valid(b) }

// Check runs the conformance checks described in the package comment over
// the sample files at paths. It fails the test when paths is empty: a
// conformance test over zero samples checks nothing. The MIME type of each
// sample is sniffed; when sniff does not name a type e accepts, the first
// accepted type is used, so that formats sniff cannot tell still get
// checked.
func Check(t *testing.T, e extract.Extractor, paths ...string) {
	t.Helper()
	if len(paths) == 0 {
		t.Fatal("extracttest.Check: no sample files: a conformance check over zero inputs checks nothing")
	}
	ins := make([]*extract.Input, 0, len(paths))
	for _, p := range paths {
		in := NewInput(t, p)
		if !slices.Contains(e.Accepts(), in.MIME) && len(e.Accepts()) > 0 {
			in.MIME = e.Accepts()[0]
		}
		ins = append(ins, in)
	}
	CheckInputs(t, e, ins...)
}

// CheckInputs is Check with the inputs given in full (MIME type, limits).
func CheckInputs(t *testing.T, e extract.Extractor, ins ...*extract.Input) {
	t.Helper()
	if len(ins) == 0 {
		t.Fatal("extracttest.CheckInputs: no inputs: a conformance check over zero inputs checks nothing")
	}
	t.Run("identity", func(t *testing.T) {
		if e.Name() == "" {
			t.Error("Name() is empty")
		}
		acc := e.Accepts()
		if len(acc) == 0 {
			t.Error("Accepts() is empty")
		}
		seen := map[string]bool{}
		for _, m := range acc {
			if seen[m] {
				t.Errorf("Accepts() lists %q twice", m)
			}
			seen[m] = true
		}
	})
	for _, in := range ins {
		t.Run(filepath.Base(in.File), func(t *testing.T) { checkOne(t, e, in) })
	}
}

func checkOne(t *testing.T, e extract.Extractor, in *extract.Input) {
	ctx := t.Context()
	first := &Recorder{}
	if err := runTimed(ctx, e, in, first); err != nil {
		var pe *PanicError
		if errors.As(err, &pe) {
			t.Fatalf("extract %s: %v", in.Name, err)
		}
		// A sample may be damaged on purpose; its error is allowed but
		// must not be a cancellation we did not ask for.
		if errors.Is(err, context.Canceled) {
			t.Fatalf("extract %s: reported cancellation without one: %v", in.Name, err)
		}
		t.Logf("extract %s: %v (allowed for a damaged sample)", in.Name, err)
	}
	for _, b := range Validate(first) {
		t.Errorf("extract %s: %s", in.Name, b)
	}

	t.Run("deterministic", func(t *testing.T) {
		second := &Recorder{}
		_ = runTimed(ctx, e, in, second)
		if diff := cmp.Diff(first.Summary(1<<10), second.Summary(1<<10)); diff != "" {
			t.Errorf("two runs differ (-first +second):\n%s", diff)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		r := &Recorder{}
		err := runTimed(cctx, e, in, r)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("extract with a cancelled context: err = %v, want one wrapping context.Canceled", err)
		}
	})

	if len(first.Children) >= 2 {
		t.Run("cancel-midway", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			r := &Recorder{OnChild: func(Child) error { cancel(); return nil }}
			err := runTimed(cctx, e, in, r)
			if err == nil {
				t.Errorf("cancelled after the first child: err = nil, want an error")
			}
			if r.ChildCalls > 2 {
				t.Errorf("cancelled after the first child: Child called %d times after, want at most 1", r.ChildCalls-1)
			}
		})
		t.Run("limit", func(t *testing.T) {
			r := &Recorder{MaxChildren: 1}
			err := runTimed(ctx, e, in, r)
			if !extract.IsLimit(err) {
				t.Errorf("Child returned a *LimitError: extract err = %v, want it returned", err)
			}
			if r.Refused > 0 {
				t.Errorf("Child called %d more times after a *LimitError", r.Refused)
			}
		})
	}

	t.Run("truncated", func(t *testing.T) {
		data, err := os.ReadFile(in.File)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, n := range cutPoints(len(data)) {
			p := filepath.Join(dir, fmt.Sprintf("cut-%d", n))
			if err := os.WriteFile(p, data[:n], 0o600); err != nil {
				t.Fatal(err)
			}
			cut := *in
			cut.File, cut.Size, cut.TempDir = p, int64(n), t.TempDir()
			r := &Recorder{MaxChildBytes: 8 << 20}
			err := runTimed(ctx, e, &cut, r)
			var pe *PanicError
			if errors.As(err, &pe) {
				t.Errorf("cut at %d of %d bytes: %v", n, len(data), err)
				continue
			}
			if err != nil && err.Error() != "" && bytes.Contains([]byte(err.Error()), []byte("still running")) {
				t.Errorf("cut at %d of %d bytes: %v", n, len(data), err)
			}
			for _, b := range Validate(r) {
				t.Errorf("cut at %d of %d bytes: %s", n, len(data), b)
			}
		}
	})
}

// cutPoints lists the lengths of the truncated copies tried for a sample
// of n bytes: the first few bytes, each eighth, and one byte short.
func cutPoints(n int) []int {
	var pts []int
	for _, c := range []int{0, 1, 2, 7, 16, 64, 512} {
		if c < n {
			pts = append(pts, c)
		}
	}
	for i := 1; i < 8; i++ {
		pts = append(pts, n*i/8)
	}
	if n > 0 {
		pts = append(pts, n-1)
	}
	slices.Sort(pts)
	return slices.Compact(pts)
}

// Golden compares got with the file at path, or rewrites the file under
// -update (the one flag internal/golden registers).
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}

// SharedCorpus returns the directory of the shared evaluation corpus,
// found as ../shared/corpus beside the module root, or skips the test when
// it is absent.
func SharedCorpus(t testing.TB) string {
	t.Helper()
	return corpus.Require(t)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
