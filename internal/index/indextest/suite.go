// Package indextest is the conformance suite every index.Index
// implementation passes: the same corpus, the same queries and the same
// expected hits, so that a second backend (OpenSearch) behaves like the
// embedded one.
package indextest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/index"
)

// Corpus is the fixed set of units the suite indexes. Its IDs are short
// names, not hashes, to keep expectations readable.
func Corpus() []index.Doc {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 10, 0, 0, 0, time.UTC) }
	return []index.Doc{
		{ID: "zh-list", Kind: index.KindDocument, Path: "业务/2021年境外目标清单.xlsx", Paths: []string{"业务/2021年境外目标清单.xlsx", "misc/目标清单 - 副本.xlsx"},
			Title: "境外目标清单", Text: "序号 目标单位 国家 数据量\n1 总统府内政部 哈萨克斯坦 5.49G\n2 移民管理局 印度 95.2G",
			Translation: "No. Target unit Country Volume\n1 Presidential Interior Ministry Kazakhstan 5.49G",
			Lang:        "zh-Hans", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Date: d(2021, 3, 1),
			Entities: []string{"volume:5.49G", "country:KZ", "country:IN"}, Countries: []string{"KZ", "IN"}},
		{ID: "zh-trad", Kind: index.KindDocument, Path: "notes/big5.txt", Text: "護照資料與出入境記錄已經取得。",
			Translation: "Passport data and entry-exit records have been obtained.", Lang: "zh-Hant", MIME: "text/plain", Date: d(2020, 11, 5)},
		{ID: "en-report", Kind: index.KindDocument, Path: "业务/catalogue.docx", Title: "Product Catalogue",
			Text: "The Penetration Testing Platform supports Windows and Linux. Contact sales@example.com or 192.0.2.14.",
			Lang: "en", MIME: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Date: d(2022, 1, 10),
			Entities: []string{"email:sales@example.com", "ipv4:192.0.2.14"}},
		{ID: "ocr-scan", Kind: index.KindDocument, Path: "screenshots/shot1.png", Text: "目 标 清 单\nPresidentialInteriorMinistry 已 完 成",
			Lang: "zh-Hans", MIME: "image/png", Date: d(2021, 6, 3)},
		{ID: "pdf-contract", Kind: index.KindDocument, Path: "archives/x.tar.gz!/docs/合同.pdf", Text: "技术服务合同 甲方 乙方 服务内容：数据分析平台。",
			Translation: "Technical service contract. Party A, Party B. Service: data analysis platform.", Lang: "zh-Hans", MIME: "application/pdf", Date: d(2019, 8, 20)},
		{ID: "html-probe", Kind: index.KindDocument, Path: "misc/preview.html", Text: `报告预览 <script>alert(1)</script> probe & "quotes"`,
			Lang: "zh-Hans", MIME: "text/html"},
		{ID: "chat1#m1", Kind: index.KindMessage, Path: "chats/group.md", Text: "明天把护照数据发过来", Translation: "Send the passport data tomorrow",
			Lang: "zh-Hans", MIME: "text/markdown", Date: d(2021, 6, 3), Sender: "张三", Conversation: "conv-1"},
		{ID: "chat1#m2", Kind: index.KindMessage, Path: "chats/group.md", Text: "好的，已经打包。", Translation: "OK, already packed.",
			Lang: "zh-Hans", MIME: "text/markdown", Date: d(2021, 6, 4), Sender: "李四", Conversation: "conv-1"},
		{ID: "chat1#m3", Kind: index.KindMessage, Path: "chats/group.md", Text: "NATO 的资料呢？", Translation: "What about the NATO material?",
			Lang: "zh-Hans", MIME: "text/markdown", Date: d(2021, 6, 5), Sender: "张三", Conversation: "conv-1", Countries: []string{"INT"}},
	}
}

