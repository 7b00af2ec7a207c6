package gloss

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/testenv"
)

// TestRules checks each named rule on a made-up example and on a
// counter-example where it must not fire, with the hand-made dictionary.
func TestRules(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // each must appear in the gist
		notWant []string // none may appear
	}{
		{name: "person name in pinyin", in: "刘晓东说", want: []string{"Liu Xiaodong"}},
		{name: "everyday word tagged as a name is no name", in: "他明白了", want: []string{"clear"}, notWant: []string{"Ming"}},
		{name: "compound surname", in: "欧阳明到了", want: []string{"Ouyang Ming"}},
		{name: "surname and title", in: "王总，合同签了", want: []string{"Mr. Wang"}},
		{name: "nickname", in: "老王在吗", want: []string{"Wang"}, notWant: []string{"old"}},
		{name: "dictionary word after 小 is no nickname", in: "两个小时", want: []string{"two", "hour"}, notWant: []string{"Shi"}},
		{name: "demonstrative and measure word", in: "那台电脑", want: []string{"that computer"}, notWant: []string{"Taiwan", "platform"}},
		{name: "measure word only after a number or demonstrative", in: "电视台", want: []string{"television station"}},
		{name: "chinese numeral and measure word", in: "三台机器", want: []string{"three machine"}, notWant: []string{"Santai"}},
		{name: "numeral with 多 and 万", in: "二十多万", want: []string{"over 200,000"}},
		{name: "transliterated name romanised", in: "卡尔维拉公司", want: []string{"Kaerweila company"}, notWant: []string{"card", "dimension"}},
		{name: "word of transliteration characters stays a word", in: "多少", want: []string{"how much"}},
		{name: "proper noun names and never describes", in: "东川市公安局", want: []string{"Dongchuan city", "Public Security Bureau"}, notWant: []string{"Kunming", "Yunnan"}},
		{name: "main reading wins", in: "他跑了", want: []string{"run"}, notWant: []string{"paw"}},
		{name: "no infinitive to", in: "申请", want: []string{"apply for"}, notWant: []string{"to ", "sth"}},
		{name: "reply alone in its clause", in: "好，知道了", want: []string{"OK,"}},
		{name: "reply word inside a clause", in: "分好了", notWant: []string{"OK"}},
		{name: "question particle", in: "要续费吗", want: []string{"renew?"}},
		{name: "question particle before a question mark", in: "要续费吗？", want: []string{"renew?"}, notWant: []string{"??"}},
		{name: "negation split from its verb", in: "别碰", want: []string{"don't touch"}},
		{name: "negation word kept", in: "不少人", want: []string{"many"}, notWant: []string{"not"}},
		{name: "single characters joined into a word", in: "外包给别人", want: []string{"outsourcing"}, notWant: []string{"outside"}},
		{name: "glossary word across a token boundary", in: "联通的话单", want: []string{"call detail records"}, notWant: []string{"if"}},
		{name: "markup run kept together", in: "## 周报", want: []string{"## weekly report"}},
		{name: "single markup character", in: "- 周报", want: []string{"- weekly report"}},
		{name: "about before a figure", in: "约1.5TB", want: []string{"about 1.5TB"}},
		{name: "glossary word ending a token that is no word", in: "这个月工资", want: []string{"salary"}},
		{name: "progressive 在 before a verb dropped", in: "他在跑", want: []string{"he run"}, notWant: []string{"at"}},
		{name: "在 before a place kept", in: "他在楼下", want: []string{"at"}},
		{name: "relay is no Taiwan", in: "那台中转", want: []string{"that relay"}, notWant: []string{"Taiwan"}},
	}
	g := mini(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Gloss(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Gloss(%q) = %q, must not contain %q", tt.in, got, w)
				}
			}
		})
	}
}

func TestChineseNumber(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		value int
		n     int
	}{
		{"digit", "三台", 3, 1},
		{"ten", "十封", 10, 1},
		{"teen", "十二个", 12, 2},
		{"tens", "二十", 20, 2},
		{"thousand", "一千条", 1000, 2},
		{"liang", "两百", 200, 2},
		{"two digits in a row are a range, not a number", "八九百", 0, 0},
		{"no numeral", "电脑", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, n := chineseNumber([]rune(tt.in), 0)
			if v != tt.value || n != tt.n {
				t.Errorf("chineseNumber(%q) = %d, %d; want %d, %d", tt.in, v, n, tt.value, tt.n)
			}
		})
	}
}

