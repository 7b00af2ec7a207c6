package lang

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/testenv"
)

// corpusDir returns ../shared/corpus relative to the repository root, or
// skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.MissingCorpus(t, "repository root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(c, "leak-sample.truth.json")); err != nil {
		testenv.MissingCorpus(t, "shared corpus not present")
	}
	return c
}

type truthFile struct {
	Path      string   `json:"path"`
	Container string   `json:"container"`
	Format    string   `json:"format"`
	Languages []string `json:"languages"`
	Encoding  string   `json:"encoding"`
}

// textFormats are the corpus formats whose bytes are the text (no
// extraction needed beyond decoding and, for HTML, dropping markup).
var textFormats = map[string]bool{"txt": true, "md": true, "csv": true, "html": true, "log": true, "chat-md": true, "chat-qq-txt": true, "chat-json": true}

// decode turns file bytes into text. The encoding is taken from the truth
// file: this test measures language detection, not charset detection (which
// internal/charset owns).
func decode(t testing.TB, b []byte, enc string) string {
	var e encoding.Encoding
	switch enc {
	case "gbk":
		e = simplifiedchinese.GBK
	case "gb18030":
		e = simplifiedchinese.GB18030
	case "big5":
		e = traditionalchinese.Big5
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	default:
		return string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return string(out)
}

// htmlText returns the text nodes of an HTML page outside script and style.
func htmlText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			n, _ := z.TagName()
			skip = string(n) == "script" || string(n) == "style"
		case html.EndTagToken:
			skip = false
		case html.TextToken:
			if !skip {
				b.Write(z.Text())
				b.WriteByte('\n')
			}
		}
	}
}

// corpusTexts returns the plain-text documents of the sample corpus with
// their truth, failing when there are none.
func corpusTexts(t testing.TB) (map[string]string, map[string]truthFile) {
	dir := corpusDir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Files []truthFile `json:"files"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	texts, meta := map[string]string{}, map[string]truthFile{}
	for _, f := range truth.Files {
		if !textFormats[f.Format] || len(f.Languages) == 0 || strings.Contains(f.Path, "!/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "leak-sample", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatalf("read %s: %v", f.Path, err)
		}
		s := decode(t, b, f.Encoding)
		if f.Format == "html" {
			s = htmlText(s)
		}
		texts[f.Path], meta[f.Path] = s, f
	}
	if len(texts) == 0 {
		t.Fatal("no text documents found in the corpus")
	}
	return texts, meta
}

// TestCorpusDetect compares Detect with the dominant (first) language of
// every plain-text document of the sample corpus.
func TestCorpusDetect(t *testing.T) {
	texts, meta := corpusTexts(t)
	right := 0
	for path, s := range texts {
		want := meta[path].Languages[0]
		if got := Detect(s); got == want {
			right++
		} else {
			t.Logf("%s: got %q, want %q", path, got, want)
		}
	}
	acc := float64(right) / float64(len(texts))
	t.Logf("language detection: %d/%d documents right (%.1f%%)", right, len(texts), 100*acc)
	if acc < 0.95 {
		t.Errorf("accuracy %.1f%% below 95%%", 100*acc)
	}
}
