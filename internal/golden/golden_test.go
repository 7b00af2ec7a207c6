package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x", "a.golden")
	check(t, p, []byte("one\n"), true)
	if b, err := os.ReadFile(p); err != nil || string(b) != "one\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}
	check(t, p, []byte("one\n"), false)
	if got := Path(t); got != filepath.Join("testdata", "golden", "TestCheck.golden") {
		t.Errorf("Path = %s", got)
	}
}

// TestUpdateFlag checks that -update is registered by this package, so
// every test binary linking it accepts the flag, and that Update reads it.
func TestUpdateFlag(t *testing.T) {
	f := flag.Lookup("update")
	if f == nil {
		t.Fatal("-update is not registered")
	}
	old := f.Value.String()
	t.Cleanup(func() { flag.Set("update", old) })
	for _, v := range []string{"true", "false"} {
		if err := flag.Set("update", v); err != nil {
			t.Fatal(err)
		}
		if got := Update(); (v == "true") != got {
			t.Errorf("-update=%s: Update() = %v", v, got)
		}
	}
}