// Run runs the suite against indexes made by open. Each subtest gets a fresh
// index holding Corpus.
func Run(t *testing.T, open func(t *testing.T) index.Index) {
	t.Helper()
	fresh := func(t *testing.T) index.Index {
		x := open(t)
		t.Cleanup(func() { x.Close() })
		if err := x.Add(t.Context(), Corpus()...); err != nil {
			t.Fatalf("Add: %v", err)
		}
		return x
	}
	t.Run("Count", func(t *testing.T) {
		x := fresh(t)
		n, err := x.Count()
		if err != nil || n != uint64(len(Corpus())) {
			t.Fatalf("Count() = %d, %v; want %d", n, err, len(Corpus()))
		}
		// Adding again replaces, it does not duplicate.
		if err := x.Add(t.Context(), Corpus()[0]); err != nil {
			t.Fatal(err)
		}
		if n2, _ := x.Count(); n2 != n {
			t.Errorf("Count after re-Add = %d, want %d", n2, n)
		}
	})
	t.Run("Queries", func(t *testing.T) { testQueries(t, fresh(t)) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, fresh(t)) })
	t.Run("Facets", func(t *testing.T) { testFacets(t, fresh(t)) })
	t.Run("Snippets", func(t *testing.T) { testSnippets(t, fresh(t)) })
	t.Run("Pagination", func(t *testing.T) { testPagination(t, fresh(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, fresh(t)) })
	t.Run("BadQueries", func(t *testing.T) { testBad(t, fresh(t)) })
	t.Run("Fallback", func(t *testing.T) { testFallback(t, fresh(t)) })
	t.Run("HitFields", func(t *testing.T) { testHitFields(t, fresh(t)) })
	t.Run("Sort", func(t *testing.T) { testSort(t, fresh(t)) })
}

// testFallback: when no unit has every term, the hits are those with any,
// the ones with most terms first, and the result says so; filters and
// exclusions still hold.
func testFallback(t *testing.T, x index.Index) {
	tests := []struct {
		name    string
		q       index.Query
		want    []string // in order
		relaxed bool
	}{
		{"and answers first", index.Query{Text: "passport tomorrow"}, []string{"chat1#m1"}, false},
		{"most terms first", index.Query{Text: "passport tomorrow send nowhere"}, []string{"chat1#m1", "zh-trad"}, true},
		{"filter still applies", index.Query{Text: "passport nowhere kind:document"}, []string{"zh-trad"}, true},
		{"exclusion still applies", index.Query{Text: "passport nowhere -明天"}, []string{"zh-trad"}, true},
		{"one term has no fallback", index.Query{Text: "nowhere"}, []string{}, false},
		{"nothing matches any", index.Query{Text: "nowhere nothing"}, []string{}, false},
		{"fallback off", index.Query{Text: "passport nowhere", NoFallback: true}, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.q.Text, diff)
			}
			if res.Relaxed != tt.relaxed || (res.Notice != "") != tt.relaxed {
				t.Errorf("Search(%q): relaxed %v notice %q, want relaxed %v with a notice", tt.q.Text, res.Relaxed, res.Notice, tt.relaxed)
			}
		})
	}
}

