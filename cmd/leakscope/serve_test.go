package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServe starts `leakscope serve` on a free port and returns the base
// URL, the process, and its stderr so far (credentials are printed
// there). The process is interrupted at cleanup and must exit 0.
func startServe(t *testing.T, bin string, args ...string) (string, *exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = errf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://\S+/`).FindString(sc.Text()); m != "" {
				urlc <- m
			}
		}
		exited <- cmd.Wait()
	}()
	var base string
	select {
	case base = <-urlc:
	case err := <-exited:
		b, _ := os.ReadFile(errf.Name())
		t.Fatalf("serve exited: %v\n%s", err, b)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve printed no URL")
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve after SIGINT: %v", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("serve did not stop on SIGINT")
		}
	})
	b, _ := os.ReadFile(errf.Name())
	return strings.TrimSuffix(base, "/"), cmd, string(b)
}

func getJSON(t *testing.T, req *http.Request, v any) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 && v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v: %.300s", req.URL, err, body)
		}
	}
	return resp.StatusCode
}

// TestServe serves the demo case with the real binary, queries the search
// and targets endpoints, and checks the audit log and the graceful stop.
func TestServe(t *testing.T) {
	f := theDemoCase(t)
	base, _, _ := startServe(t, f.bin, "--case", f.caseDir, "--addr", "127.0.0.1:0")
	zh := f.truth.Targets[0].NamesZH[0]

	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID, Path, Snippet string
		} `json:"hits"`
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/search?q="+url.QueryEscape(zh), nil)
	if code := getJSON(t, req, &res); code != 200 || res.Total == 0 || !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Fatalf("search %s: status %d, %+v", zh, code, res)
	}
	var targets []struct {
		Name     string `json:"name"`
		Country  string `json:"country"`
		Evidence []struct {
			DocID string `json:"doc_id"`
		} `json:"evidence"`
	}
	req, _ = http.NewRequest("GET", base+"/api/v1/targets?sort=volume&dir=desc", nil)
	if code := getJSON(t, req, &targets); code != 200 || len(targets) == 0 {
		t.Fatalf("targets: status %d, %d targets", code, len(targets))
	}
	linked := 0
	for _, tg := range targets {
		for _, e := range tg.Evidence {
			if len(e.DocID) == 64 {
				linked++
			}
		}
	}
	if linked == 0 {
		t.Errorf("no evidence links to documents")
	}
	req, _ = http.NewRequest("GET", base+"/", nil)
	if code := getJSON(t, req, nil); code != 200 {
		t.Errorf("UI: status %d", code)
	}

	audit, err := os.ReadFile(filepath.Join(f.caseDir, "audit.log"))
	if err != nil || !strings.Contains(string(audit), `"action":"search"`) {
		t.Errorf("audit log: %v\n%s", err, audit)
	}
}

// TestServeNonLoopback checks that another address requires login: a
// generated token is printed once, and the API refuses requests without
// it.
func TestServeNonLoopback(t *testing.T) {
	f := theDemoCase(t)
	base, _, stderr := startServe(t, f.bin, "--case", f.caseDir, "--addr", "0.0.0.0:0")
	m := regexp.MustCompile(`API token\s+(\S+)`).FindStringSubmatch(stderr)
	if m == nil || !strings.Contains(stderr, "password") {
		t.Fatalf("no generated credentials printed:\n%s", stderr)
	}
	base = strings.Replace(base, "0.0.0.0", "127.0.0.1", 1)
	req, _ := http.NewRequest("GET", base+"/api/v1/stats", nil)
	if code := getJSON(t, req, nil); code != http.StatusUnauthorized {
		t.Errorf("without token: status %d, want 401", code)
	}
	req.Header.Set("Authorization", "Bearer "+m[1])
	var st struct{ Documents int }
	if code := getJSON(t, req, &st); code != 200 || st.Documents == 0 {
		t.Errorf("with token: status %d, %+v", code, st)
	}
}

func TestServeCredentials(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--hash-password")
	cmd.Stdin = strings.NewReader("correct horse battery\n")
	out, err := cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "$2") {
		t.Fatalf("hash-password: %v %q", err, out)
	}
	users := filepath.Join(dir, "users")
	os.WriteFile(users, []byte("# analysts\nalice:"+string(out)), 0o600)
	short := filepath.Join(dir, "tokens")
	os.WriteFile(short, []byte("short\n"), 0o600)
	bad := filepath.Join(dir, "bad-users")
	os.WriteFile(bad, []byte("alice:plaintext\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{name: "short password", args: []string{"serve", "--hash-password"}, want: exitUsage},
		{name: "short token", args: []string{"serve", "--case", dir, "--token-file", short}, want: exitUsage},
		{name: "plaintext password", args: []string{"serve", "--case", dir, "--users-file", bad}, want: exitUsage},
		{name: "missing users file", args: []string{"serve", "--case", dir, "--users-file", filepath.Join(dir, "absent")}, want: exitUsage},
		{name: "no case", args: []string{"serve", "--case", filepath.Join(dir, "none"), "--users-file", users}, want: exitNoCase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Stdin = strings.NewReader("short\n")
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != tt.want {
				t.Errorf("exit %d, want %d", code, tt.want)
			}
		})
	}
}
