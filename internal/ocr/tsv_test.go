package ocr

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

const sampleTSV = tsvHeader +
	"1\t1\t0\t0\t0\t0\t0\t0\t300\t100\t-1\t\n" +
	"4\t1\t1\t1\t1\t0\t10\t10\t200\t20\t-1\t\n" +
	"5\t1\t1\t1\t1\t1\t10\t10\t20\t20\t96.5\t张\n" +
	"5\t1\t1\t1\t1\t2\t30\t10\t20\t20\t91.5\t三\n" +
	"5\t1\t1\t1\t1\t3\t50\t10\t40\t20\t90\tVPN\n" +
	"5\t1\t1\t1\t1\t4\t95\t10\t60\t20\t88\t203.0.113.7\n" +
	"4\t1\t1\t1\t2\t0\t10\t40\t200\t20\t-1\t\n" +
	"5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t70\thello\n" +
	"5\t1\t1\t1\t2\t2\t65\t40\t50\t20\t80\tworld\n" +
	"5\t1\t2\t1\t1\t1\t10\t80\t50\t20\t-1\t \n" +
	"5\t1\t2\t1\t1\t2\t10\t80\t50\t20\t60\t好\n"

func TestParseTSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantN    int
		wantErr  string
		wantText string
		wantConf float64
	}{
		{name: "sample", in: sampleTSV, wantN: 11,
			wantText: "张三VPN 203.0.113.7\nhello world\n\n好", wantConf: (96.5 + 91.5 + 90 + 88 + 70 + 80 + 60) / 7},
		{name: "no header", in: strings.SplitN(sampleTSV, "\n", 2)[1], wantN: 11,
			wantText: "张三VPN 203.0.113.7\nhello world\n\n好", wantConf: (96.5 + 91.5 + 90 + 88 + 70 + 80 + 60) / 7},
		{name: "empty", in: "", wantN: 0},
		{name: "header only", in: tsvHeader, wantN: 0},
		{name: "crlf", in: "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t50\tx\r\n", wantN: 1, wantText: "x", wantConf: 50},
		{name: "short row", in: "5\t1\t1\n", wantErr: "tsv line 1: 3 fields"},
		{name: "bad int", in: "5\t1\tx\t1\t1\t1\t0\t0\t1\t1\t50\tx\n", wantErr: "block_num"},
		{name: "bad conf", in: "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\tNaN\tx\n", wantErr: "conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, err := ParseTSV([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(words) != tt.wantN {
				t.Errorf("%d rows, want %d", len(words), tt.wantN)
			}
			if diff := cmp.Diff(tt.wantText, Text(words)); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if got := MeanConfidence(words); got-tt.wantConf > 1e-9 || tt.wantConf-got > 1e-9 {
				t.Errorf("conf %v, want %v", got, tt.wantConf)
			}
		})
	}
}

func TestParseTSVRow(t *testing.T) {
	words, err := ParseTSV([]byte(sampleTSV))
	if err != nil {
		t.Fatal(err)
	}
	want := Word{Level: 5, Page: 1, Block: 1, Par: 1, Line: 1, Word: 4, Left: 95, Top: 10, Width: 60, Height: 20, Conf: 88, Text: "203.0.113.7"}
	if diff := cmp.Diff(want, words[5]); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
}

func TestCountScript(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Script
	}{
		{"simplified", "这些资料们", Script{Han: 5, SimpOnly: 3}},
		{"traditional", "這些資料們", Script{Han: 5, TradOnly: 3}},
		{"shared only", "的是个", Script{Han: 3}},
		{"latin and digits", "VPN 203.0.113.7 ok", Script{Latin: 5}},
		{"empty", "", Script{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CountScript(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGluedLatin(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"spaced", "please send the file", 0},
		{"glued", "pleasesendthefile tonight", 1},
		{"two glued in cjk", "发送pleasesendthefile和downloadthedatabase", 2},
		{"long word is 15", "incomprehension", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GluedLatin(tt.in); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzTSV checks ParseTSV never panics, yields valid UTF-8 and
// confidences in range, and that Text stays within its input's size.
func FuzzTSV(f *testing.F) {
	f.Add([]byte(sampleTSV))
	f.Add([]byte(tsvHeader))
	f.Add([]byte("5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t1e308\t\xff\xfe\n"))
	f.Add([]byte("5\t-1\t1\t1\t1\t1\t0\t0\t1\t1\t-5\tx\t\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		words, err := ParseTSV(b)
		if err != nil && words == nil && len(b) == 0 {
			t.Fatal("error on empty input")
		}
		for _, w := range words {
			if !utf8.ValidString(w.Text) {
				t.Fatalf("invalid UTF-8 %q", w.Text)
			}
			if w.Conf < -1 || w.Conf > 100 {
				t.Fatalf("conf %v out of range", w.Conf)
			}
		}
		text := Text(words)
		if !utf8.ValidString(text) {
			t.Fatal("text not UTF-8")
		}
		if len(text) > 3*len(b)+3 {
			t.Fatalf("text %d bytes from %d input bytes", len(text), len(b))
		}
		if c := MeanConfidence(words); c < 0 || c > 100 {
			t.Fatalf("mean conf %v", c)
		}
	})
}
