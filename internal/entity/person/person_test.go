package person

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
		{"speaker", "2021-06-03 10:19:35 邵磊: 印度财政部", []string{"person 邵磊 [邵磊]"}},
		{"field", "联系人：钟晓岚，电话", []string{"person 钟晓岚 [钟晓岚]"}},
		{"wxid", "from wxid_k3v9x2m1q8 to", []string{"handle wxid_k3v9x2m1q8 [wxid_k3v9x2m1q8]"}},
		{"at handle", "ping @Shadow_Fox now", []string{"handle shadow_fox [@Shadow_Fox]"}},
		{"email is not handle", "kewb@jinfan-tech.example.com and x@y", nil},
		{"not a surname", "2021-06-03 10:19:35 我们: hi", nil},
		{"running text", "邵磊说好的", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) {
				got = append(got, fmt.Sprintf("%s %s [%s]", m.Kind, m.Norm, tt.text[m.Start:m.End]))
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzDetectPerson(f *testing.F) {
	for _, s := range []string{"2021-06-03 10:19:35 邵磊: x", "联系人：欧阳小明", "@abc", "wxid_abcdef12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if utf8.ValidString(s) && (!utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm)) {
				t.Fatalf("bad value %+v", m)
			}
		})
	})
}
