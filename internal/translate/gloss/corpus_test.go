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

	"github.com/leakscope/leakscope/internal/chat/pinyin"
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

// places are names CC-CEDICT's proper-noun senses used to slip into gists
// (a relay server became "that Taiwan", a city bureau gained "Kunming,
// Yunnan"): each may appear in a gist only when its Chinese is in the line.
var places = map[string][]string{
	"Taiwan": {"台湾", "台灣"}, "Taichung": {"台中"}, "Taitung": {"台东"}, "Kunming": {"昆明"}, "Yunnan": {"云南"},
	"Sichuan": {"四川"}, "Mianyang": {"绵阳"}, "Santai": {"三台"}, "Chenggong": {"成功"}, "Guangdong": {"广东"},
	"Beijing": {"北京"}, "Shanghai": {"上海"}, "Ningxia": {"宁夏"}, "Nanjing": {"南京"}, "Hebei": {"河北"},
	"Henan": {"河南"}, "Hubei": {"湖北"}, "Hunan": {"湖南"}, "Jiangsu": {"江苏"}, "Zhejiang": {"浙江"},
	"Fujian": {"福建"}, "Guangxi": {"广西"}, "Guizhou": {"贵州"}, "Shaanxi": {"陕西"}, "Shanxi": {"山西"},
	"Gansu": {"甘肃"}, "Qinghai": {"青海"}, "Xinjiang": {"新疆"}, "Tibet": {"西藏"}, "Heilongjiang": {"黑龙江"},
	"Jilin": {"吉林"}, "Liaoning": {"辽宁"}, "Shandong": {"山东"}, "Anhui": {"安徽"}, "Jiangxi": {"江西"},
	"Hainan": {"海南"}, "Chongqing": {"重庆"}, "Tianjin": {"天津"}, "Guangzhou": {"广州"}, "Shenzhen": {"深圳"},
	"Chengdu": {"成都"}, "Wuhan": {"武汉"}, "Hangzhou": {"杭州"}, "dynasty": {"朝", "代"},
}

// TestCorpusNoInventedPlaces glosses every line of the sample corpus's
// Chinese text documents and fails on a place the line does not name.
func TestCorpusNoInventedPlaces(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: loads the dictionaries")
	}
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh)")
	}
	lines := 0
	for path, text := range corpusZH(t) {
		for _, line := range strings.Split(text, "\n") {
			lines++
			gist := g.Gloss(line)
			folded := lang.Fold(line)
			for en, zhs := range places {
				if !regexp.MustCompile(`\b` + en + `\b`).MatchString(gist) {
					continue
				}
				named := false
				for _, zh := range zhs {
					named = named || strings.Contains(folded, zh)
				}
				if !named {
					t.Errorf("%s: %q invented in the gist of %q: %q", path, en, line, gist)
				}
			}
		}
	}
	if lines == 0 {
		t.Fatal("no lines checked")
	}
}

// TestCorpusPeopleInPinyin checks that every person of the truth's people
// list whose name is written in a Chinese text document comes out in
// pinyin ("Surname Givenname") in the gist of that document. The readings
// come from the pinyin package's tables, independent of the gloss's own.
func TestCorpusPeopleInPinyin(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: loads the dictionaries")
	}
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh)")
	}
	people := truthPeople(t)
	docs := corpusZH(t)
	checked := 0
	for _, name := range people {
		spellings := pinyinSpellings(name)
		for path, text := range docs {
			if !strings.Contains(text, name) {
				continue
			}
			checked++
			gist := g.Gloss(text)
			found := false
			for _, s := range spellings {
				found = found || strings.Contains(gist, s)
			}
			if !found {
				t.Errorf("%s: %s not in pinyin (%v) in the gist", path, name, spellings)
			}
		}
	}
	t.Logf("%d people, %d documents naming them checked", len(people), checked)
	if checked == 0 {
		t.Fatal("no person of the truth named in any document: the check checked nothing")
	}
}

// truthPeople returns the Chinese names of the sample's people.
func truthPeople(t *testing.T) []string {
	dir, _ := os.Getwd()
	raw, err := os.ReadFile(filepath.Join(dir, "..", "..", "..", "..", "shared", "corpus", "leak-sample.truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "shared corpus not present")
	}
	var truth struct {
		People []struct{ Name string }
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range truth.People {
		out = append(out, p.Name)
	}
	return out
}

// pinyinSpellings lists "Surname Given" for every combination of the
// readings of a name's characters (a one-character surname).
func pinyinSpellings(name string) []string {
	rs := []rune(name)
	if len(rs) < 2 {
		return nil
	}
	out := []string{}
	for _, s := range pinyin.Of(rs[0]) {
		given := []string{""}
		for _, r := range rs[1:] {
			var next []string
			for _, pre := range given {
				for _, rd := range pinyin.Of(r) {
					next = append(next, pre+rd)
				}
			}
			given = next
		}
		for _, gv := range given {
			out = append(out, capitalise(s)+" "+capitalise(gv))
		}
	}
	return out
}
