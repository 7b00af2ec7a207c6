package gloss

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/testenv"
)

// glossaryOnly is a Glosser without CC-CEDICT: deterministic on any machine.
func glossaryOnly(t testing.TB) *Glosser {
	t.Helper()
	g, err := New(Options{NoCedict: true})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// mini is a Glosser on the hand-made CC-CEDICT excerpt in testdata.
func mini(t testing.TB) *Glosser {
	t.Helper()
	g, err := New(Options{CedictPath: filepath.Join("testdata", "mini_cedict.u8")})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil || g.Name() != Name {
		t.Fatalf("mini dictionary not loaded: %v", g.Warning())
	}
	return g
}

func TestGlossContains(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"ministry", "印度财政部", []string{"India", "Ministry of Finance"}},
		{"traditional", "印度財政部", []string{"India", "Ministry of Finance"}},
		{"jargon", "拿下内网权限，拖库", []string{"compromised", "intranet", "access privileges", "database dump"}},
		{"records in ten thousands", "泄露186万条", []string{"1.86 million records"}},
		{"hundred millions", "共2.7亿条", []string{"270 million records"}},
		{"plain ten thousands", "5万条", []string{"50,000 records"}},
		{"volume passes through", "共95.2G数据", []string{"95.2G", "data"}},
		{"full date", "2021年6月3日交付", []string{"2021-06-03", "delivery"}},
		{"month", "2020年11月", []string{"2020-11"}},
		{"month and day", "6月3日", []string{"June 3"}},
		{"latin and ip pass through", "登录 192.0.2.14 用 admin@example.com", []string{"192.0.2.14", "admin@example.com"}},
		{"full width latin", "ＡＰＴ组织", []string{"APT"}},
		{"short country forms", "哈国和吉国以及北约", []string{"Kazakhstan", "NATO"}},
	}
	g := glossaryOnly(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Gloss(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, w)
				}
			}
		})
	}
}

func TestGlossWithCedict(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"dictionary word", "数据", "data"},
		{"glossary wins over dictionary", "财政部", "Ministry of Finance"},
		{"surname skipped", "万", "ten thousand"},
		{"classifier dropped", "个", ""},
		{"regional sense and infinitive to dropped", "泄露", "divulge"},
		{"traditional input", "服務器", "server"},
		{"particle dropped", "啊", ""},
		{"unknown stays chinese", "龘", "龘"},
	}
	g := mini(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Gloss(tt.in); got != tt.want {
				t.Errorf("Gloss(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestGlossGolden pins whole gists (glossary only) in
// testdata/golden/TestGlossGolden/<case>.golden; refresh with -update.
func TestGlossGolden(t *testing.T) {
	cases := map[string]string{
		"chat":        "2021-06-03 14:22:10 张三: 印度移民局内网已经拿下了\n2021-06-03 14:23:02 李四: 好，先拖库，186万条，今晚回传\n\n2021-06-03 14:30:00 张三: 收到",
		"report":      "一、项目概况\n本季度完成巴基斯坦外交部、尼泊尔警察局邮箱渗透，共获取数据5.49G。\n二、下一步\n对北约相关目标打点。",
		"traditional": "合作備忘錄\n甲方負責提供臺灣電信運營商話單資料。",
	}
	g := glossaryOnly(t)
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got := g.Gloss(in)
			golden.Check(t, filepath.Join("testdata", "golden", "TestGlossGolden", name+".golden"), []byte(got))
		})
	}
}

func TestNoDictionary(t *testing.T) {
	t.Setenv("LEAKSCOPE_CEDICT", "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != ErrNoDictionary || g.Name() != NameNoDict {
		t.Errorf("Warning() = %v, Name() = %q; want ErrNoDictionary, %q", g.Warning(), g.Name(), NameNoDict)
	}
	if !strings.Contains(ErrNoDictionary.Error(), "scripts/get-cedict.sh") {
		t.Errorf("warning %q does not say how to get the dictionary", ErrNoDictionary)
	}
	if got := g.Gloss("印度财政部"); got != "India Ministry of Finance" {
		t.Errorf("glossary-only gloss = %q", got)
	}
	// A named file that does not exist is the same warning, not an error.
	g, err = New(Options{CedictPath: filepath.Join(t.TempDir(), "missing.u8")})
	if err != nil || g.Warning() != ErrNoDictionary {
		t.Errorf("missing file: err %v, warning %v", err, g.Warning())
	}
	// LEAKSCOPE_CEDICT is honoured.
	t.Setenv("LEAKSCOPE_CEDICT", filepath.Join("testdata", "mini_cedict.u8"))
	if g, err := New(Options{}); err != nil || g.Warning() != nil || g.Stats().CedictEntries == 0 {
		t.Errorf("LEAKSCOPE_CEDICT not used: %v %v", err, g.Warning())
	}
}

