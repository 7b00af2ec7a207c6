package enrich

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract/binstrings"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/store"
)

// fixedTranslator answers "EN" for every segment.
type fixedTranslator struct{}

func (fixedTranslator) Name() string { return "test" }

func (fixedTranslator) Translate(_ context.Context, _ string, segs []string) ([]string, error) {
	out := make([]string, len(segs))
	for i := range segs {
		out[i] = "EN"
	}
	return out, nil
}

// TestStringsFallbackNotLabelled ingests a binary whose printable runs are
// Han text and a text file with the same words: the strings fallback's
// text gets no language and no translation, the text file gets both.
func TestStringsFallbackNotLabelled(t *testing.T) {
	ctx := t.Context()
	src := t.TempDir()
	words := "机密文件请勿外传合同金额五百万元服务器地址已经回传"
	// Runs of UTF-16LE Han, as chance bytes of a compressed stream
	// decode to, between control bytes.
	var bin bytes.Buffer
	for i := range 64 {
		bin.Write([]byte{0, 1, 2, byte(i), 0xff, 0})
		for _, r := range words {
			bin.Write([]byte{byte(r), byte(r >> 8)})
		}
	}
	files := map[string][]byte{
		"blob.bin":  bin.Bytes(),
		"notes.txt": []byte(words + "\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, []string{src}); err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{Lang{}, &Translate{T: fixedTranslator{}}}, 1, nil); err != nil {
		t.Fatal(err)
	}
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		path          string
		wantExtractor string
		wantLang      bool
		wantTrans     bool
	}{
		{name: "strings fallback", path: "blob.bin", wantExtractor: binstrings.Name},
		{name: "text file", path: "notes.txt", wantExtractor: "text", wantLang: true, wantTrans: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *store.DocInfo
			for i := range docs {
				for _, p := range docs[i].Paths() {
					if strings.HasSuffix(p, tt.path) {
						d = &docs[i]
					}
				}
			}
			if d == nil {
				t.Fatalf("no document at %s", tt.path)
			}
			if d.Extractor != tt.wantExtractor {
				t.Fatalf("extractor %q, want %q", d.Extractor, tt.wantExtractor)
			}
			if got := d.Language != ""; got != tt.wantLang {
				t.Errorf("language %q, want a label: %v", d.Language, tt.wantLang)
			}
			_, _, err := c.Store.Translation(ctx, d.ID, "")
			if got := err == nil; got != tt.wantTrans {
				t.Errorf("translated = %v, want %v (%v)", got, tt.wantTrans, err)
			}
		})
	}
}
