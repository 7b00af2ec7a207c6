package bleve

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func terms(s string) []string {
	var out []string
	for _, t := range (textAnalyzer{}).Analyze([]byte(s)) {
		out = append(out, fmt.Sprintf("%d:%s", t.Position, t.Term))
	}
	return out
}

func TestAnalyzer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"bigrams", "目标清单", []string{"1:目标", "2:标清", "3:清单"}},
		{"single han", "a 呢 b", []string{"1:a", "2:呢", "3:b"}},
		{"traditional folded", "護照", []string{"1:护照"}},
		{"ocr spaces joined", "目 标\n清", []string{"1:目标", "2:标清"}},
		{"wide gap splits", "目     标", []string{"1:目", "2:标"}},
		{"latin lowercase", "Hello WORLD", []string{"1:hello", "2:world"}},
		{"fullwidth and accents", "Ｒｅｓｕｍｅ café cafe\u0301", []string{"1:resume", "2:cafe", "3:cafe"}},
		{"camel glued", "InteriorMinistry", []string{"1:interiorministry", "1:interior", "2:ministry"}},
		{"acronym then word", "NATOServer x", []string{"1:natoserver", "1:nato", "2:server", "3:x"}},
		{"mixed scripts", "NATO的资料", []string{"1:nato", "2:的资", "3:资料"}},
		{"ip", "192.0.2.14", []string{"1:192", "2:0", "3:2", "4:14"}},
		{"kana and hangul", "カタ 한국", []string{"1:カタ", "2:タ한", "3:한국"}},
		{"punctuation only", "-- !!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, terms(tt.in)); diff != "" {
				t.Errorf("Analyze(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestAnalyzerLongWord(t *testing.T) {
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'a'
	}
	for _, tk := range (textAnalyzer{}).Analyze(long) {
		if len(tk.Term) > maxTokenBytes {
			t.Fatalf("term of %d bytes, max %d", len(tk.Term), maxTokenBytes)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"目标清单 護照", "PresidentialInteriorMinistry", "Ｒｅｓｕｍｅ\u3000简历 cafe\u0301 \u200b✈", "a\xffb", "目 \n 标"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		last := 0
		for _, tk := range (textAnalyzer{}).Analyze(in) {
			if tk.Start < 0 || tk.End > len(in) || tk.Start >= tk.End {
				t.Fatalf("token %q offsets %d-%d out of range 0-%d", tk.Term, tk.Start, tk.End, len(in))
			}
			if !utf8.Valid(tk.Term) || len(tk.Term) == 0 {
				t.Fatalf("token %q is empty or invalid UTF-8", tk.Term)
			}
			if tk.Position < last {
				t.Fatalf("position %d after %d", tk.Position, last)
			}
			last = tk.Position
		}
	})
}

func TestAnalyzerEnglish(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"stem beside the word", "Ministries", []string{"1:ministries", "1:ministri"}},
		{"word that is its stem", "Acme data", []string{"1:acme", "1:acm", "2:data"}},
		{"possessive dropped", "Acme's server", []string{"1:acme", "1:acm", "2:server"}},
		{"curly possessive dropped", "Nordhavn’s", []string{"1:nordhavn"}},
		{"lone s kept", "s 3 s", []string{"1:s", "2:3", "3:s"}},
		{"digits not stemmed", "2021s", []string{"1:2021s"}},
		{"camel parts stemmed", "InteriorMinistries", []string{"1:interiorministries", "1:interiorministri", "1:interior", "2:ministries", "2:ministri"}},
		{"cjk unchanged", "目标清单", []string{"1:目标", "2:标清", "3:清单"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range (textAnalyzer{english: true}).Analyze([]byte(tt.in)) {
				got = append(got, fmt.Sprintf("%d:%s", tk.Position, tk.Term))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
