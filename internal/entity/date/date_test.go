package date

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
		{"zh ymd", "2021年5月3日上线", []string{"2021-05-03 [2021年5月3日]"}},
		{"zh ym", "截至2021年5月，", []string{"2021-05 [2021年5月]"}},
		{"zh y", "基本都是2021年的文件", []string{"2021 [2021年]"}},
		{"iso", "2021-05-03 09:12:18", []string{"2021-05-03 [2021-05-03]"}},
		{"iso date-time", "\"ts\": \"2021-07-20T11:04:37+08:00\"", []string{"2021-07-20 [2021-07-20]"}},
		{"letter after date", "2021-07-20Tx 2021-07-20abc", nil},
		{"slash", "2021/5/3", []string{"2021-05-03 [2021/5/3]"}},
		{"dotted ym", "2021.06", []string{"2021-06 [2021.06]"}},
		{"ym dash", "2020-12 待清洗", []string{"2020-12 [2020-12]"}},
		{"mdy unambiguous", "5/23/2021", []string{"2021-05-23 [5/23/2021]"}},
		{"dmy unambiguous", "23/5/2021", []string{"2021-05-23 [23/5/2021]"}},
		{"ambiguous", "5/3/2021", []string{"2021 [5/3/2021]"}},
		{"english", "May 2021, 3 May 2021 and June 5, 2022", []string{"2021-05 [May 2021]", "2021-05-03 [3 May 2021]", "2022-06-05 [June 5, 2022]"}},
		{"relative", "去年 上个月 last year 前年", nil},
		{"bad day", "2021-02-30", nil},
		{"ip", "198.51.100.201", nil},
		{"invoice", "JF-2021-118", nil},
		{"bare year", "in 2021 we", nil},
		{"version", "v2021.05", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) {
				got = append(got, fmt.Sprintf("%s [%s]", m.Norm, tt.text[m.Start:m.End]))
			})
			got = sortByText(tt.text, got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// sortByText orders "norm [value]" lines by where value occurs in text.
func sortByText(text string, lines []string) []string {
	idx := func(l string) int {
		i := len(l) - 1
		for i > 0 && l[i] != '[' {
			i--
		}
		return len(text) - len(text[indexOf(text, l[i+1:len(l)-1]):])
	}
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && idx(lines[j]) < idx(lines[j-1]); j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
	return lines
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return 0
}

func FuzzDetectDate(f *testing.F) {
	for _, s := range []string{"2021年5月3日", "5/3/2021", "3 May 2021", "2021.13.40", "去年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if utf8.ValidString(s) && !utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm) || len(m.Norm) > 10 {
				t.Fatalf("bad value %+v", m)
			}
		})
	})
}
