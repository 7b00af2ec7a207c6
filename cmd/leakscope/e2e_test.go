package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds leakscope once per test process, so that end-to-end tests
// run the real command as a user would, in its own process (which a
// SIGKILL test needs).
func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "leakscope-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "leakscope")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// writeCorpus generates a tree of text files, duplicates and nested zips.
func writeCorpus(t *testing.T, dir string, n int) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%17))
		os.MkdirAll(sub, 0o755)
		body := fmt.Sprintf("file %d 文件 %d\n%s\n", i%(n-n/10), r.IntN(1000), strings.Repeat("lorem ipsum ", 1+i%50))
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for z := range 5 {
		var inner bytes.Buffer
		zw := zip.NewWriter(&inner)
		for k := range 40 {
			w, _ := zw.Create(fmt.Sprintf("inner/%d.txt", k))
			fmt.Fprintf(w, "inner %d of %d\n", k, z)
		}
		zw.Close()
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("a%d.zip", z)))
		if err != nil {
			t.Fatal(err)
		}
		zw = zip.NewWriter(f)
		w, _ := zw.Create("nested/inner.zip")
		w.Write(inner.Bytes())
		for k := range 30 {
			w, _ := zw.Create(fmt.Sprintf("top/%d.txt", k))
			fmt.Fprintf(w, "member %d of %d\n", k, z%3)
		}
		zw.Close()
		f.Close()
	}
}

type docRow struct {
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	MIME     string   `json:"mime"`
	Language string   `json:"language"`
	Paths    []string `json:"paths"`
}

func docsOf(t *testing.T, bin, caseDir string) []docRow {
	t.Helper()
	out, err := exec.Command(bin, "docs", "--case", caseDir, "--format", "json").Output()
	if err != nil {
		t.Fatalf("docs: %v", err)
	}
	var docs []docRow
	if err := json.Unmarshal(out, &docs); err != nil {
		t.Fatal(err)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	return docs
}

// TestKillResume kills ingest (extraction and the enrichment stages) with
// SIGKILL at random moments and checks that the final case holds exactly
// the documents and entities of an uninterrupted run.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds the binary and ingests several times")
	}
	bin := binary(t)
	src := t.TempDir()
	writeCorpus(t, src, 1500)
	// Notes naming organisations, target tables and chats, so that the
	// per-document analyses and their combine are killed and resumed too.
	mixedCorpus(t, filepath.Join(src, "mixed"), 100)

	ref := filepath.Join(t.TempDir(), "ref")
	start := time.Now()
	if out, err := exec.Command(bin, "ingest", "-q", "--case", ref, src).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := docsOf(t, bin, ref)
	if len(want) < 1000 {
		t.Fatalf("reference run has %d documents", len(want))
	}

	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	got := filepath.Join(t.TempDir(), "got")
	kills := 0
	for attempt := 0; attempt < 3; attempt++ {
		cmd := exec.Command(bin, "ingest", "-q", "--case", got, src)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(r.Int64N(int64(full)))
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
			t.Logf("killed after %s (full run %s)", delay, full)
		}
	}
	if out, err := exec.Command(bin, "ingest", "-q", "--case", got, src).CombinedOutput(); err != nil {
		t.Fatalf("final ingest: %v\n%s", err, out)
	}
	if diff := cmp.Diff(want, docsOf(t, bin, got)); diff != "" {
		t.Errorf("documents after %d kills differ (-want +got):\n%s", kills, diff)
	}
	entities := func(caseDir string) string {
		out, err := exec.Command(bin, "entities", "--case", caseDir, "--format", "json").Output()
		if err != nil {
			t.Fatalf("entities: %v", err)
		}
		return string(out)
	}
	if diff := cmp.Diff(entities(ref), entities(got)); diff != "" {
		t.Errorf("entities after %d kills differ (-want +got):\n%s", kills, diff)
	}
	// The case-wide analyses a resumed run combines equal an
	// uninterrupted run's.
	for _, cmdName := range []string{"targets", "chats", "links"} {
		read := func(caseDir string) string {
			out, err := exec.Command(bin, cmdName, "--case", caseDir, "--format", "json").Output()
			if err != nil {
				t.Fatalf("%s: %v", cmdName, err)
			}
			return string(out)
		}
		want := read(ref)
		if cmdName != "links" && len(want) < 10 {
			t.Errorf("%s of the reference run is empty: %q", cmdName, want)
		}
		if diff := cmp.Diff(want, read(got)); diff != "" {
			t.Errorf("%s after %d kills differ (-want +got):\n%s", cmdName, kills, diff)
		}
	}
}

// TestIngestExitCodes checks the documented exit statuses.
func TestIngestExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	caseDir := filepath.Join(t.TempDir(), "c")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{name: "no case", args: []string{"docs", "--case", caseDir}, want: exitNoCase},
		{name: "bad flag", args: []string{"docs", "--nope"}, want: exitUsage},
		{name: "bad format", args: []string{"docs", "--format", "xml", "--case", caseDir}, want: exitUsage},
		{name: "missing path", args: []string{"ingest", "--case", caseDir, filepath.Join(caseDir, "absent")}, want: exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := exec.Command(bin, tt.args...).Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != tt.want {
				t.Errorf("exit %d, want %d", code, tt.want)
			}
			// No command that failed on its arguments leaves a case behind.
			if _, err := os.Stat(caseDir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("case folder %s exists after a failed command: %v", caseDir, err)
			}
		})
	}
}
