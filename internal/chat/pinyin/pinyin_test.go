package pinyin

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const sample = `# CC-CEDICT sample, invented lines in its format
單 单 [Shan4] /surname Shan/
單 单 [dan1] /bill/list/
單 单 [chan2] /used in 单于/
呂 吕 [Lu:3] /surname Lü/
俊 俊 [jun4] /handsome/
兒 儿 [r5] /non-syllabic diminutive suffix/
馬俊 马俊 [Ma3 Jun4] /a two-character word, skipped/
bad line without brackets
Ａ Ａ [A] /full-width letter, not Han/
`

func TestRead(t *testing.T) {
	tab, err := Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := Table{
		'單': {"chan", "dan", "shan"}, '单': {"chan", "dan", "shan"},
		'呂': {"lu", "lv"}, '吕': {"lu", "lv"},
		'俊': {"jun"},
		'兒': {"r"}, '儿': {"r"},
	}
	if diff := cmp.Diff(want, tab); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestToneless(t *testing.T) {
	tests := []struct {
		name, syl string
		want      []string
	}{
		{"tone digit", "jun4", []string{"jun"}},
		{"capital surname", "Zeng1", []string{"zeng"}},
		{"neutral tone", "r5", []string{"r"}},
		{"u umlaut", "nu:3", []string{"nv", "nu"}},
		{"not a syllable", "A-B", nil},
		{"only digits", "55", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Toneless(tt.syl)); diff != "" {
				t.Errorf("Toneless(%q) (-want +got):\n%s", tt.syl, diff)
			}
		})
	}
}

func TestSurname(t *testing.T) {
	tests := []struct {
		name, s string
		want    []string
	}{
		{"common", "马", []string{"ma"}},
		{"polyphonic read as surname", "单", []string{"shan"}},
		{"zeng not ceng", "曾", []string{"zeng"}},
		{"traditional", "鍾", []string{"zhong"}},
		{"u umlaut both ways", "吕", []string{"lu", "lv"}},
		{"compound", "欧阳", []string{"ouyang"}},
		{"not a surname", "的", nil},
		{"two plain characters", "马俊", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Surname(tt.s)); diff != "" {
				t.Errorf("Surname(%q) (-want +got):\n%s", tt.s, diff)
			}
		})
	}
}

// TestOfSurnameWithoutDictionary checks that the embedded surnames are
// readable whether or not CC-CEDICT is installed.
func TestOfSurnameWithoutDictionary(t *testing.T) {
	for _, r := range "王李张苏罗韩单" {
		rs := Of(r)
		if len(rs) == 0 {
			t.Errorf("Of(%q) = nil", r)
		}
		if want := surnames[r][0]; !strings.Contains(" "+strings.Join(rs, " ")+" ", " "+want+" ") {
			t.Errorf("Of(%q) = %v, lacks surname reading %q", r, rs, want)
		}
	}
	if err := Err(); err != nil {
		t.Logf("without CC-CEDICT: %v", err)
	}
}

func TestSurnameTableWellFormed(t *testing.T) {
	if len(surnames) < 100 {
		t.Errorf("%d surnames, want at least 100", len(surnames))
	}
	for r, rs := range surnames {
		for _, x := range rs {
			if x == "" || strings.Trim(x, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Errorf("surname %q: bad reading %q", r, x)
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(sample)
	f.Add("中 中 [zhong1] /middle/\n")
	f.Add("中 中 [zhong1")
	f.Add("\xff \xfe [a1] /x/")
	f.Add("中 中 [?u:1] /x/")
	f.Fuzz(func(t *testing.T, s string) {
		tab, _ := Read(strings.NewReader(s))
		if len(tab) > len(s) {
			t.Fatalf("%d characters from %d bytes", len(tab), len(s))
		}
		for r, rs := range tab {
			if !utf8.ValidRune(r) {
				t.Fatalf("invalid rune %U", r)
			}
			for _, x := range rs {
				if x == "" || strings.Trim(x, "abcdefghijklmnopqrstuvwxyz") != "" {
					t.Fatalf("%q: reading %q not lowercase letters", r, x)
				}
			}
		}
	})
}
