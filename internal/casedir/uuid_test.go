package casedir

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var uuid4RE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestCaseUUID checks that every case gets its own random UUID: two
// cases in folders of the same name differ, the UUID survives a reopen,
// and a case.json written before the field existed gets one on its next
// write-mode open (a read-only open leaves the file alone).
func TestCaseUUID(t *testing.T) {
	open := func(dir string, mode Mode) Config {
		t.Helper()
		c, err := Open(t.Context(), dir, mode)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.Config
	}
	a, b := newCase(t), newCase(t)
	if filepath.Base(a) != filepath.Base(b) {
		t.Fatalf("want folders of the same name, got %s and %s", a, b)
	}
	ua, ub := open(a, ReadOnly).UUID, open(b, ReadOnly).UUID
	if !uuid4RE.MatchString(ua) || !uuid4RE.MatchString(ub) {
		t.Fatalf("not version 4 UUIDs: %q %q", ua, ub)
	}
	if ua == ub {
		t.Errorf("two cases share the UUID %s", ua)
	}
	if got := open(a, Write).UUID; got != ua {
		t.Errorf("reopen changed the UUID from %s to %s", ua, got)
	}

	// An old case: case.json without a uuid.
	cfg := filepath.Join(a, "case.json")
	old, _ := json.Marshal(Config{Version: 1, Translator: "gloss"})
	if err := os.WriteFile(cfg, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := open(a, ReadOnly).UUID; got != "" {
		t.Errorf("a read-only open wrote the UUID %s", got)
	}
	got := open(a, Write).UUID
	if !uuid4RE.MatchString(got) {
		t.Fatalf("old case got %q on a write-mode open", got)
	}
	if again := open(a, ReadOnly).UUID; again != got {
		t.Errorf("UUID %s not saved (read back %s)", got, again)
	}
}
