package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/demo"
)

// demoFixture is the demo leak written and ingested by the real binary
// (`leakscope demo --no-serve`), shared by the search, serve and demo
// tests of this package.
type demoFixture struct {
	bin, dir, caseDir string
	truth             demo.Truth
	elapsed           time.Duration
}

var (
	demoFixOnce sync.Once
	demoFix     *demoFixture
	demoFixErr  error
)

// theDemoCase runs the demo command once per test process; it skips with
// -short.
func theDemoCase(t *testing.T) *demoFixture {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and ingests the demo")
	}
	bin := binary(t)
	demoFixOnce.Do(func() {
		root, err := os.MkdirTemp("", "leakscope-demo-")
		if err != nil {
			demoFixErr = err
			return
		}
		f := &demoFixture{bin: bin, dir: filepath.Join(root, "leak"), caseDir: filepath.Join(root, "case")}
		start := time.Now()
		out, err := exec.Command(bin, "demo", "--no-serve", "-q", "--dir", f.dir, "--case", f.caseDir).CombinedOutput()
		f.elapsed = time.Since(start)
		if err != nil {
			demoFixErr = fmt.Errorf("demo: %v\n%s", err, out)
			return
		}
		// The truth of the same bytes: the demo is deterministic.
		m, err := demo.Write(filepath.Join(root, "again"), demo.Options{})
		if err != nil {
			demoFixErr = err
			return
		}
		f.truth = m.Truth
		demoFix = f
	})
	if demoFixErr != nil {
		t.Fatal(demoFixErr)
	}
	return demoFix
}

// runJSON runs the binary and decodes its JSON output into v.
func runJSON(t *testing.T, bin string, v any, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--format", "json")...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%s: %v\n%.500s", strings.Join(args, " "), err, out)
	}
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hasKeys reports the contract keys missing from m.
func missingKeys(m map[string]any, want ...string) []string {
	var out []string
	for _, k := range want {
		if _, ok := m[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// TestDemoCommand checks that `demo --no-serve` leaves a complete case:
// the contract shapes of docs, targets and chats, every truth target's
// country in the register and every text chat reconstructed; a second run
// reuses the leak and the case.
func TestDemoCommand(t *testing.T) {
	f := theDemoCase(t)
	t.Logf("demo --no-serve took %s", f.elapsed)

	var docs []map[string]any
	runJSON(t, f.bin, &docs, "docs", "--case", f.caseDir)
	if len(docs) < 20 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, d := range docs {
		if miss := missingKeys(d, "id", "sha256", "mime", "size", "language", "ocr", "status", "error", "paths"); miss != nil {
			t.Fatalf("docs entry lacks %v: %v", miss, keysOf(d))
		}
	}

	var targets []map[string]any
	runJSON(t, f.bin, &targets, "targets", "--case", f.caseDir)
	if len(targets) == 0 {
		t.Fatal("no targets")
	}
	countries := map[string]bool{}
	for _, tg := range targets {
		if miss := missingKeys(tg, "name", "aliases", "country", "sector", "data_types", "volume_bytes", "records",
			"first_seen", "last_seen", "confidence", "evidence"); miss != nil {
			t.Fatalf("target lacks %v: %v", miss, keysOf(tg))
		}
		countries[tg["country"].(string)] = true
	}
	for _, tg := range f.truth.Targets {
		if !countries[tg.Country] {
			t.Errorf("no target in %s (%s)", tg.Country, tg.NameEN)
		}
	}

	var chats struct {
		Conversations []map[string]any `json:"conversations"`
		Participants  []map[string]any `json:"participants"`
	}
	runJSON(t, f.bin, &chats, "chats", "--case", f.caseDir)
	if len(chats.Conversations) == 0 || len(chats.Participants) == 0 {
		t.Fatalf("chats: %d conversations, %d participants", len(chats.Conversations), len(chats.Participants))
	}
	sources := map[string]bool{}
	for _, c := range chats.Conversations {
		if miss := missingKeys(c, "id", "source", "participants", "messages", "first", "last"); miss != nil {
			t.Fatalf("conversation lacks %v: %v", miss, keysOf(c))
		}
		sources[c["source"].(string)] = true
	}
	for _, p := range chats.Participants {
		if miss := missingKeys(p, "name", "aliases", "messages"); miss != nil {
			t.Fatalf("participant lacks %v: %v", miss, keysOf(p))
		}
	}
	for _, c := range f.truth.Chats.Conversations {
		if c.Shape != "screenshot" && !sources[c.File] {
			t.Errorf("conversation of %s missing", c.File)
		}
	}

	// A second run finds the leak and the case in place.
	out, err := exec.Command(f.bin, "demo", "--no-serve", "-q", "--dir", f.dir, "--case", f.caseDir, "--format", "json").Output()
	if err != nil {
		t.Fatalf("second demo: %v", err)
	}
	var sum struct {
		NewDocuments int64 `json:"new_documents"`
		Documents    int64 `json:"documents"`
	}
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("second demo output: %v: %s", err, out)
	}
	if sum.NewDocuments != 0 || sum.Documents == 0 {
		t.Errorf("second run: %+v, want no new documents", sum)
	}
	var again []map[string]any
	runJSON(t, f.bin, &again, "docs", "--case", f.caseDir)
	if diff := cmp.Diff(len(docs), len(again)); diff != "" {
		t.Errorf("documents after a second run (-want +got):\n%s", diff)
	}
}

// TestDemoDefaults checks the demo's default case directory: without
// --case it ingests into ./demo-case, never into the default ./case.
func TestDemoDefaults(t *testing.T) {
	f := theDemoCase(t)
	wd := t.TempDir()
	cmd := exec.Command(f.bin, "demo", "--no-serve", "-q", "--dir", f.dir)
	cmd.Dir = wd
	cmd.Env = slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "LEAKSCOPE_CASE=") })
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(wd, demoCaseDir, "case.json")); err != nil {
		t.Errorf("no case in ./%s: %v", demoCaseDir, err)
	}
	if _, err := os.Stat(filepath.Join(wd, "case")); err == nil {
		t.Errorf("demo wrote ./case")
	}
}
