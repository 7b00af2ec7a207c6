package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of
// stopping, so that the decision can be checked.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Skip(args ...any) {
	r.skipped, r.msg = true, fmt.Sprint(args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name       string
		strict     string
		shared     bool   // ../shared beside the module
		corpusEnv  string // LEAKSCOPE_CORPUS
		call       func(t testing.TB)
		wantFailed bool
	}{
		{name: "tool, local", call: func(t testing.TB) { Missing(t, "tesseract not installed") }},
		{name: "tool, strict", strict: "1", call: func(t testing.TB) { Missing(t, "tesseract not installed") }, wantFailed: true},
		{name: "tool, strict=0", strict: "0", call: func(t testing.TB) { Missing(t, "x") }},
		{name: "missing program on PATH, strict", strict: "1", call: func(t testing.TB) { NeedTool(t, "leakscope-no-such-tool") }, wantFailed: true},
		{name: "missing file, local", call: func(t testing.TB) { NeedFile(t, "/nonexistent/acme.dict", "dictionary", "scripts/get-it.sh") }},
		{name: "corpus, local, shared present", shared: true, call: func(t testing.TB) { MissingCorpus(t, "corpus absent") }},
		{name: "corpus, strict, no shared folder", strict: "1", call: func(t testing.TB) { MissingCorpus(t, "corpus absent") }},
		{name: "corpus, strict, shared present", strict: "1", shared: true, call: func(t testing.TB) { MissingCorpus(t, "corpus absent") }, wantFailed: true},
		{name: "corpus, strict, LEAKSCOPE_CORPUS set", strict: "1", corpusEnv: "/nonexistent", call: func(t testing.TB) { MissingCorpus(t, "corpus absent") }, wantFailed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			mod := filepath.Join(base, "repo")
			must(t, os.MkdirAll(filepath.Join(mod, "internal", "x"), 0o755))
			must(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/acme\n"), 0o644))
			if tt.shared {
				must(t, os.Mkdir(filepath.Join(base, "shared"), 0o755))
			}
			t.Chdir(filepath.Join(mod, "internal", "x"))
			t.Setenv(StrictEnv, tt.strict)
			t.Setenv("LEAKSCOPE_CORPUS", tt.corpusEnv)
			r := &recorder{TB: t}
			tt.call(r)
			if r.failed != tt.wantFailed || r.skipped == tt.wantFailed {
				t.Errorf("failed=%v skipped=%v (%q), want failed=%v", r.failed, r.skipped, r.msg, tt.wantFailed)
			}
		})
	}
}

func TestNeedToolFound(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", filepath.Dir(exe))
	t.Setenv(StrictEnv, "1")
	r := &recorder{TB: t}
	got := NeedTool(r, filepath.Base(exe))
	if r.failed || r.skipped || len(got) != 1 || got[0] != exe {
		t.Fatalf("NeedTool = %v (failed=%v skipped=%v %q)", got, r.failed, r.skipped, r.msg)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