func TestCleanSense(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"infinitive", "to apply for sth", "apply for"},
		{"note in brackets", "to hit (the mark)", "hit"},
		{"pinyin cross reference", "Dongchuan district of Kunming city 昆明市[Kun1 ming2 shi4], Yunnan", "Dongchuan district of Kunming city , Yunnan"},
		{"plain", "server", "server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanSense(tt.in); got != tt.want {
				t.Errorf("cleanSense(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestProperName(t *testing.T) {
	tests := []struct{ name, gloss, pinyin, want string }{
		{"short name", "NATO", "Bei3 yue1", "NATO"},
		{"name and common noun", "Russian language", "E2 wen2", "Russian language"},
		{"description gives the reading", "Dongchuan district of Kunming city, Yunnan", "Dong1 chuan1", "Dongchuan"},
		{"surname gives the reading", "surname Tai", "Tai2", "Tai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := properName(tt.gloss, tt.pinyin); got != tt.want {
				t.Errorf("properName(%q, %q) = %q, want %q", tt.gloss, tt.pinyin, got, tt.want)
			}
		})
	}
}

// TestPersonNameSegments checks names that the segmenter cuts into pieces.
func TestPersonNameSegments(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		notWant  []string
	}{
		{name: "surname and lone characters", in: "顾振洲说好", want: []string{"Gu Zhenzhou"}},
		{name: "two-character token and a lone character", in: "梁子豪：收到", want: []string{"Liang Zihao"}},
		{name: "name before a verb", in: "柯文斌说", want: []string{"Ke Wenbin"}},
		{name: "verb after a surname character is no name", in: "包收到了", notWant: []string{"Bao"}},
		{name: "pronoun after a surname character is no name", in: "向我说", notWant: []string{"Xiang"}},
		{name: "name before a demonstrative", in: "顾振洲那边", want: []string{"Gu Zhenzhou"}},
		{name: "lone characters before a preposition are no name", in: "车停在楼下", notWant: []string{"Che"}},
		{name: "two-character name token before a noun is no name", in: "高危漏洞", notWant: []string{"Gao"}},
	}
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh): given names need its readings")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Gloss(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Gloss(%q) = %q, must not contain %q", tt.in, got, w)
				}
			}
		})
	}
}

// TestTitleBeforeGivenName checks that a title after a surname is read as
// a title even where a lone-character given name could also fit.
func TestTitleBeforeGivenName(t *testing.T) {
	g := mini(t)
	for _, tt := range []struct{ name, in, want string }{
		{"boss", "陈总，款到了", "Mr. Chen"},
		{"office head", "李处签收", "Director Li"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Gloss(tt.in); !strings.Contains(got, tt.want) {
				t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPossessive(t *testing.T) {
	tests := []struct{ name, in, want, notWant string }{
		{"organisation", "财政部的邮件", "Ministry of Finance's", ""},
		{"latin name", "ACME 的数据", "ACME's data", ""},
		{"pronoun is no possessor", "我的数据", "", "'s"},
		{"adjective is no possessor", "新的服务器", "", "'s"},
		{"no noun after", "客户要 ACME 的", "", "'s"},
	}
	g := mini(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Gloss(tt.in)
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, tt.want)
			}
			if tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Errorf("Gloss(%q) = %q, must not contain %q", tt.in, got, tt.notWant)
			}
		})
	}
}

func TestReorder(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"object marker: verb first", "先把上个月工资发了", "first send last month salary"},
		{"object marker with a verb complement", "我把回连地址编进去", "weave get in callback address"},
		{"object marker skips a glossary term tagged as a verb", "晚上把限速放开", "let go rate limit"},
		{"word starting with the marker", "把握机会", "grasp"},
		{"carry out on", "对服务器进行扫描", "scan server"},
		{"to without carry out", "对服务器没有影响", "to server"},
		{"passive without agent", "别被发现", "don't get find"},
		{"passive with agent", "他被警察抓了", "get grab by police"},
	}
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh)")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Gloss(tt.in); !strings.Contains(got, tt.want) {
				t.Errorf("Gloss(%q) = %q, missing %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzGlossRules runs the rules with the hand-made dictionary, so that the
// rules that need CC-CEDICT (names, joins, proper nouns) are fuzzed too.
func FuzzGlossRules(f *testing.F) {
	for _, s := range []string{"刘晓东说他把文件删了", "那台电脑被他拿走了吗", "二十多万条，卡尔维拉公司的数据", "把", "被被被", "王总", "八九百", "别碰。好，"} {
		f.Add(s)
	}
	g := mini(f)
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
