package money

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
		{"wanyuan", "报价5万元", []string{"CNY:50000 [5万元]"}},
		{"yuan", "380000元/套", []string{"CNY:380000 [380000元]"}},
		{"rmb prefix", "RMB 220,000", []string{"CNY:220000 [RMB 220,000]"}},
		{"yen sign", "￥8000", []string{"CNY:8000 [￥8000]"}},
		{"usd", "USD 1,200.50 and $3k", []string{"USD:1200.50 [USD 1,200.50]", "USD:3000 [$3k]"}},
		{"meiyuan", "3000美元", []string{"USD:3000 [3000美元]"}},
		{"bare number", "50000 个 2021年", nil},
		{"wan alone", "38万条", nil},
		{"word glued", "abc12元", nil},
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

func FuzzDetectMoney(f *testing.F) {
	for _, s := range []string{"5万元", "$1,000,000", "RMB1.5亿", "¥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if utf8.ValidString(s) && !utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm) {
				t.Fatalf("bad value %+v", m)
			}
		})
	})
}