func TestTranslate(t *testing.T) {
	g := glossaryOnly(t)
	got, err := g.Translate(t.Context(), "zh-Hans", []string{"印度", "外交部"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"India", "Ministry of Foreign Affairs"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Non-Chinese text is returned unchanged.
	got, err = g.Translate(t.Context(), "en", []string{"印度 stays"})
	if err != nil || got[0] != "印度 stays" {
		t.Errorf("en segment = %q, %v", got, err)
	}
}

func FuzzGloss(f *testing.F) {
	for _, s := range []string{"", "印度财政部\n拖库186万条", "2021年13月40日", "\xff\xfe財", "1.2.3万", "ａ\r\n\n", "〇年"} {
		f.Add(s)
	}
	g := glossaryOnly(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := g.Gloss(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Gloss(%q) = %q is not valid UTF-8", s, got)
		}
		if strings.Count(got, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Gloss(%q) = %q changed the line count", s, got)
		}
	})
}

func BenchmarkGloss(b *testing.B) {
	line := strings.Repeat("2021年6月3日 张三: 印度移民局的内网已经拿下，拖库186万条数据，共95.2G，今晚回传。\n", 100)
	// The reference lines: chat and note lines in many shapes, so that
	// every rule runs, not one line's path.
	var lines []string
	files, _ := filepath.Glob(filepath.Join("testdata", "reference", "*.tsv"))
	for _, f := range files {
		for _, l := range readReference(b, f) {
			lines = append(lines, l.zh)
		}
	}
	if len(lines) == 0 {
		b.Fatal("no reference lines")
	}
	ref := strings.Join(lines, "\n")
	lang.Load()
	run := func(b *testing.B, text string, f func(string)) {
		chars := utf8.RuneCountInString(text)
		b.ReportAllocs()
		for b.Loop() {
			f(text)
		}
		b.ReportMetric(float64(chars*b.N)/b.Elapsed().Seconds(), "chars/s")
	}
	cedict := func(b *testing.B) *Glosser {
		g, err := New(Options{})
		if err != nil || g.Warning() != nil {
			testenv.Missing(b, "CC-CEDICT not installed (scripts/get-cedict.sh)")
		}
		return g
	}
	// The baselines: segmentation alone, which every gloss does first; the
	// ratio to it is what to compare across machines and loads.
	b.Run("cut-baseline", func(b *testing.B) { run(b, line, func(s string) { lang.Cut(s) }) })
	b.Run("cut-reference-lines", func(b *testing.B) { run(b, ref, func(s string) { lang.Cut(s) }) })
	b.Run("glossary-only", func(b *testing.B) {
		g := glossaryOnly(b)
		run(b, line, func(s string) { g.Gloss(s) })
	})
	b.Run("cedict", func(b *testing.B) {
		g := cedict(b)
		run(b, line, func(s string) { g.Gloss(s) })
	})
	b.Run("cedict-reference-lines", func(b *testing.B) {
		g := cedict(b)
		run(b, ref, func(s string) { g.Gloss(s) })
	})
}

func TestGlossKeepsAddresses(t *testing.T) {
	g, err := New(Options{NoCedict: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in, want string }{
		{name: "ipv6 compressed", in: "备用 2001:db8:4a1f::25，", want: "2001:db8:4a1f::25,"},
		{name: "ipv6 full", in: "换 IPv6 了，2001:0db8:0000:001c:0000:0000:0000:0008", want: "2001:0db8:0000:001c:0000:0000:0000:0008"},
		{name: "ipv6 loopback", in: "地址 ::1 不行", want: "::1"},
		{name: "phone with country code", in: "联络：+853 5550 1288", want: "+853 5550 1288"},
		{name: "time is no ipv6", in: "10:08:07 收到", want: "10:08:07 got it"},
		{name: "url", in: "邮箱已经拿下，https://mail.example.org/owa/ 能登录", want: "https://mail.example.org/owa/"},
		{name: "email", in: "联系 ops@example.com。", want: "ops@example.com"},
		{name: "trailing comma", in: "见 http://example.net/a?b=1, 谢谢", want: "http://example.net/a?b=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Gloss(tt.in); !strings.Contains(got, tt.want) {
				t.Errorf("Gloss(%q) = %q, want it to contain %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCaseGlossary(t *testing.T) {
	tests := []struct {
		name, glossary, in, want string
		wantErr                  bool
	}{
		{name: "new term", glossary: "# our targets\n阿卡电信\tAcme Telecom\n", in: "阿卡电信的数据", want: "Acme Telecom's data"},
		{name: "overrides the built-in glossary", glossary: "马\thorse\n", in: "新版本的马", want: "新版本 horse"},
		{name: "no tab is an error", glossary: "阿卡电信 Acme Telecom", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(Options{NoCedict: true, Glossary: tt.glossary})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := g.Gloss(tt.in); got != tt.want {
				t.Errorf("Gloss(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
