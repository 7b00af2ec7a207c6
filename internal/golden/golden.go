// Package golden compares test output with golden files under
// testdata/golden/ and rewrites them when a test runs with -update.
//
// # The -update flag
//
// This package registers -update, once, for every test binary that links
// it, and tests read it through Update. Packages must not declare their
// own: a second flag.Bool("update") in the same binary panics at start,
// and a package that had a private flag and no golden import made
// `go test ./... -update` (make golden) fail with "flag provided but not
// defined". The Makefile's golden target runs exactly the packages whose
// tests link this package.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden instead of comparing")

// Update reports whether the test binary runs with -update. Tests that
// write golden files of their own shape (not through Check) consult it.
func Update() bool { return *update }

// Path is the golden file of the running test (and subtest):
// testdata/golden/<TestName>/<subtest>.golden.
func Path(t testing.TB) string {
	return filepath.Join("testdata", "golden", filepath.FromSlash(t.Name())+".golden")
}

// Check compares got with the golden file at path, or writes it under
// -update. A missing golden file fails the test with a hint.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	check(t, path, got, Update())
}

func check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run the test with -update to create it)", path, err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("golden %s (-want +got):\n%s", path, diff)
	}
}