// testHitFields: every hit carries the date it claims and, for a
// message, its sender.
func testHitFields(t *testing.T, x index.Index) {
	res, err := x.Search(t.Context(), index.Query{Text: "护照", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	type fields struct {
		Date   time.Time
		Sender string
	}
	got := map[string]fields{}
	for _, h := range res.Hits {
		got[h.ID] = fields{h.Date, h.Sender}
	}
	want := map[string]fields{
		"chat1#m1": {time.Date(2021, 6, 3, 10, 0, 0, 0, time.UTC), "张三"},
		"zh-trad":  {time.Date(2020, 11, 5, 10, 0, 0, 0, time.UTC), ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hit dates and senders (-want +got):\n%s", diff)
	}
}

// testSort: by relevance (the default) or by date, newest or oldest
// first; undated units come last either way.
func testSort(t *testing.T, x index.Index) {
	tests := []struct {
		name, sort string
		want       []string
	}{
		{"newest", index.SortNewest, []string{"en-report", "chat1#m3", "chat1#m2", "chat1#m1", "ocr-scan", "zh-list", "zh-trad", "pdf-contract", "html-probe"}},
		{"oldest", index.SortOldest, []string{"pdf-contract", "zh-trad", "zh-list", "chat1#m1", "ocr-scan", "chat1#m2", "chat1#m3", "en-report", "html-probe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(t.Context(), index.Query{Sort: tt.sort, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sort %s (-want +got):\n%s", tt.sort, diff)
			}
		})
	}
}

func ids(t *testing.T, x index.Index, q index.Query) []string {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	res, err := x.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	if int(res.Total) < len(out) {
		t.Errorf("Search(%q): Total %d < %d hits", q.Text, res.Total, len(out))
	}
	slices.Sort(out)
	return out
}

func testQueries(t *testing.T, x index.Index) {
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"english word any case", "penetration", []string{"en-report"}},
		{"english phrase", `"testing platform"`, []string{"en-report"}},
		{"phrase order matters", `"platform testing"`, []string{}},
		{"translation field", "passport", []string{"chat1#m1", "zh-trad"}},
		{"title", "catalogue", []string{"en-report"}},
		{"cjk word", "护照", []string{"chat1#m1", "zh-trad"}},
		{"cjk substring inside a run", "标清", []string{"ocr-scan", "zh-list"}},
		{"cjk longer substring", "总统府内政", []string{"zh-list"}},
		{"cjk not present", "护照清单", []string{}},
		{"traditional finds simplified", "護照", []string{"chat1#m1", "zh-trad"}},
		{"simplified finds traditional", "资料与出入境", []string{"zh-trad"}},
		{"ocr spaces between han", "目标清单", []string{"ocr-scan", "zh-list"}},
		{"single han character", "呢", []string{"chat1#m3"}},
		{"glued english from ocr", `"interior ministry"`, []string{"ocr-scan", "zh-list"}},
		{"path words", "catalogue.docx", []string{"en-report"}},
		{"and implicit", "passport tomorrow", []string{"chat1#m1"}},
		{"and explicit", "passport AND tomorrow", []string{"chat1#m1"}},
		{"or", "catalogue OR 合同", []string{"en-report", "pdf-contract"}},
		{"not", "护照 NOT 明天", []string{"zh-trad"}},
		{"minus", "护照 -明天", []string{"zh-trad"}},
		{"plus", "+护照 +明天", []string{"chat1#m1"}},
		{"only negative", "-护照 -kind:document", []string{"chat1#m2", "chat1#m3"}},
		{"parentheses", "(catalogue OR 合同) AND platform", []string{"en-report", "pdf-contract"}},
		{"wildcard", "penetr*", []string{"en-report"}},
		{"wildcard question", "w?ndows", []string{"en-report"}},
		{"ip as phrase", "192.0.2.14", []string{"en-report"}},
		{"lang exact", "lang:zh-Hant", []string{"zh-trad"}},
		{"lang prefix", "lang:en", []string{"en-report"}},
		{"lang case-insensitive", "lang:ZH-HANT", []string{"zh-trad"}},
		{"type", "type:pdf", []string{"pdf-contract"}},
		{"type image", "type:image", []string{"ocr-scan"}},
		{"type chat", "type:chat 张三", []string{}},
		{"sender", "sender:张三", []string{"chat1#m1", "chat1#m3"}},
		{"path substring", "path:archives/", []string{"pdf-contract"}},
		{"path second occurrence", "path:副本", []string{"zh-list"}},
		{"path wildcard", "path:chats/*.md", []string{"chat1#m1", "chat1#m2", "chat1#m3"}},
		{"entity with kind", "entity:ipv4:192.0.2.14", []string{"en-report"}},
		{"entity value only", "entity:sales@example.com", []string{"en-report"}},
		{"country", "country:kz", []string{"zh-list"}},
		{"kind", "kind:message 护照", []string{"chat1#m1"}},
		{"conversation", "conversation:conv-1", []string{"chat1#m1", "chat1#m2", "chat1#m3"}},
		{"field phrase", `translation:"entry-exit records"`, []string{"zh-trad"}},
		{"date from", "date:>=2022-01-01", []string{"en-report"}},
		{"date before", "date:<2020", []string{"pdf-contract"}},
		{"date month", "date:2021-06", []string{"chat1#m1", "chat1#m2", "chat1#m3", "ocr-scan"}},
		{"date range", "date:2020-11..2021-03", []string{"zh-list", "zh-trad"}},
		{"year", "year:2019", []string{"pdf-contract"}},
		{"year range", "year:>=2022", []string{"en-report"}},
		{"punctuation only", "- 护照", []string{"chat1#m1", "zh-trad"}},
		{"url is text", "http://example", []string{}},
		{"english inflection finds the stem", "tested platforms", []string{"en-report"}},
		{"english possessive", "platform's", []string{"en-report", "pdf-contract"}},
		{"empty matches all", "", []string{"chat1#m1", "chat1#m2", "chat1#m3", "en-report", "html-probe", "ocr-scan", "pdf-contract", "zh-list", "zh-trad"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(t, x, index.Query{Text: tt.query})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

func testFilters(t *testing.T, x index.Index) {
	tests := []struct {
		name    string
		text    string
		filters map[string][]string
		want    []string
	}{
		{"one value", "", map[string][]string{"lang": {"zh-Hant"}}, []string{"zh-trad"}},
		{"values OR", "", map[string][]string{"type": {"pdf", "docx"}}, []string{"en-report", "pdf-contract"}},
		{"fields AND", "", map[string][]string{"kind": {"message"}, "sender": {"李四"}}, []string{"chat1#m2"}},
		{"with text", "护照", map[string][]string{"kind": {"document"}}, []string{"zh-trad"}},
		{"year", "", map[string][]string{"year": {"2022"}}, []string{"en-report"}},
		{"country", "", map[string][]string{"country": {"INT"}}, []string{"chat1#m3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(t, x, index.Query{Text: tt.text, Filters: tt.filters})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%q, %v) (-want +got):\n%s", tt.text, tt.filters, diff)
			}
		})
	}
}

func testFacets(t *testing.T, x index.Index) {
	res, err := x.Search(t.Context(), index.Query{Facets: index.Facets})
	if err != nil {
		t.Fatal(err)
	}
	sorted := func(fs []index.FacetCount) []index.FacetCount {
		out := slices.Clone(fs)
		slices.SortFunc(out, func(a, b index.FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		return out
	}
	want := map[string][]index.FacetCount{
		"type":    {{Value: "chat", Count: 3}, {Value: "docx", Count: 1}, {Value: "html", Count: 1}, {Value: "image", Count: 1}, {Value: "pdf", Count: 1}, {Value: "text", Count: 1}, {Value: "xlsx", Count: 1}},
		"lang":    {{Value: "zh-Hans", Count: 7}, {Value: "en", Count: 1}, {Value: "zh-Hant", Count: 1}},
		"country": {{Value: "IN", Count: 1}, {Value: "INT", Count: 1}, {Value: "KZ", Count: 1}},
		"entity":  {{Value: "country:IN", Count: 1}, {Value: "country:KZ", Count: 1}, {Value: "email:sales@example.com", Count: 1}, {Value: "ipv4:192.0.2.14", Count: 1}, {Value: "volume:5.49G", Count: 1}},
		"sender":  {{Value: "张三", Count: 2}, {Value: "李四", Count: 1}},
		"year":    {{Value: "2021", Count: 5}, {Value: "2019", Count: 1}, {Value: "2020", Count: 1}, {Value: "2022", Count: 1}},
	}
	got := map[string][]index.FacetCount{}
	for k, v := range res.Facets {
		got[k] = sorted(v)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	// Facets follow the query.
	res, err = x.Search(t.Context(), index.Query{Text: "kind:message", Facets: []string{"sender"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]index.FacetCount{{Value: "张三", Count: 2}, {Value: "李四", Count: 1}}, sorted(res.Facets["sender"])); diff != "" {
		t.Errorf("sender facet of messages (-want +got):\n%s", diff)
	}
}

func testSnippets(t *testing.T, x index.Index) {
	tests := []struct {
		name, query string
		contains    []string
		absent      []string
	}{
		{"english", "penetration", []string{"<mark>Penetration</mark>"}, nil},
		{"cjk merged across folding", "资料与出入境", []string{"<mark>資料與出入境</mark>"}, nil},
		{"escaped", "报告预览", []string{"<mark>报告预览</mark>", "&lt;script&gt;", "&amp;", "&#34;quotes&#34;"}, []string{"<script>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(t.Context(), index.Query{Text: tt.query, Highlight: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatalf("Search(%q): no hits", tt.query)
			}
			s := res.Hits[0].Snippet
			for _, c := range tt.contains {
				if !strings.Contains(s, c) {
					t.Errorf("snippet %q lacks %q", s, c)
				}
			}
			for _, c := range tt.absent {
				if strings.Contains(s, c) {
					t.Errorf("snippet %q contains %q", s, c)
				}
			}
		})
	}
	// Both languages of a hit: the original passage and its translation,
	// each marked where the query matched it.
	res, err := x.Search(t.Context(), index.Query{Text: "passport tomorrow", Highlight: true})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search(passport tomorrow) = %+v, %v; want one hit", res.Hits, err)
	}
	if h := res.Hits[0]; h.Snippet != "明天把护照数据发过来" || !strings.Contains(h.TranslationSnippet, "<mark>passport</mark>") {
		t.Errorf("bilingual snippets = %q / %q, want the original and the marked translation", h.Snippet, h.TranslationSnippet)
	}
	res, err = x.Search(t.Context(), index.Query{Text: "护照", Highlight: true, Filters: map[string][]string{"kind": {"message"}}})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search(护照) = %+v, %v; want one hit", res.Hits, err)
	}
	if h := res.Hits[0]; !strings.Contains(h.Snippet, "<mark>护照</mark>") || h.TranslationSnippet != "Send the passport data tomorrow" {
		t.Errorf("bilingual snippets = %q / %q, want the marked original and the whole translation", h.Snippet, h.TranslationSnippet)
	}
	res, err = x.Search(t.Context(), index.Query{Text: "penetration", Highlight: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || strings.Contains(res.Hits[0].Snippet, "<mark>") || res.Hits[0].Snippet == "" {
		t.Errorf("unhighlighted snippet = %+v, want text without <mark>", res.Hits)
	}
	if h := res.Hits[0]; h.Path != "业务/catalogue.docx" || h.Kind != index.KindDocument || h.Score <= 0 {
		t.Errorf("hit = %+v, want path, kind and a positive score", h)
	}
	res, err = x.Search(t.Context(), index.Query{Text: "sender:李四"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Conversation != "conv-1" || res.Hits[0].Kind != index.KindMessage {
		t.Errorf("message hit = %+v, %v; want conversation conv-1", res.Hits, err)
	}
}

func testPagination(t *testing.T, x index.Index) {
	all := ids(t, x, index.Query{})
	var seen []string
	var total uint64
	for off := 0; off < len(all)+2; off += 2 {
		res, err := x.Search(t.Context(), index.Query{Offset: off, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) > 2 {
			t.Fatalf("offset %d: %d hits, limit 2", off, len(res.Hits))
		}
		total = res.Total
		for _, h := range res.Hits {
			seen = append(seen, h.ID)
		}
	}
	slices.Sort(seen)
	if diff := cmp.Diff(all, seen); diff != "" {
		t.Errorf("pages do not partition the hits (-want +got):\n%s", diff)
	}
	if total != uint64(len(all)) {
		t.Errorf("Total = %d, want %d", total, len(all))
	}
	res, err := x.Search(t.Context(), index.Query{Limit: index.MaxLimit + 50})
	if err != nil || len(res.Hits) != len(all) {
		t.Errorf("limit above max: %d hits, %v; want it capped, not refused", len(res.Hits), err)
	}
}

func testDelete(t *testing.T, x index.Index) {
	if err := x.Delete(t.Context(), "zh-trad", "does-not-exist"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"chat1#m1"}, ids(t, x, index.Query{Text: "护照"})); diff != "" {
		t.Errorf("after delete (-want +got):\n%s", diff)
	}
	if n, _ := x.Count(); n != uint64(len(Corpus())-1) {
		t.Errorf("Count after delete = %d, want %d", n, len(Corpus())-1)
	}
}

func testBad(t *testing.T, x index.Index) {
	tests := []struct {
		name string
		q    index.Query
	}{
		{"unclosed quote", index.Query{Text: `"护照`}},
		{"unclosed paren", index.Query{Text: `(a OR b`}},
		{"stray paren", index.Query{Text: `a)`}},
		{"dangling or", index.Query{Text: `a OR`}},
		{"leading and", index.Query{Text: `AND a`}},
		{"bad date", index.Query{Text: `date:>=yesterday`}},
		{"date out of range", index.Query{Text: `date:>=0001-01-01`}},
		{"range on keyword", index.Query{Text: `lang:>=en`}},
		{"empty field", index.Query{Text: `lang:`}},
		{"unknown facet", index.Query{Facets: []string{"colour"}}},
		{"unknown filter", index.Query{Filters: map[string][]string{"colour": {"red"}}}},
		{"negative offset", index.Query{Offset: -1}},
		{"offset too deep", index.Query{Offset: index.MaxOffset + 1}},
		{"negative limit", index.Query{Limit: -5}},
		{"too long", index.Query{Text: strings.Repeat("a ", index.MaxQueryLen)}},
		{"invalid utf8", index.Query{Text: "\xff\xfe"}},
		{"unknown field", index.Query{Text: "frm:acme"}},
		{"unknown field after a term", index.Query{Text: "passport Subject:hello"}},
		{"fuzzy operator", index.Query{Text: "acme~2"}},
		{"boost operator", index.Query{Text: "acme^2"}},
		{"bracket range", index.Query{Text: "[2020 TO 2021]"}},
		{"unknown sort", index.Query{Sort: "size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x.Search(t.Context(), tt.q)
			if !errors.Is(err, index.ErrBadQuery) {
				t.Fatalf("Search(%+v) = %v, want ErrBadQuery", tt.q, err)
			}
			var qe *index.QueryError
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Errorf("error %v is not a *QueryError with a message", err)
			}
		})
	}
}
