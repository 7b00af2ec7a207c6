package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// gbkReport is "中文报告" ("Chinese report") in GBK: bytes that are not UTF-8.
const gbkReport = "\xd6\xd0\xce\xc4\xb1\xa8\xb8\xe6"

// cliGlobals returns options for calling run* directly on caseDir, with
// stdout captured in out.
func cliGlobals(caseDir, format string, out *bytes.Buffer) *globalOptions {
	return &globalOptions{caseDir: caseDir, format: format, quiet: true, stdout: out, stderr: io.Discard,
		log: slog.New(slog.DiscardHandler)}
}

// TestDocsPathFeedsText ingests files whose names are raw GBK bytes, on
// disk and inside a zip, takes each path from `docs --format json` and
// passes it to `text`: the path JSON prints must be one `text` accepts.
func TestDocsPathFeedsText(t *testing.T) {
	ctx := t.Context()
	dump := filepath.Join(t.TempDir(), "dump")
	if err := os.MkdirAll(dump, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dump, gbkReport+".txt"), []byte("Nordhavn Shipping GBK report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dump, `back\slash `+gbkReport+".txt"), []byte("Acme Telecom backslash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	caseDir := filepath.Join(t.TempDir(), "case")
	var out bytes.Buffer
	if err := runIngest(ctx, &ingestOptions{limits: leak.DefaultLimits(), workers: 1, noEnrich: true}, cliGlobals(caseDir, "json", &out), []string{dump}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runDocs(ctx, &docsOptions{}, cliGlobals(caseDir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	var docs []docJSON
	if err := json.Unmarshal(out.Bytes(), &docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
	}{
		{name: "gbk name", text: "Nordhavn Shipping GBK report"},
		{name: "gbk name with a backslash", text: "Acme Telecom backslash"},
	}
	if len(docs) != len(tests) {
		t.Fatalf("%d documents, want %d", len(docs), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var path string
			for _, d := range docs {
				if len(d.Paths) != 1 {
					t.Fatalf("%s: paths %q", d.ID, d.Paths)
				}
				if strings.Contains(d.Paths[0], "\uFFFD") {
					t.Errorf("path %q lost its bytes to U+FFFD", d.Paths[0])
				}
				if strings.HasPrefix(d.Paths[0], "back") == strings.Contains(tt.name, "backslash") {
					path = d.Paths[0]
				}
			}
			var text bytes.Buffer
			if err := runText(ctx, &textOptions{}, cliGlobals(caseDir, "text", &text), path); err != nil {
				t.Fatalf("text %q: %v", path, err)
			}
			if !strings.Contains(text.String(), tt.text) {
				t.Errorf("text %q = %q, want %q", path, text.String(), tt.text)
			}
		})
	}
}
