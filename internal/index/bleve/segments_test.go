package bleve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/indextest"
)

// splitting publishes after every per units, so the suite's corpus lands
// in several segments; stale, if set, is indexed and published first so
// that the corpus copy of the same ID shadows it.
type splitting struct {
	*Index
	per   int
	stale *index.Doc
}

func (s splitting) Add(ctx context.Context, docs ...index.Doc) error {
	if s.stale != nil {
		if err := s.Index.Add(ctx, *s.stale); err != nil {
			return err
		}
		if err := s.Index.Publish(ctx); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(docs, s.per) {
		if err := s.Index.Add(ctx, chunk...); err != nil {
			return err
		}
		if err := s.Index.Publish(ctx); err != nil {
			return err
		}
	}
	return nil
}

func TestConformanceSegments(t *testing.T) {
	stale := indextest.Corpus()[1]
	stale.Text, stale.Lang = "an older copy that says obsolete", "en"
	tests := []struct {
		name  string
		per   int
		stale *index.Doc
	}{
		{name: "two segments", per: 5},
		{name: "three segments", per: 3},
		{name: "three segments and a shadowed copy", per: 3, stale: &stale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			indextest.Run(t, func(t *testing.T) index.Index {
				x, err := Open(filepath.Join(t.TempDir(), "index"))
				if err != nil {
					t.Fatal(err)
				}
				return splitting{Index: x, per: tt.per, stale: tt.stale}
			})
		})
	}
}

// TestShadowedCopyNeverFound checks that a unit re-added in a newer
// segment is found once, with its new text, by the writer and by a
// reader, and that a delete hides every older copy.
func TestShadowedCopyNeverFound(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	old := index.Doc{ID: "a", Text: "nordhavn shipping manifest"}
	if err := w.Add(ctx, old, index.Doc{ID: "b", Text: "nordhavn shipping invoice"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, index.Doc{ID: "a", Text: "nordhavn shipping contract"}); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tests := []struct {
		name  string
		x     *Index
		query string
		want  []string
	}{
		{name: "writer sees new copy", x: w, query: "contract", want: []string{"a"}},
		{name: "writer hides old copy", x: w, query: "manifest", want: []string{}},
		{name: "writer counts one", x: w, query: "nordhavn", want: []string{"a", "b"}},
		{name: "reader before publish has old copy", x: r, query: "manifest", want: []string{"a"}},
		{name: "reader before publish lacks new copy", x: r, query: "contract", want: []string{}},
	}
	check := func(t *testing.T, x *Index, q string, want []string) {
		t.Helper()
		res, err := x.Search(ctx, index.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", q, diff)
		}
		if res.Total != uint64(len(want)) {
			t.Errorf("%q: total %d, want %d", q, res.Total, len(want))
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.x, tt.query, tt.want) })
	}
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	after := []struct {
		name  string
		query string
		want  []string
	}{
		{name: "reader after publish has new copy", query: "contract", want: []string{"a"}},
		{name: "reader after publish hides old copy", query: "manifest", want: []string{}},
		{name: "reader after publish finds each once", query: "nordhavn", want: []string{"a", "b"}},
	}
	for _, tt := range after {
		t.Run(tt.name, func(t *testing.T) { check(t, r, tt.query, tt.want) })
	}
	if err := w.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("reader after delete", func(t *testing.T) { check(t, r, "nordhavn", []string{"b"}) })
	if n, err := r.Count(); err != nil || n != 1 {
		t.Errorf("reader Count = %d, %v; want 1", n, err)
	}
}

// TestReaderSeesOnlyPublished opens a writer and a reader on one index
// directory, as serve and ingest do: the reader finds nothing of a batch
// until the writer publishes it, and everything after.
func TestReaderSeesOnlyPublished(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// A second reader on the same published segments: read-only opens
	// take shared locks only.
	r2, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	corpus := indextest.Corpus()
	for i, chunk := range slices.Collect(slices.Chunk(corpus, 3)) {
		if err := w.Add(ctx, chunk...); err != nil {
			t.Fatal(err)
		}
		for _, x := range []*Index{r, r2} {
			if n, err := x.Count(); err != nil || n != uint64(3*i) {
				t.Fatalf("batch %d before publish: reader count %d, %v; want %d", i, n, err, 3*i)
			}
		}
		if err := w.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		for _, x := range []*Index{r, r2} {
			if n, err := x.Count(); err != nil || n != uint64(3*(i+1)) {
				t.Fatalf("batch %d after publish: reader count %d, %v; want %d", i, n, err, 3*(i+1))
			}
		}
	}
	if err := r.Add(ctx, corpus[0]); err == nil {
		t.Error("a reader accepted an add")
	}
}

