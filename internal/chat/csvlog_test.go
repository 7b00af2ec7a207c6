package chat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseCSV checks a WeChat-style table export: rows keyed by a
// Chinese header, a quoted multi-line body, rows split by group name,
// and a staff table that is not a chat.
func TestParseCSV(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "wechat_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     string
		comma  rune
		want   []string
		wantOK bool
	}{
		{
			name: "wechat export", in: string(data), comma: ',', wantOK: true,
			want: []string{
				`"项目群" group=true [海燕=1 白鹭=1 蓝鲸=2] events=0 2021-06-03 06:22:10..2021-06-03 07:00:00`,
				`"" group=false [海燕=1 蓝鲸=1] events=0 2021-06-04 01:00:00..2021-06-04 01:05:00`,
			},
		},
		{
			name: "tab separated english header", comma: '\t', wantOK: true,
			in:   "time\tsender\tmessage\n2021-06-03 14:00:00\tWren\thello\n2021-06-03 14:01:00\tFinch\thi\n",
			want: []string{`"" group=false [Finch=1 Wren=1] events=0 2021-06-03 06:00:00..2021-06-03 06:01:00`},
		},
		{
			name: "staff table", comma: ',', wantOK: false,
			in: "姓名,部门,电话\n蓝鲸,技术部,1234\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, st, ok := ParseCSV("t.csv", strings.NewReader(tt.in), tt.comma, Options{})
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if d := cmp.Diff(tt.want, shapeSummary(convs)); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
			if ok && st.Skipped != 0 {
				t.Errorf("skipped %d", st.Skipped)
			}
		})
	}
}

// FuzzParseCSV checks that any table parses without panic into valid
// conversations with consistent counts.
func FuzzParseCSV(f *testing.F) {
	data, _ := os.ReadFile(filepath.Join("testdata", "wechat_export.csv"))
	f.Add(data)
	f.Add([]byte("time,from,body\n1600000000,a,\"x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		convs, st, _ := ParseCSV("f.csv", strings.NewReader(string(data)), ',', Options{})
		checkConvs(t, convs, len(data))
		if st.Messages+st.Events > st.Records {
			t.Errorf("inconsistent counts %+v", st)
		}
	})
}
