package volume

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
		{"gib", "一共5.49G，", []string{"bytes:5894842613 [5.49G]"}},
		{"gb", "95GB", []string{"bytes:102005473280 [95GB]"}},
		{"gb decimal", "16.8GB", []string{"bytes:18038862643 [16.8GB]"}},
		{"space", "2.7 G 和 1.2 TB", []string{"bytes:2899102924 [2.7 G]", "bytes:1319413953331 [1.2 TB]"}},
		{"mib", "860M", []string{"bytes:901775360 [860M]"}},
		{"ge", "估计5个G左右", []string{"bytes:5368709120 [5个G]"}},
		{"wan", "186万条", []string{"records:1860000 [186万条]"}},
		{"yi", "1.2亿条记录", []string{"records:120000000 [1.2亿条]"}},
		{"wan yu", "200万余条", []string{"records:2000000 [200万余条]"}},
		{"english records", "3 million records and 12,000 rows", []string{"records:3000000 [3 million records]", "records:12000 [12,000 rows]"}},
		{"words before records", "1.2 million call records delivered", []string{"records:1200000 [1.2 million call records]"}},
		{"words need a scale", "2021 call records", nil},
		{"5g network", "5G网络 4G手机", nil},
		{"bandwidth", "100Mbps 10Gb/s", nil},
		{"timestamp", "2021-06-03T10:00", nil},
		{"version", "v2.3G", nil},
		{"word", "MGT 300Mhz", nil},
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

func FuzzDetectVolume(f *testing.F) {
	for _, s := range []string{"5.49G", "186万条", "1,234,567 records", "2.7 个 G", "9999999999999999999T"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if utf8.ValidString(s) && !utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm) {
				t.Fatalf("invalid utf-8 %+v", m)
			}
		})
	})
}
