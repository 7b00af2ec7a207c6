package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// searchAnswer is what the concurrent tests read from search --format json.
type searchAnswer struct {
	Total   uint64 `json:"total"`
	Partial bool   `json:"partial"`
	Pending int64  `json:"pending"`
}

func searchOnce(bin, caseDir, q string) (searchAnswer, error) {
	var a searchAnswer
	cmd := exec.Command(bin, "search", "-q", "--format", "json", "--limit", "1", "--case", caseDir, q)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return a, fmt.Errorf("search: %v: %s", err, ee.Stderr)
		}
		return a, err
	}
	if err := json.Unmarshal(out, &a); err != nil {
		return a, fmt.Errorf("search output %q: %w", out, err)
	}
	return a, nil
}

// writeExtra writes n new text files that all contain the word lorem.
func writeExtra(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := fmt.Sprintf("lorem ipsum extra document %d of %s\n", i, filepath.Base(dir))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("x%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runKilled starts bin with args and SIGKILLs it after a random delay
// below limit, unless it finishes first. It reports whether it was killed.
func runKilled(t *testing.T, r *rand.Rand, limit time.Duration, bin string, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	delay := time.Duration(r.Int64N(int64(limit) + 1))
	select {
	case <-done:
		return false
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		t.Logf("%s killed after %s", args[0], delay)
		return true
	}
}

// TestKillWhileSearching SIGKILLs reindex and ingest at random points
// while search runs in a loop on the same case, and checks that search
// never returns fewer hits than the last complete generation without
// saying that its answer is partial, and never fails.
func TestKillWhileSearching(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds the binary, ingests and reindexes several times")
	}
	bin := binary(t)
	src := t.TempDir()
	writeCorpus(t, src, 300)
	caseDir := filepath.Join(t.TempDir(), "case")
	start := time.Now()
	if out, err := exec.Command(bin, "ingest", "-q", "--case", caseDir, src).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	ingestTime := time.Since(start)
	base, err := searchOnce(bin, caseDir, "lorem")
	if err != nil || base.Partial || base.Total == 0 {
		t.Fatalf("after a complete ingest: %+v, %v", base, err)
	}
	start = time.Now()
	if out, err := exec.Command(bin, "reindex", "-q", "--case", caseDir).CombinedOutput(); err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	reindexTime := time.Since(start)

	// complete is the hit count of the last generation known complete.
	var complete atomic.Uint64
	complete.Store(base.Total)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var searches, partials int
	var problems []string
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			want := complete.Load()
			a, err := searchOnce(bin, caseDir, "lorem")
			mu.Lock()
			searches++
			switch {
			case err != nil:
				problems = append(problems, err.Error())
			case a.Partial:
				partials++
				if a.Pending <= 0 {
					problems = append(problems, fmt.Sprintf("partial answer with pending %d", a.Pending))
				}
			case a.Total < want:
				problems = append(problems, fmt.Sprintf("%d hits presented as complete, the last complete generation has %d", a.Total, want))
			}
			mu.Unlock()
		}
	})
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	for range 3 {
		runKilled(t, r, reindexTime, bin, "reindex", "-q", "--case", caseDir)
	}
	extra := 0
	for i := range 3 {
		dir := filepath.Join(src, fmt.Sprintf("extra%d", i))
		writeExtra(t, dir, 40)
		extra += 40
		runKilled(t, r, ingestTime/2, bin, "ingest", "-q", "--case", caseDir, dir)
		runKilled(t, r, reindexTime, bin, "reindex", "-q", "--case", caseDir)
	}
	if out, err := exec.Command(bin, "ingest", "-q", "--case", caseDir, src).CombinedOutput(); err != nil {
		t.Fatalf("final ingest: %v\n%s", err, out)
	}
	complete.Store(base.Total + uint64(extra))
	final, err := searchOnce(bin, caseDir, "lorem")
	close(stop)
	wg.Wait()
	if err != nil || final.Partial || final.Total != base.Total+uint64(extra) {
		t.Errorf("after the final ingest: %+v, %v; want %d hits, complete", final, err, base.Total+uint64(extra))
	}
	t.Logf("%d searches during kills, %d said partial", searches, partials)
	if searches < 3 {
		t.Errorf("only %d searches ran during the kills: nothing was checked", searches)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestServeFindsIngested runs ingest while serve runs on the same case:
// the ingest succeeds and its new document is found by the API's search
// within seconds, without restarting serve.
func TestServeFindsIngested(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	src := t.TempDir()
	writeExtra(t, filepath.Join(src, "first"), 5)
	caseDir := filepath.Join(t.TempDir(), "case")
	if out, err := exec.Command(bin, "ingest", "-q", "--case", caseDir, src).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	base, _, _ := startServe(t, bin, "--case", caseDir, "--addr", "127.0.0.1:0")
	const word = "quokkanordhavn"
	count := func() int {
		var res struct {
			Total int `json:"total"`
		}
		req, _ := http.NewRequest("GET", base+"/api/v1/search?q="+url.QueryEscape(word), nil)
		if code := getJSON(t, req, &res); code != 200 {
			t.Fatalf("search: status %d", code)
		}
		return res.Total
	}
	if n := count(); n != 0 {
		t.Fatalf("%d hits before the ingest", n)
	}
	more := filepath.Join(t.TempDir(), "more")
	os.MkdirAll(more, 0o755)
	if err := os.WriteFile(filepath.Join(more, "memo.txt"), []byte("Acme Telecom memo: "+word+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "ingest", "-q", "--case", caseDir, more).CombinedOutput(); err != nil {
		t.Fatalf("ingest while serving: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the ingested document was not found by the running serve within 10s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A longer ingest publishes as it goes: log when its first documents
	// become visible, compared with when it ends.
	big := filepath.Join(t.TempDir(), "big")
	writeCorpus(t, big, 1500)
	lorem := func() int {
		var res struct {
			Total int `json:"total"`
		}
		req, _ := http.NewRequest("GET", base+"/api/v1/search?q=lorem", nil)
		if code := getJSON(t, req, &res); code != 200 {
			t.Fatalf("search: status %d", code)
		}
		return res.Total
	}
	before := lorem()
	cmd := exec.Command(bin, "ingest", "-q", "--case", caseDir, big)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var firstSeen time.Duration
	var ingestErr error
wait:
	for {
		select {
		case ingestErr = <-done:
			break wait
		case <-time.After(200 * time.Millisecond):
			if firstSeen == 0 && lorem() > before {
				firstSeen = time.Since(start)
			}
		}
	}
	took := time.Since(start)
	if ingestErr != nil {
		t.Fatalf("ingest while serving: %v", ingestErr)
	}
	if firstSeen > 0 {
		t.Logf("ingest of a 1500-file tree took %s; its first documents were visible in serve after %s", took, firstSeen)
	} else {
		t.Logf("ingest of a 1500-file tree took %s; its documents became visible in serve only as it ended", took)
	}
	deadline = time.Now().Add(10 * time.Second)
	for lorem() == before {
		if time.Now().After(deadline) {
			t.Fatal("the second ingest's documents were not found by the running serve within 10s of its end")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPartialSearchAndStatus leaves documents extracted but not indexed
// (ingest --no-enrich stands for an ingest killed before it published
// them) and checks that search, the API of a running serve and status say
// the index is incomplete, and stop saying so once they are indexed.
func TestPartialSearchAndStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	src := t.TempDir()
	writeExtra(t, filepath.Join(src, "first"), 4)
	caseDir := filepath.Join(t.TempDir(), "case")
	run := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	run("ingest", "-q", "--case", caseDir, filepath.Join(src, "first"))
	writeExtra(t, filepath.Join(src, "second"), 3)
	run("ingest", "-q", "--no-enrich", "--case", caseDir, filepath.Join(src, "second"))
	base, _, _ := startServe(t, bin, "--case", caseDir, "--addr", "127.0.0.1:0")
	tests := []struct {
		name        string
		wantPending int64
		wantTotal   uint64
	}{
		{name: "three documents not indexed", wantPending: 3, wantTotal: 4},
		{name: "after an ingest indexes them", wantPending: 0, wantTotal: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantPending == 0 {
				run("ingest", "-q", "--case", caseDir, filepath.Join(src, "second"))
			}
			out, errOut := run("search", "--format", "json", "--case", caseDir, "lorem")
			var a searchAnswer
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatal(err)
			}
			want := searchAnswer{Total: tt.wantTotal, Partial: tt.wantPending > 0, Pending: tt.wantPending}
			if a != want {
				t.Errorf("search = %+v, want %+v", a, want)
			}
			if warned := strings.Contains(errOut, "index is incomplete"); warned != want.Partial {
				t.Errorf("search warned %v, want %v; stderr %q", warned, want.Partial, errOut)
			}
			var api searchAnswer
			req, _ := http.NewRequest("GET", base+"/api/v1/search?q=lorem", nil)
			if code := getJSON(t, req, &api); code != 200 || api != want {
				t.Errorf("API search: status %d, %+v; want %+v", code, api, want)
			}
			status, _ := run("status", "--case", caseDir)
			if said := strings.Contains(status, fmt.Sprintf("indexing incomplete: %d documents", tt.wantPending)); said != want.Partial {
				t.Errorf("status says incomplete %v, want %v:\n%s", said, want.Partial, status)
			}
		})
	}
}
