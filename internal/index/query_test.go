package index

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		in   string
		want Node
	}{
		{"empty", "  ", All{}},
		{"word", "护照", Term{Value: "护照"}},
		{"implicit and", "a b", And{Nodes: []Node{Term{Value: "a"}, Term{Value: "b"}}}},
		{"or binds looser", "a OR b c", Or{Nodes: []Node{Term{Value: "a"}, And{Nodes: []Node{Term{Value: "b"}, Term{Value: "c"}}}}}},
		{"phrase", `"a b"`, Term{Value: "a b", Phrase: true}},
		{"escaped quote", `"a \"b\""`, Term{Value: `a "b"`, Phrase: true}},
		{"not", "NOT a", And{Nodes: []Node{Not{Node: Term{Value: "a"}}}}},
		{"minus", "a -b", And{Nodes: []Node{Term{Value: "a"}, Not{Node: Term{Value: "b"}}}}},
		{"plus", "+a", Term{Value: "a"}},
		{"lone minus is a word", "a - b", And{Nodes: []Node{Term{Value: "a"}, Term{Value: "-"}, Term{Value: "b"}}}},
		{"group", "(a OR b) c", And{Nodes: []Node{Or{Nodes: []Node{Term{Value: "a"}, Term{Value: "b"}}}, Term{Value: "c"}}}},
		{"field", "lang:zh-Hans", Term{Field: "lang", Value: "zh-Hans"}},
		{"field case", "LANG:en", Term{Field: "lang", Value: "en"}},
		{"field phrase", `title:"a b"`, Term{Field: "title", Value: "a b", Phrase: true}},
		{"entity keeps colon", "entity:ipv4:192.0.2.1", Term{Field: "entity", Value: "ipv4:192.0.2.1"}},
		{"url is a word", "http://x", Term{Value: "http://x"}},
		{"clock time is a word", "12:30", Term{Value: "12:30"}},
		{"windows path is a word", `C:\\Users`, Term{Value: `C:\\Users`}},
		{"wildcard", "pass*", Term{Value: "pass*", Wildcard: true}},
		{"date ge", "date:>=2021-01-01", DateRange{From: day(2021, 1, 1)}},
		{"date lt year", "date:<2022", DateRange{To: day(2022, 1, 1)}},
		{"date le month", "date:<=2021-06", DateRange{To: day(2021, 7, 1)}},
		{"date gt day", "date:>2021-06-30", DateRange{From: day(2021, 7, 1)}},
		{"date month", "date:2021-06", DateRange{From: day(2021, 6, 1), To: day(2021, 7, 1)}},
		{"date span", "date:2021-01..2021-02", DateRange{From: day(2021, 1, 1), To: day(2021, 3, 1)}},
		{"year", "year:2021", YearRange{From: 2021, To: 2021}},
		{"year lt", "year:<2021", YearRange{To: 2020}},
		{"year span", "year:2019..2021", YearRange{From: 2019, To: 2021}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		pos  int
	}{
		{"unclosed quote", `a "b`, 2},
		{"unclosed paren", `(a`, 0},
		{"stray paren", `a )`, 2},
		{"or at end", `a OR`, 4},
		{"and at start", `AND a`, 0},
		{"quote in word", `ab"c"`, 2},
		{"bad date", `date:soon`, 0},
		{"empty date range", `date:2021..2020`, 0},
		{"range on keyword", `type:>pdf`, 0},
		{"empty value", `type:`, 0},
		{"unknown field", `a frm:acme`, 2},
		{"unknown field as entity kind", `ipv4:192.0.2.1`, 0},
		{"fuzzy", `acme~`, 0},
		{"fuzzy distance", `a acme~2`, 2},
		{"boost", `acme^0.5`, 0},
		{"bracket range", `[2020 TO 2021]`, 0},
		{"brace range", `year:2020 {a`, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var qe *QueryError
			if !errors.As(err, &qe) || !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Parse(%q) = %v, want *QueryError", tt.in, err)
			}
			if qe.Pos != tt.pos {
				t.Errorf("Parse(%q) error at %d, want %d (%v)", tt.in, qe.Pos, tt.pos, err)
			}
		})
	}
}

// fakeWords cuts at a fixed dictionary, standing in for internal/lang's
// segmenter (which the index may not import).
func fakeWords(s string) []string {
	return strings.Fields(strings.NewReplacer("德国", " 德国 ", "明湖大学", " 明湖大学 ", "在", " 在 ", "Acme", " Acme ").Replace(s))
}

