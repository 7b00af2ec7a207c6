package geo

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"zh", "印度财政部和巴基斯坦外交部", []string{"IN [印度]", "PK [巴基斯坦]"}},
		{"traditional", "馬來西亞外交部、菲律賓", []string{"MY [馬來西亞]", "PH [菲律賓]"}},
		{"longest", "马来西亚 蒙古国", []string{"MY [马来西亚]", "MN [蒙古国]"}},
		{"english", "India, Pakistan and Myanmar (Burma)", []string{"IN [India]", "PK [Pakistan]", "MM [Myanmar (Burma)]"}},
		{"bodies", "北约 NATO 北約 欧盟 ASEAN", []string{"INT [北约]", "INT [NATO]", "INT [北約]", "INT [欧盟]", "INT [ASEAN]"}},
		{"short with context", "印方 巴外交部 菲政府", []string{"IN [印]", "PK [巴]", "PH [菲]"}},
		{"short without context", "马上 巴西 印刷 土方 老方", []string{"BR [巴西]"}},
		{"inside word", "Indiana Francesca", nil},
		{"russian", "Индия", []string{"IN [Индия]"}},
		{"common word", "中非合作 增加纳税", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) {
				got = append(got, fmt.Sprintf("%s [%s]", m.Norm, tt.text[m.Start:m.End]))
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzDetectGeo(f *testing.F) {
	for _, s := range []string{"印度", "巴外交部", "NATO", "Myanmar (Burma)", "\xe5\x8d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if !utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm) {
				t.Fatalf("bad value %+v", m)
			}
		})
	})
}

func TestCell(t *testing.T) {
	tests := []struct {
		name string
		cell string
		want string
		ok   bool
	}{
		{"iso alpha-2", "KE", "KE", true},
		{"iso alpha-3", "KEN", "KE", true},
		{"international code", "INT", International, true},
		{"international zh", "国际组织", International, true},
		{"international en", "Intl. organisation", International, true},
		{"zh name", "肯尼亚", "KE", true},
		{"common word in a country column", "Jordan", "JO", true},
		{"demonym", "Kenyan", "KE", true},
		{"name with a city", "Kenya (Mombasa)", "KE", true},
		{"not a country", "Nordhavn Shipping", "", false},
		{"lower-case letters are not a code", "ke", "", false},
		{"empty", " ", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Cell(tt.cell)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Cell(%q) = %q, %v; want %q, %v", tt.cell, got, ok, tt.want, tt.ok)
			}
		})
	}
}
