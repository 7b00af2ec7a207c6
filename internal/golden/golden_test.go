package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x", "a.golden")
	Check(t, p, []byte("one\n"), true)
	if b, err := os.ReadFile(p); err != nil || string(b) != "one\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}
	Check(t, p, []byte("one\n"), false)
	if got := Path(t); got != filepath.Join("testdata", "golden", "TestCheck.golden") {
		t.Errorf("Path = %s", got)
	}
}
