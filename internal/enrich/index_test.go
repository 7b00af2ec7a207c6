package enrich

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

func TestParseDate(t *testing.T) {
	utc := func(y, m, d, h, mi, s int) time.Time { return time.Date(y, time.Month(m), d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{name: "rfc3339", in: "2021-06-03T09:05:44Z", want: utc(2021, 6, 3, 9, 5, 44)},
		{name: "rfc3339 offset", in: "2021-06-03T09:05:44+08:00", want: utc(2021, 6, 3, 1, 5, 44)},
		{name: "exif", in: "2021:06:04 21:18:00", want: utc(2021, 6, 4, 21, 18, 0)},
		{name: "space", in: "2021-06-04 21:18:00", want: utc(2021, 6, 4, 21, 18, 0)},
		{name: "day", in: "2020-12-01", want: utc(2020, 12, 1, 0, 0, 0)},
		{name: "pdf raw", in: "D:20220320120000+08'00'", want: utc(2022, 3, 20, 4, 0, 0)},
		{name: "pdf raw utc", in: "D:20220320120000Z", want: utc(2022, 3, 20, 12, 0, 0)},
		{name: "pdfinfo isodates", in: "2020-11-17T09:12:00+08", want: utc(2020, 11, 17, 1, 12, 0)},
		{name: "mail", in: "Tue, 6 Jul 2021 16:20:00 +0800", want: utc(2021, 7, 6, 8, 20, 0)},
		{name: "padded", in: "  2021-06-03  ", want: utc(2021, 6, 3, 0, 0, 0)},
		{name: "zeroed field", in: "0000:00:00 00:00:00", want: time.Time{}},
		{name: "implausible", in: "1601-01-01T00:00:00Z", want: time.Time{}},
		{name: "garbage", in: "yesterday", want: time.Time{}},
		{name: "empty", in: "", want: time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseDate(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-06-03T09:05:44Z", "2021:06:04 21:18:00", "D:20220320120000+08'00'", "2020-11-17T09:12:00+08", "Tue, 6 Jul 2021 16:20:00 +0800", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ParseDate(s)
		if !got.IsZero() && (got.Year() < 1970 || got.Year() > 2100) {
			t.Errorf("ParseDate(%q) = %v outside 1970..2100", s, got)
		}
	})
}

func TestDocDateAndTitle(t *testing.T) {
	tests := []struct {
		name      string
		meta      map[string]string
		paths     []string
		wantTitle string
		wantYear  int
	}{
		{name: "title and created", meta: map[string]string{"title": " 报告 ", "created": "2021-05-01T00:00:00Z", "modified": "2022-01-01T00:00:00Z"},
			paths: []string{"b/x.docx"}, wantTitle: "报告", wantYear: 2021},
		{name: "mail subject and date", meta: map[string]string{"subject": "交付", "date": "Tue, 6 Jul 2021 16:20:00 +0800"},
			paths: []string{"mail/m.eml"}, wantTitle: "交付", wantYear: 2021},
		{name: "photo", meta: map[string]string{"exif.datetime_original": "2019:02:03 04:05:06"},
			paths: []string{"p/IMG_1.jpg"}, wantTitle: "IMG_1.jpg", wantYear: 2019},
		{name: "primary path names it, bad date falls through", meta: map[string]string{"created": "n/a", "modified": "2020-02-02"},
			paths: []string{"a.zip!/d/inner.txt", "z/outer.txt"}, wantTitle: "outer.txt", wantYear: 2020},
		{name: "archive member first", paths: []string{"a.zip!/dir/名单.csv"}, wantTitle: "名单.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := store.DocInfo{Meta: tt.meta}
			for _, p := range tt.paths {
				d.Occs = append(d.Occs, store.Occurrence{Path: p})
			}
			if got := DocTitle(d); got != tt.wantTitle {
				t.Errorf("title %q, want %q", got, tt.wantTitle)
			}
			y := 0
			if d := DocDate(tt.meta); !d.IsZero() {
				y = d.Year()
			}
			if y != tt.wantYear {
				t.Errorf("year %d, want %d", y, tt.wantYear)
			}
		})
	}
}

func TestMessageIDs(t *testing.T) {
	ch := &Chats{Conversations: []ChatView{
		{ID: "c1", Doc: "aaa", Messages: make([]MessageView, 2)},
		{ID: "c2", Doc: "bbb", Messages: make([]MessageView, 1)},
		{ID: "c3", Doc: "aaa", Messages: make([]MessageView, 2)}, // a second conversation of the same file
	}}
	want := [][]string{{"aaa#m1", "aaa#m2"}, {"bbb#m1"}, {"aaa#m3", "aaa#m4"}}
	if diff := cmp.Diff(want, MessageIDs(ch)); diff != "" {
		t.Errorf("MessageIDs (-want +got):\n%s", diff)
	}
}

// smallCase ingests a few text files into a new case, with the language
// and entity stages run.
func smallCase(t *testing.T) *casedir.Case {
	t.Helper()
	ctx := context.Background()
	src := t.TempDir()
	files := map[string]string{
		"notes/a.txt":  "越南海岸事务部 数据 5.49G 服务器 192.0.2.14\n",
		"notes/b.txt":  "Report on the Andes Mobile breach, contact ops@example.com\n",
		"notes/c.md":   "# 備忘錄\n蒙古北方草原大學 學生檔案\n",
		"copy/a-2.txt": "越南海岸事务部 数据 5.49G 服务器 192.0.2.14\n",
	}
	for p, body := range files {
		full := filepath.Join(src, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, []string{src}); err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{Lang{}, Entities{}}, 0, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

func search(t *testing.T, x index.Index, q string) index.Result {
	t.Helper()
	res, err := x.Search(context.Background(), index.Query{Text: q, Limit: 50, Facets: []string{index.FacetCountry, index.FacetLang}})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

// TestIndexStage indexes a small case and checks the unit fields through
// searches, then that a lost index is detected and rebuilt.
func TestIndexStage(t *testing.T) {
	ctx := context.Background()
	c := smallCase(t)
	x, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(ctx, c, x)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{ix}, 0, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query string
		want  []string // first paths of the hits, sorted by the test
	}{
		{name: "duplicate is one unit under its primary path", query: "越南海岸事务部", want: []string{"notes/a.txt"}},
		{name: "other path searchable", query: `path:"copy/a-2.txt"`, want: []string{"notes/a.txt"}},
		{name: "traditional text by simplified query", query: "备忘录", want: []string{"notes/c.md"}},
		{name: "entity field", query: "entity:ipv4:192.0.2.14", want: []string{"notes/a.txt"}},
		{name: "language field", query: "lang:en", want: []string{"notes/b.txt"}},
		{name: "kind", query: "kind:document", want: []string{"notes/a.txt", "notes/b.txt", "notes/c.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, x, tt.query)
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Path)
			}
			if diff := cmp.Diff(tt.want, sorted(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.query, diff)
			}
		})
	}
	if res := search(t, x, "kind:document"); len(res.Facets[index.FacetCountry]) == 0 {
		t.Errorf("no country facet values: %+v", res.Facets)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	// A new, empty index (deleted directory, or a run killed before the
	// last batch) makes NewIndex reset the stage, and the run re-adds all.
	x2, err := bleve.Open(filepath.Join(t.TempDir(), "index2"))
	if err != nil {
		t.Fatal(err)
	}
	defer x2.Close()
	ix2, err := NewIndex(ctx, c, x2)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{ix2}, 0, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := x2.Count(); n != 3 {
		t.Errorf("rebuilt index has %d units, want 3", n)
	}
	// A complete index is left alone: nothing pending.
	if _, err := NewIndex(ctx, c, x2); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Store.CountPendingStage(ctx, StageIndex, ix2.Version()); err != nil || n != 0 {
		t.Errorf("%d documents pending after a complete index (%v)", n, err)
	}
}

func sorted(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	return out
}

// TestIndexBatchBounds checks that Process sends a batch once the buffer
// is full and Flush sends the rest, so nothing stays in memory.
func TestIndexBatchBounds(t *testing.T) {
	ctx := context.Background()
	x, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	c := smallCase(t)
	docs, err := c.Store.PendingStage(ctx, StageIndex, IndexVersion, "", 3)
	if err != nil || len(docs) != 3 {
		t.Fatalf("pending documents %v, %v", docs, err)
	}
	ix := &Index{X: x, st: c.Store, maxBytes: 1000, every: time.Hour}
	big := strings.Repeat("字", 1000/3/2+1) // two of these pass the byte bound
	for i, text := range []string{big, big, "small"} {
		if err := ix.enqueue(ctx, index.Doc{ID: string(rune('a' + i)), Kind: index.KindDocument, Text: text}, store.StageMark{ID: docs[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := x.Count(); n != 2 {
		t.Errorf("%d units before flush, want the full batch of 2", n)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 3 || len(ix.buf) != 0 {
		t.Errorf("%d units after flush, %d buffered", n, len(ix.buf))
	}
}

// stopBeforeFlush is the index stage of a run killed after its last
// document was processed and before the final publication.
type stopBeforeFlush struct{ *Index }

func (stopBeforeFlush) Flush(context.Context) error { return errors.New("killed") }

// TestIndexAcksOnlyPublished runs the index stage with a batch sent but
// not published when the run stops: the stage state must say exactly what
// a reader of the index finds, so those documents are still pending.
func TestIndexAcksOnlyPublished(t *testing.T) {
	ctx := context.Background()
	c := smallCase(t)
	dir := filepath.Join(t.TempDir(), "index")
	x, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(ctx, c, x)
	if err != nil {
		t.Fatal(err)
	}
	ix.maxDocs, ix.every = 2, time.Hour // one batch of 2 is sent, never published
	if err := ingest.RunStages(ctx, c, []ingest.Stage{stopBeforeFlush{ix}}, 1, nil); err == nil {
		t.Fatal("the run did not stop")
	}
	r, err := bleve.OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	visible, err := r.Count()
	if err != nil {
		t.Fatal(err)
	}
	pending, err := PendingDocs(ctx, c.Store)
	if err != nil {
		t.Fatal(err)
	}
	if visible+uint64(pending) != 3 {
		t.Errorf("reader finds %d documents and %d are pending, want them to add up to 3", visible, pending)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Count(); n != 3 {
		t.Errorf("reader finds %d documents after the publication, want 3", n)
	}
	if p, _ := PendingDocs(ctx, c.Store); p != 0 {
		t.Errorf("%d documents pending after the publication", p)
	}
	x.Close()
}

func TestCutText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "short stays", in: "数据", n: 10, want: "数据"},
		{name: "cut on a rune boundary", in: "数据", n: 4, want: "数"},
		{name: "exact", in: "abc", n: 3, want: "abc"},
		{name: "ascii", in: "abcdef", n: 2, want: "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutText(tt.in, tt.n); got != tt.want {
				t.Errorf("cutText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// TestIndexCapsText checks that a document larger than MaxIndexText is
// indexed by its first MaxIndexText bytes, flagged, and kept whole in the
// case.
func TestIndexCapsText(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	big := "openingword " + strings.Repeat("filler ", (MaxIndexText+1<<20)/7) + " closingword\n"
	if err := os.WriteFile(filepath.Join(src, "big.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lim := leak.DefaultLimits()
	lim.MaxText = 2 * MaxIndexText
	if _, err := ingest.New(c, ingest.Options{Limits: lim}).Run(ctx, []string{src}); err != nil {
		t.Fatal(err)
	}
	x, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ix, err := NewIndex(ctx, c, x)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{ix}, 0, nil); err != nil {
		t.Fatal(err)
	}
	if n := search(t, x, "openingword").Total; n != 1 {
		t.Errorf("the start of the text: %d hits, want 1", n)
	}
	if n := search(t, x, "closingword").Total; n != 0 {
		t.Errorf("the end of the text past MaxIndexText: %d hits, want 0", n)
	}
	id, err := c.Store.Resolve(ctx, "big.txt")
	if err != nil {
		t.Fatal(err)
	}
	flags, err := c.Store.DocFlags(ctx, id)
	if err != nil || !slices.Contains(flags, FlagIndexTruncated) {
		t.Errorf("flags %v, %v; want %s", flags, err, FlagIndexTruncated)
	}
	if text, _, _ := c.Store.Text(ctx, id); !strings.Contains(text, "closingword") {
		t.Errorf("the stored text lost its end")
	}
}