// TestRebuild checks that a rebuild is invisible to readers until Commit,
// replaces the old generation whole, and is discarded by Close without
// Commit (as a killed reindex is by the next writer).
func TestRebuild(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, index.Doc{ID: "old", Text: "acme telecom"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	count := func(want uint64) {
		t.Helper()
		if n, err := r.Count(); err != nil || n != want {
			t.Fatalf("reader count %d, %v; want %d", n, err, want)
		}
	}
	// An abandoned rebuild changes nothing.
	rb, err := OpenWith(dir, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.Add(ctx, index.Doc{ID: "x", Text: "acme telecom"}); err != nil {
		t.Fatal(err)
	}
	if err := rb.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	count(1)
	if err := rb.Close(); err != nil {
		t.Fatal(err)
	}
	count(1)
	// A committed one replaces the old generation.
	rb, err = OpenWith(dir, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := rb.Count(); n != 0 {
		t.Errorf("a rebuild starts from %d units, want 0", n)
	}
	for _, id := range []string{"n1", "n2", "n3"} {
		if err := rb.Add(ctx, index.Doc{ID: id, Text: "acme telecom"}); err != nil {
			t.Fatal(err)
		}
		if err := rb.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		count(1)
	}
	if err := rb.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	count(3)
	if err := rb.Close(); err != nil {
		t.Fatal(err)
	}
	if got := segmentDirs(t, dir); len(got) != 3 {
		t.Errorf("segment directories after commit: %v, want the 3 of the rebuild", got)
	}
}

func segmentDirs(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), "seg-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestUnpublishedRemoved simulates a killed writer: an active segment that
// was never published is removed by the next writer and never seen by a
// reader.
func TestUnpublishedRemoved(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, index.Doc{ID: "a", Text: "acme"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, index.Doc{ID: "b", Text: "acme"}); err != nil {
		t.Fatal(err)
	}
	// No Close: the process dies here. Its files stay as they are.
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, _ := r.Count(); n != 1 {
		t.Errorf("reader count %d, want the 1 published unit", n)
	}
	w.w.active.Close()
	w.w.lock.Close() // the kernel drops a dead process's lock
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if got := segmentDirs(t, dir); len(got) != 1 {
		t.Errorf("segment directories after reopen: %v, want only the published one", got)
	}
}

// TestMerge publishes many small segments and checks that the writer keeps
// their number bounded, that no unit is lost or duplicated, and that the
// facets of merged units survive (they are rebuilt from the stored source).
func TestMerge(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	corpus := indextest.Corpus()
	for round := range 4 {
		for _, d := range corpus {
			if round > 0 {
				d.Text += " round" + string(rune('a'+round))
			}
			if err := w.Add(ctx, d); err != nil {
				t.Fatal(err)
			}
			if err := w.Publish(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(w.Segments()); n > maxSegments {
				t.Fatalf("%d segments after a publication, want at most %d", n, maxSegments)
			}
		}
	}
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Count(); err != nil || n != uint64(len(corpus)) {
		t.Fatalf("count %d, %v; want %d", n, err, len(corpus))
	}
	res, err := r.Search(ctx, index.Query{Text: "roundd", Facets: []string{index.FacetLang, index.FacetSender}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != uint64(len(corpus)) {
		t.Errorf("latest copies: %d, want %d", res.Total, len(corpus))
	}
	langs := map[string]int{}
	for _, f := range res.Facets[index.FacetLang] {
		langs[f.Value] = f.Count
	}
	if diff := cmp.Diff(map[string]int{"zh-Hans": 7, "zh-Hant": 1, "en": 1}, langs); diff != "" {
		t.Errorf("lang facet after merges (-want +got):\n%s", diff)
	}
	if n := len(res.Facets[index.FacetSender]); n != 2 {
		t.Errorf("sender facet has %d values after merges, want 2", n)
	}
}

// TestLegacyLayout opens an index of the single-directory layout: a reader
// searches it as it is, a writer moves it into a first segment.
func TestLegacyLayout(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	bi, err := createSegment(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := addDocs(ctx, bi, indextest.Corpus()); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Count(); err != nil || n != uint64(len(indextest.Corpus())) {
		t.Errorf("reader of legacy index: count %d, %v", n, err)
	}
	r.Close()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, index.Doc{ID: "zh-trad", Text: "replaced"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Count(); err != nil || n != uint64(len(indextest.Corpus())) {
		t.Errorf("after migration: count %d, %v; want %d", n, err, len(indextest.Corpus()))
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		t.Error("legacy files left in the index directory")
	}
}

// TestSearchDuringPublish searches the writer and a reader (from several
// goroutines at once, as serve does) while the writer adds, publishes and
// merges: no search may fail (a segment closed under it) or find a unit
// twice.
func TestSearchDuringPublish(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const rounds = 3 * maxSegments
	stop := make(chan struct{})
	searchers := []*Index{w, r, r, r}
	errc := make(chan error, len(searchers))
	for _, x := range searchers {
		go func() {
			for {
				select {
				case <-stop:
					errc <- nil
					return
				default:
				}
				res, err := x.Search(ctx, index.Query{Text: "acme", Limit: index.MaxLimit})
				if err != nil {
					errc <- err
					return
				}
				seen := map[string]bool{}
				for _, h := range res.Hits {
					if seen[h.ID] {
						errc <- fmt.Errorf("unit %s found twice (writer %v) in %v", h.ID, x == w, res.Hits)
						return
					}
					seen[h.ID] = true
				}
			}
		}()
	}
	for i := range rounds {
		// Every round re-adds unit "same" and one new unit.
		if err := w.Add(ctx, index.Doc{ID: "same", Text: "acme round"}, index.Doc{ID: fmt.Sprint("u", i), Text: "acme"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Publish(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	for range searchers {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
	if n, err := r.Count(); err != nil || n != rounds+1 {
		t.Errorf("reader count %d, %v; want %d", n, err, rounds+1)
	}
}

// TestPublishNothing checks that a publication without changes writes no
// new generation, so that readers do not reload for nothing.
func TestPublishNothing(t *testing.T) {
	ctx := t.Context()
	w, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(ctx, index.Doc{ID: "a", Text: "acme"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	g1, _ := w.Generation()
	if err := w.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	if g2, _ := w.Generation(); g2 != g1 {
		t.Errorf("generation %d after an empty publication, want %d", g2, g1)
	}
}

// TestReaderReloadsOnce makes many searches of one reader notice a new
// generation at the same moment: the view is reloaded once, so no segment
// is opened twice and left open, or closed under another search.
func TestReaderReloadsOnce(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := w.Add(ctx, index.Doc{ID: fmt.Sprint("u", i), Text: "acme"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Go(func() {
				<-start
				if _, err := r.Search(ctx, index.Query{Text: "acme"}); err != nil {
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if got, want := r.opened.Load(), int64(len(r.Segments())); got != want {
			t.Fatalf("generation %d: %d segments open, want the %d of the view", i, got, want)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n := r.opened.Load(); n != 0 {
		t.Errorf("%d segments open after Close", n)
	}
}

// TestOneWriter checks that a second writer is refused while the first
// holds the index, and admitted once it closed; readers are never refused.
func TestOneWriter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		open    func() (*Index, error)
		wantErr error
	}{
		{name: "second writer", open: func() (*Index, error) { return Open(dir) }, wantErr: ErrWriterLocked},
		{name: "second rebuild", open: func() (*Index, error) { return OpenWith(dir, Options{Rebuild: true}) }, wantErr: ErrWriterLocked},
		{name: "reader", open: func() (*Index, error) { return OpenReader(dir) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := tt.open()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("open = %v, want %v", err, tt.wantErr)
			}
			if x != nil {
				x.Close()
			}
		})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatalf("writer after the first closed: %v", err)
	}
	w2.Close()
}
