// Package golden compares test output with golden files under
// testdata/golden/ and rewrites them when a test runs with -update. Each
// test package keeps its own -update flag (flags are per test binary) and
// passes its value in.
package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Path is the golden file of the running test (and subtest):
// testdata/golden/<TestName>/<subtest>.golden.
func Path(t testing.TB) string {
	return filepath.Join("testdata", "golden", filepath.FromSlash(t.Name())+".golden")
}

// Check compares got with the golden file at path, or writes it when
// update is set. A missing golden file fails the test with a hint.
func Check(t testing.TB, path string, got []byte, update bool) {
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