func TestParseWith(t *testing.T) {
	senders := func(v string) []string {
		if v == "acme_ops" || v == "Ops" {
			return []string{"Acme Ops", "acme_ops", "Ops"}
		}
		return nil
	}
	o := ParseOptions{Words: fakeWords, Senders: senders}
	tests := []struct {
		name string
		in   string
		want Node
	}{
		{"cjk words anded", "德国明湖大学", And{Nodes: []Node{Term{Value: "德国"}, Term{Value: "明湖大学"}}}},
		{"quoted stays a phrase", `"德国明湖大学"`, Term{Value: "德国明湖大学", Phrase: true}},
		{"field keeps its field", "title:德国明湖大学", And{Nodes: []Node{Term{Field: "title", Value: "德国"}, Term{Field: "title", Value: "明湖大学"}}}},
		{"one character glued to its neighbour", "在德国", Term{Value: "在德国"}},
		{"mixed scripts", "Acme德国", And{Nodes: []Node{Term{Value: "Acme"}, Term{Value: "德国"}}}},
		{"latin only is not cut", "AcmeTelecom", Term{Value: "AcmeTelecom"}},
		{"wildcard is not cut", "德国明湖*", Term{Value: "德国明湖*", Wildcard: true}},
		{"keyword field is not cut", "path:德国明湖大学", Term{Field: "path", Value: "德国明湖大学"}},
		{"sender by handle", "sender:acme_ops", Or{Nodes: []Node{Term{Field: "sender", Value: "acme_ops"}, Term{Field: "sender", Value: "Acme Ops"}, Term{Field: "sender", Value: "Ops"}}}},
		{"sender unknown", "sender:nobody", Term{Field: "sender", Value: "nobody"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWith(tt.in, o)
			if err != nil {
				t.Fatalf("ParseWith(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseWith(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestRelax(t *testing.T) {
	a, b, c := Term{Value: "a"}, Term{Value: "b"}, Term{Value: "c"}
	lang := Term{Field: "lang", Value: "en"}
	tests := []struct {
		name    string
		in      Node
		want    Node
		relaxed bool
	}{
		{"terms become alternatives", And{Nodes: []Node{a, b}}, And{Nodes: []Node{Or{Nodes: []Node{a, b}}}}, true},
		{"filters stay required", And{Nodes: []Node{a, lang, b}}, And{Nodes: []Node{lang, Or{Nodes: []Node{a, b}}}}, true},
		{"exclusions stay", And{Nodes: []Node{a, Not{Node: c}, b}}, And{Nodes: []Node{Not{Node: c}, Or{Nodes: []Node{a, b}}}}, true},
		{"cut words are flattened", And{Nodes: []Node{a, And{Nodes: []Node{b, c}}}}, And{Nodes: []Node{Or{Nodes: []Node{a, b, c}}}}, true},
		{"one term", And{Nodes: []Node{a, lang}}, And{Nodes: []Node{a, lang}}, false},
		{"a single term", a, a, false},
		{"an or is left alone", Or{Nodes: []Node{a, b}}, Or{Nodes: []Node{a, b}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Relax(tt.in)
			if ok != tt.relaxed {
				t.Errorf("Relax relaxed = %v, want %v", ok, tt.relaxed)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Relax (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a b", `"x y" OR (z -w)`, "lang:zh date:>=2021-01-01", "((((", `"`, "NOT NOT a", "entity:ipv4:1.2.3.4 path:*.pdf", "year:2019..2021", "德国明湖大学 sender:x", "frm:a acme~2 [a TO b]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// With a segmenter and aliases the language accepts the same
		// queries: they change what a term means, not what parses.
		_, errWith := ParseWith(s, ParseOptions{Words: fakeWords, Senders: func(v string) []string { return []string{v, "x" + v} }})
		n, err := Parse(s)
		if (err == nil) != (errWith == nil) {
			t.Fatalf("Parse(%q) error %v, ParseWith error %v", s, err, errWith)
		}
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Parse(%q) error %v is not ErrBadQuery", s, err)
			}
			var qe *QueryError
			if errors.As(err, &qe) && qe.Pos > len(s) {
				t.Fatalf("Parse(%q) error position %d beyond input", s, qe.Pos)
			}
			return
		}
		if n == nil {
			t.Fatalf("Parse(%q) = nil, nil", s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("Parse accepted invalid UTF-8 %q", s)
		}
	})
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		marks [][2]int
		want  string
	}{
		{"plain", "hello world", nil, "hello world"},
		{"mark", "hello world", [][2]int{{6, 11}}, "hello <mark>world</mark>"},
		{"overlapping bigrams merge", "目标清单", [][2]int{{0, 6}, {3, 9}, {6, 12}}, "<mark>目标清单</mark>"},
		{"escape", `<b>"x"</b> & y`, [][2]int{{3, 6}}, `&lt;b&gt;<mark>&#34;x&#34;</mark>&lt;/b&gt; &amp; y`},
		{"bidi visible", "报告\u202efdp.exe", nil, "报告⟦U+202E⟧fdp.exe"},
		{"whitespace collapsed", "a\n\n\tb", nil, "a b"},
		{"out of range marks ignored", "abc", [][2]int{{2, 10}, {-1, 1}}, "abc"},
		{"invalid utf8", "a\xffb", nil, "a⟦U+FFFD⟧b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Snippet(tt.text, tt.marks)); diff != "" {
				t.Errorf("Snippet (-want +got):\n%s", diff)
			}
		})
	}
	long := ""
	for range 100 {
		long += "filler "
	}
	got := Snippet(long+"needle"+long, [][2]int{{len(long), len(long) + 6}})
	if want := "<mark>needle</mark>"; !contains(got, want) || len(got) > SnippetWidth+40 {
		t.Errorf("long snippet %q: want %q within %d bytes", got, want, SnippetWidth+40)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestTypeOf(t *testing.T) {
	tests := []struct{ name, mime, kind, want string }{
		{"pdf", "application/pdf", KindDocument, "pdf"},
		{"params", "text/html; charset=utf-8", KindDocument, "html"},
		{"image", "image/webp", KindDocument, "image"},
		{"message", "text/plain", KindMessage, "chat"},
		{"unknown", "", KindDocument, "unknown"},
		{"other", "application/x-foo", KindDocument, "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TypeOf(tt.mime, tt.kind); got != tt.want {
				t.Errorf("TypeOf(%q, %q) = %q, want %q", tt.mime, tt.kind, got, tt.want)
			}
		})
	}
}
