package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/testenv"
)

// runExportCmd runs the export command in-process on a case, as root.go
// wires it, and returns its error.
func runExportCmd(t *testing.T, caseDir string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	g := &globalOptions{caseDir: caseDir, format: "text", stdout: &out, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cmd := newExportCmd(g)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// TestExport exports the demo case in every format to a file and checks
// that the file parses as its format and names a demo target.
func TestExport(t *testing.T) {
	f := theDemoCase(t)
	if len(f.truth.Targets) == 0 {
		t.Fatal("demo truth has no targets")
	}
	var targets []struct {
		Name string `json:"name"`
	}
	runJSON(t, f.bin, &targets, "targets", "--case", f.caseDir)
	if len(targets) == 0 {
		t.Fatal("demo case has no targets")
	}
	names := map[string]bool{}
	for _, tg := range targets {
		names[tg.Name] = true
	}
	parse := map[string]func([]byte) error{
		"csv":    func(b []byte) error { _, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); return err },
		"json":   jsonErr,
		"stix":   jsonErr,
		"misp":   jsonErr,
		"report": func([]byte) error { return nil },
		"ftm": func(b []byte) error {
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if err := jsonErr([]byte(l)); err != nil {
					return err
				}
			}
			return nil
		},
		"gexf": func(b []byte) error { var v struct{}; return xml.Unmarshal(b, &v) },
	}
	dir := t.TempDir()
	for _, format := range []string{"csv", "json", "stix", "misp", "ftm", "gexf", "report"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "export."+format)
			if _, err := runExportCmd(t, f.caseDir, "--to", format, "-o", out, "--created", "2026-01-02T03:04:05Z"); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := parse[format](b); err != nil {
				t.Fatalf("does not parse: %v", err)
			}
			if format == "gexf" {
				return // the chat graph names people, not targets
			}
			found := false
			for n := range names {
				// JSON-based formats may escape, Markdown escapes punctuation;
				// the first word of a name survives all of them.
				if w := strings.Fields(n); len(w) > 0 && strings.Contains(string(b), strings.Trim(w[0], `.-()"'`)) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s export names no demo target", format)
			}
		})
	}
	// The same export twice is byte-identical, and stdout is the default.
	a, err := runExportCmd(t, f.caseDir, "--to", "stix", "--created", "2026-01-02T03:04:05Z")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "export.stix"))
	if a != string(b) {
		t.Errorf("stix to stdout differs from stix to a file")
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(ents) > 0 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func jsonErr(b []byte) error {
	var v any
	return json.Unmarshal(b, &v)
}

func TestExportUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"unknown format", []string{"--to", "xlsx"}},
		{"unknown csv rows", []string{"--to", "csv", "--what", "people"}},
		{"bad time", []string{"--to", "json", "--created", "yesterday"}},
		{"TLP 1.0 label", []string{"--to", "stix", "--tlp", "white"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runExportCmd(t, t.TempDir(), tc.args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("%v is not a usage error", err)
			}
			if got := exitCode(err); got != 2 {
				t.Errorf("exit %d, want 2", got)
			}
		})
	}
}

// TestExportCaseIDs exports two cases whose folders are both named
// "case": their bundles, actors and MISP events share no id. A case made
// before case UUIDs existed gets one when it is exported.
func TestExportCaseIDs(t *testing.T) {
	newCase := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "case")
		c, err := casedir.Open(t.Context(), dir, casedir.Write)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	ids := func(t *testing.T, dir string) []string {
		var out []string
		for _, format := range []string{"stix", "misp"} {
			got, err := runExportCmd(t, dir, "--to", format, "--created", "2026-01-02T03:04:05Z", "--tlp", "green")
			if err != nil {
				t.Fatal(err)
			}
			var v struct {
				ID      string `json:"id"`
				Objects []struct {
					ID string `json:"id"`
				} `json:"objects"`
				Event struct {
					UUID string `json:"uuid"`
				} `json:"Event"`
			}
			if err := json.Unmarshal([]byte(got), &v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v.ID, v.Event.UUID)
			for _, o := range v.Objects {
				if !strings.HasPrefix(o.ID, "marking-definition--") {
					out = append(out, o.ID)
				}
			}
		}
		return out
	}
	a, b := newCase(t), newCase(t)
	ia, ib := ids(t, a), ids(t, b)
	for _, x := range ia {
		if x != "" && slices.Contains(ib, x) {
			t.Errorf("both cases export the id %s", x)
		}
	}

	// An old case: case.json without a uuid.
	cfg := filepath.Join(a, "case.json")
	if err := os.WriteFile(cfg, []byte(`{"version": 1, "translator": "gloss"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ids(t, a)
	c, err := casedir.Open(t.Context(), a, casedir.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Config.UUID == "" {
		t.Errorf("export left the old case without a UUID")
	}

	// An old case held by a writer still exports, on the folder name.
	if err := os.WriteFile(filepath.Join(b, "case.json"), []byte(`{"version": 1, "translator": "gloss"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(b, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, b); len(got) == 0 {
		t.Errorf("a locked old case exported nothing")
	}
}

// TestExportPDF prints the analyst report of a small case with headless
// Chromium: the file is a PDF, and the HTML it was printed from carries
// the TLP banner chosen.
func TestExportPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	if os.Getenv("LEAKSCOPE_BROWSER_TESTS") == "0" {
		t.Skip("browser tests disabled (LEAKSCOPE_BROWSER_TESTS=0)")
	}
	testenv.NeedTool(t, "chromium")
	dir := filepath.Join(t.TempDir(), "case")
	c, err := casedir.Open(t.Context(), dir, casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	out := filepath.Join(t.TempDir(), "report.pdf")
	if _, err := runExportCmd(t, dir, "--to", "pdf", "--tlp", "red", "-o", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("not a PDF: %q", b[:min(len(b), 16)])
	}
	page, err := runExportCmd(t, dir, "--to", "html", "--tlp", "red")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, "TLP:RED") {
		t.Errorf("html report has no TLP:RED banner")
	}
}
