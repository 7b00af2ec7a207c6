package registry

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
)

// patternTexts are inputs at the edges of the candidate search: matches at
// the start and end, matches glued to each other, line starts, case
// folding, invalid UTF-8 and runes a match cannot start with.
var patternTexts = []struct{ name, text string }{
	{"sample", sample},
	{"glued", "2021年5月3日2021年6月1日 5G5G 1,2345元12万元 RMB5,000USD3 $1.25k"},
	{"lines", "[2021-06-03 14:22:10] 张三: 好\n2021/6/3 9:05 李四：收到\n x2021-06-03 10:00 王五: 不是\n联系人：王小明 负责人: 陈大文"},
	{"fold", "3 MAY 2021, May 3, 2021 sept. 2020 1.2 MILLION Records 3 Thousand call RECORDS"},
	{"invalid utf-8", "\xff2021\xe5年5月\xe4 ¥\xc2 5\xffG 138\xff1234 5678 @\xffab wxid_\xff"},
	{"wallets", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq 0x52908400098527886E0F7030069857D2E4169EE7 4" + "AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge"},
	{"phones", "+86 138 1234 5678 (202) 555-0147 010-12345678 555-0120 2021-05-03 +1 202-555-0147"},
	{"empty", ""},
}

// TestPatterns holds every Pattern the detectors compiled to the plain
// regular expression it stands for.
func TestPatterns(t *testing.T) {
	ps := entity.Patterns()
	if len(ps) < 10 {
		t.Fatalf("only %d patterns registered", len(ps))
	}
	texts := append(patternTexts, struct{ name, text string }{"notes", string(notes(3, 32<<10))})
	for _, tt := range texts {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range ps {
				checkPattern(t, p, []byte(tt.text))
			}
		})
	}
}

// TestPatternsCorpus holds every Pattern to its plain regular expression
// on every text file of the shared corpus, whatever corpus is there; the
// detectors around the patterns are unchanged, so this is the old and the
// new scan compared on it. Skipped when the corpus is absent or -short.
func TestPatternsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: corpus comparison skipped")
	}
	texts := corpusTexts(t)
	if texts == nil {
		t.Skip("shared corpus absent")
	}
	if len(texts) == 0 {
		t.Fatal("shared corpus has no text file")
	}
	ps := entity.Patterns()
	for sum, text := range texts {
		for _, p := range ps {
			want := p.Regexp().FindAllSubmatchIndex(text, -1)
			if diff := cmp.Diff(want, p.FindAllSubmatchIndex(text)); diff != "" {
				t.Fatalf("corpus file %s: %s (-regexp +pattern)\n%s", sum[:12], p, diff)
			}
		}
	}
	t.Logf("%d corpus texts, %d patterns", len(texts), len(ps))
}

func checkPattern(t *testing.T, p *entity.Pattern, text []byte) {
	t.Helper()
	want := p.Regexp().FindAllSubmatchIndex(text, -1)
	got := p.FindAllSubmatchIndex(text)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s on %q (-regexp +pattern)\n%s", p, text, diff)
	}
	wantIdx := p.Regexp().FindAllIndex(text, -1)
	if diff := cmp.Diff(wantIdx, p.FindAllIndex(text)); diff != "" {
		t.Fatalf("%s FindAllIndex on %q (-regexp +pattern)\n%s", p, text, diff)
	}
}

// FuzzPatterns compares every Pattern with its plain regular expression.
func FuzzPatterns(f *testing.F) {
	for _, tt := range patternTexts {
		f.Add(tt.text)
	}
	ps := entity.Patterns()
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ps {
			checkPattern(t, p, []byte(s))
		}
	})
}
