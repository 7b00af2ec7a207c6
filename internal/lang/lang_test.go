package lang

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"simplified", "我们已经拿下了印度移民局的内网，数据正在回传。", "zh-Hans"},
		{"traditional", "我們已經拿下了印度移民局的內網，資料正在回傳。", "zh-Hant"},
		{"han without variant characters", "中文", "zh-Hans"},
		{"english", "Please find attached the payment reminder for the invoice of last month.", "en"},
		{"english log without stopwords", "heartbeat ok rtt_ms node heartbeat ok", "en"},
		{"french", "Bonjour, je vous envoie le rapport de la semaine dans cette pièce jointe.", "fr"},
		{"spanish", "Hola, te envío el informe de la semana con los datos del cliente.", "es"},
		{"german", "Die Daten sind nicht mehr auf dem Server und wir haben keine Kopie.", "de"},
		{"vietnamese", "Chúng tôi đã nhận được dữ liệu của khách hàng trong tuần này.", "vi"},
		{"russian", "Мы получили данные клиента на этой неделе.", "ru"},
		{"ukrainian", "Ми отримали дані клієнта цього тижня, її копія є.", "uk"},
		{"japanese", "これは今週のレポートです。データを確認してください。", "ja"},
		{"japanese mostly kanji", "東京都港区の顧客情報を確認してください", "ja"},
		{"korean", "이번 주 고객 데이터를 받았습니다.", "ko"},
		{"thai", "เราได้รับข้อมูลลูกค้าในสัปดาห์นี้", "th"},
		{"arabic", "لقد تلقينا بيانات العميل هذا الأسبوع", "ar"},
		{"urdu", "ہم نے اس ہفتے گاہک کا ڈیٹا حاصل کیا ہے", "ur"},
		{"hindi", "हमें इस सप्ताह ग्राहक का डेटा मिला है", "hi"},
		{"chinese dominates english keys", `{"from": "lion_shao", "to": "中亚组", "body": "阿富汗总统府去年5月那批文件客户又要了一份"}`, "zh-Hans"},
		{"numbers and urls only", "192.0.2.14 https://example.com/a/b 2021-06-03 0xdeadbeef", ""},
		{"empty", "", ""},
		{"too short latin", "ok", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.text); got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSegments(t *testing.T) {
	text := "项目进展如下，请查收。\n\nThe client asked for the full database of the ministry.\n好的\n這是繁體中文的備忘錄。\n"
	got := Segments(text)
	want := []Segment{
		{Start: 0, End: strings.Index(text, "The"), Lang: "zh-Hans"},
		{Start: strings.Index(text, "The"), End: strings.Index(text, "好的"), Lang: "en"},
		// 好的 has no variant-specific character: it takes the variant of
		// the nearest Chinese line before it.
		{Start: strings.Index(text, "好的"), End: strings.Index(text, "這是"), Lang: "zh-Hans"},
		{Start: strings.Index(text, "這是"), End: len(text), Lang: "zh-Hant"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Segments (-want +got):\n%s", diff)
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional to simplified", "財政部", "财政部"},
		{"simplified unchanged", "财政部", "财政部"},
		{"mixed phrase", "內政部與移民局的資料", "内政部与移民局的资料"},
		{"full width", "ＡＢＣ１２３　ｘ", "abc123 x"},
		{"latin case", "Ministry OF Finance", "ministry of finance"},
		{"cyrillic case", "ДАННЫЕ", "данные"},
		{"halfwidth katakana", "ｶﾀｶﾅ", "カタカナ"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Fold(tt.in)); diff != "" {
				t.Errorf("Fold(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	if Fold("財政部") != Fold("财政部") {
		t.Error("財政部 and 财政部 fold differently")
	}
}

func TestToTraditional(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ministry", "财政部", "財政部"},
		{"phrase aware", "头发", "頭髮"},
		{"development", "发展", "發展"},
		{"round trip folds back", "内网数据", "內網數據"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ToTraditional(tt.in)
			if got != tt.want {
				t.Errorf("ToTraditional(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Fold(got) != Fold(tt.in) {
				t.Errorf("Fold(ToTraditional(%q)) = %q, want %q", tt.in, Fold(got), Fold(tt.in))
			}
		})
	}
}

type tok struct{ Text, Pos string }

func TestCut(t *testing.T) {
	tests := []struct {
		name, in string
		want     []tok
	}{
		{"place and organisation", "印度财政部", []tok{{"印度", "ns"}, {"财政部", "nt"}}},
		{"traditional keeps its text", "印度財政部", []tok{{"印度", "ns"}, {"財政部", "nt"}}},
		{"numbers and latin", "共95 GB", []tok{{"共", "d"}, {"95", "m"}, {" ", "x"}, {"GB", "eng"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tok
			for _, k := range Cut(tt.in) {
				got = append(got, tok{k.Text, k.Pos})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Cut(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// checkTokens verifies that tokens cover text in order with correct offsets.
func checkTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	at := 0
	for _, k := range toks {
		if k.Start != at || k.End <= k.Start || k.End > len(text) || text[k.Start:k.End] != k.Text {
			t.Fatalf("token %+v does not continue at %d in %q", k, at, text)
		}
		if !utf8.ValidString(k.Norm) {
			t.Fatalf("token norm %q is not valid UTF-8", k.Norm)
		}
		at = k.End
	}
	if at != len(text) {
		t.Fatalf("tokens end at %d, text at %d", at, len(text))
	}
}

func TestCutCoversText(t *testing.T) {
	texts := []string{
		"",
		"財政部於2021年6月3日發布\r\n第二行 second line\n",
		"a\xff\xfe中文\x00",
		strings.Repeat("很长的一行没有换行符", 2000), // longer than maxChunk
		strings.Repeat("x", maxChunk*2+7),
	}
	for _, s := range texts {
		checkTokens(t, s, Cut(s))
	}
}

func TestLoad(t *testing.T) {
	st, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if st.Words < 150_000 {
		t.Errorf("loaded %d words, want the filtered jieba list (>150k)", st.Words)
	}
	t.Logf("zh dictionary: %d words from %d compressed bytes in %v", st.Words, st.GzBytes, st.Duration)
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "中文", "這是", "hello world the", "ｶﾀｶﾅ", "یہ", "\xff", "a\nb\n中文\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tag := Detect(s)
		if len(tag) > 8 || !utf8.ValidString(tag) {
			t.Fatalf("odd tag %q", tag)
		}
		segs := Segments(s)
		at := 0
		for _, sg := range segs {
			if sg.Start != at || sg.End <= sg.Start || sg.End > len(s) {
				t.Fatalf("segment %+v out of order at %d (len %d)", sg, at, len(s))
			}
			at = sg.End
		}
		if at != len(s) {
			t.Fatalf("segments end at %d, text at %d", at, len(s))
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "財政部", "ＡＢＣ", "ß", "İ", "\xff\xfe", "ｶﾞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, got)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
			t.Fatalf("Fold(%q) changed the rune count", s)
		}
		if Fold(got) != got {
			t.Fatalf("Fold is not idempotent on %q", s)
		}
	})
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "印度财政部", "財政部\n", "\xff中", "abc 123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTokens(t, s, Cut(s))
	})
}
