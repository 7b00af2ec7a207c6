package gloss

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/testenv"
)

// corpusZH returns the Chinese plain-text documents of ../shared/corpus
// (relative to the repository root), skipping when it is absent and
// failing when it holds none.
func corpusZH(t *testing.T) map[string]string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			testenv.MissingCorpus(t, "repository root not found")
		}
		dir = filepath.Dir(dir)
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	raw, err := os.ReadFile(filepath.Join(c, "leak-sample.truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "shared corpus not present")
	}
	var truth struct {
		Files []struct {
			Path, Format, Encoding string
			Languages              []string
		}
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	formats := map[string]bool{"txt": true, "md": true, "csv": true, "chat-md": true, "chat-qq-txt": true, "chat-json": true}
	out := map[string]string{}
	for _, f := range truth.Files {
		if !formats[f.Format] || len(f.Languages) == 0 || !strings.HasPrefix(f.Languages[0], "zh") || strings.Contains(f.Path, "!/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(c, "leak-sample", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		// The encoding comes from the truth file: this test is about
		// glossing, charset detection is internal/charset's job.
		var e encoding.Encoding
		switch f.Encoding {
		case "gbk":
			e = simplifiedchinese.GBK
		case "gb18030":
			e = simplifiedchinese.GB18030
		case "big5":
			e = traditionalchinese.Big5
		case "utf-16le":
			e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
		}
		if e != nil {
			if b, err = e.NewDecoder().Bytes(b); err != nil {
				t.Fatal(err)
			}
		}
		out[f.Path] = string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	}
	if len(out) == 0 {
		t.Fatal("no Chinese text documents in the corpus")
	}
	return out
}

// countries is an independent check list (not the glossary): a country
// named in Chinese must come out in English.
var countries = map[string]string{
	"印度": "India", "巴基斯坦": "Pakistan", "尼泊尔": "Nepal", "缅甸": "Myanmar", "蒙古": "Mongolia",
	"马来西亚": "Malaysia", "阿富汗": "Afghanistan", "法国": "France", "泰国": "Thailand",
	"哈萨克斯坦": "Kazakhstan", "土库曼斯坦": "Turkmenistan", "柬埔寨": "Cambodia", "菲律宾": "Philippines",
	"越南": "Vietnam", "老挝": "Laos", "印度尼西亚": "Indonesia", "孟加拉": "Bangladesh", "斯里兰卡": "Sri Lanka",
	"北约": "NATO", "美国": "United States", "英国": "United Kingdom", "台湾": "Taiwan", "香港": "Hong Kong",
}

var numberRE = regexp.MustCompile(`[0-9]{3,}`)

// TestCorpusGloss glosses every Chinese text document of the sample corpus
// and checks that country names and numbers come out in English.
func TestCorpusGloss(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: loads the dictionaries")
	}
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("backend %s", g.Name())
	docs := corpusZH(t)
	countryHits, numberHits, numbers := 0, 0, 0
	for path, text := range docs {
		gist := g.Gloss(text)
		if strings.Count(gist, "\n") != strings.Count(text, "\n") {
			t.Errorf("%s: line count changed", path)
		}
		folded := lang.Fold(text)
		for zh, en := range countries {
			if strings.Contains(folded, zh) {
				countryHits++
				if !strings.Contains(gist, en) {
					t.Errorf("%s: %s named but %q missing from the gloss", path, zh, en)
				}
			}
		}
		for _, loc := range numberRE.FindAllStringIndex(text, -1) {
			if next := text[loc[1]:]; strings.HasPrefix(next, "万") || strings.HasPrefix(next, "亿") || strings.HasPrefix(next, "千") {
				continue // multiplied out
			}
			numbers++
			if strings.Contains(gist, text[loc[0]:loc[1]]) {
				numberHits++
			}
		}
	}
	t.Logf("%d documents, %d country mentions checked, %d/%d numbers kept", len(docs), countryHits, numberHits, numbers)
	if countryHits == 0 {
		t.Error("no country named in any document: the check checked nothing")
	}
	if numberHits != numbers {
		t.Errorf("%d of %d numbers lost in the gloss", numbers-numberHits, numbers)
	}
}

// TestCedictMemory measures the installed CC-CEDICT: load time and heap.
func TestCedictMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh)")
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	st := g.Stats()
	t.Logf("cc-cedict: %d entries loaded in %v, %.1f MB heap", st.CedictEntries, st.CedictLoad, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	runtime.KeepAlive(g)
}
