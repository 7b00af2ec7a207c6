package bleve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bv "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/leakscope/leakscope/internal/index"
)

// Index is the index of a case: the published segments of the manifest,
// searched as one through a Bleve alias. A reader (OpenReader) only ever
// opens closed segments read-only and follows the manifest as the writer
// publishes; a writer (Open) adds to an active segment of its own and
// publishes it. It is safe for concurrent use.
type Index struct {
	dir string
	log *slog.Logger

	loadMu sync.Mutex   // serialises reloads of a reader's view
	opened atomic.Int64 // segments a reader holds open, for leak checks
	mu     sync.RWMutex // guards the view below; searches hold it shared
	man    manifest     // the manifest the view was built from
	hasMan bool         // whether man was read from a file (readers)
	segs   []*liveSegment
	closed bool

	w *writer // nil for a reader

	parse index.ParseOptions // segmenter and sender aliases of queries
}

var (
	_ index.Index     = (*Index)(nil)
	_ index.Publisher = (*Index)(nil)
)

// liveSegment is one open segment and the IDs whose copy in it is
// shadowed.
type liveSegment struct {
	meta   segmentMeta
	bi     bv.Index
	hidden map[string]bool
}

// writer is the state only the writing process has.
type writer struct {
	mu      sync.Mutex // serialises Add, Delete, Publish, Commit, Close
	lock    *os.File   // holds the writer's flock
	rebuild bool
	next    int // number of the next segment directory

	// staged are sealed segments of a rebuild, published by Commit.
	staged []*liveSegment
	// active is the open segment receiving adds, nil until the first.
	active     bv.Index
	activeName string
	// pending are the IDs added to or deleted from active since it was
	// opened: they shadow every older copy. Guarded by Index.mu.
	pending map[string]bool
	units   int // units added to active
}

// Options configure Open.
type Options struct {
	// Rebuild starts an empty generation: searches of this writer see only
	// what it adds, readers keep the published index until Commit
	// replaces it whole. Close without Commit discards the rebuild.
	Rebuild bool
	Logger  *slog.Logger
	// Words and Senders are the query segmenter and sender aliases
	// (index.ParseOptions); nil leaves each term one phrase and matches
	// senders as written.
	Words   func(string) []string
	Senders func(string) []string
}

// Open opens the index in dir for writing, creating it if missing. Only one
// process may write an index at a time; callers hold the case's write lock
// (casedir.Write). Adds are searchable by this Index at once and by readers
// after Publish (or Close).
func Open(dir string) (*Index, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options.
func OpenWith(dir string, o Options) (*Index, error) {
	x := &Index{dir: dir, log: o.Logger, w: &writer{rebuild: o.Rebuild, pending: map[string]bool{}},
		parse: index.ParseOptions{Words: o.Words, Senders: o.Senders}}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	lock, err := lockWriter(dir)
	if err != nil {
		return nil, err
	}
	x.w.lock = lock
	ok := false
	defer func() {
		if !ok {
			lock.Close()
		}
	}()
	m, _, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if len(m.Segments) == 1 && m.Segments[0].Name == legacyName {
		if m, err = migrateLegacy(dir); err != nil {
			return nil, err
		}
	}
	if err := removeUnpublished(dir, m); err != nil {
		return nil, err
	}
	x.w.next = m.NextSegment
	if err := x.load(m, true); err != nil {
		return nil, err
	}
	ok = true
	return x, nil
}

// ErrWriterLocked is returned by Open when another writer holds the index.
// The case's write lock already admits one writing process; this lock
// keeps the manifest safe from a second writer whatever the caller.
var ErrWriterLocked = errors.New("index: another writer holds the index")

// lockWriter takes the writer's exclusive lock on dir (released by closing
// the file, or by the kernel when the process dies).
func lockWriter(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "write.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", dir, ErrWriterLocked)
		}
		return nil, fmt.Errorf("index lock: %w", err)
	}
	return f, nil
}

// OpenReader opens the index in dir for searching only. It takes no lock
// beyond the shared ones of the segments, so any number of readers run
// beside the writer; each Search first checks (one stat) whether a newer
// manifest was published and then switches to it. A missing index is an
// empty one.
func OpenReader(dir string) (*Index, error) { return OpenReaderWith(dir, Options{}) }

// OpenReaderWith is OpenReader with options; Rebuild is ignored.
func OpenReaderWith(dir string, o Options) (*Index, error) {
	x := &Index{dir: dir, log: o.Logger, parse: index.ParseOptions{Words: o.Words, Senders: o.Senders}}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	if err := x.refresh(); err != nil {
		return nil, err
	}
	return x, nil
}

// refresh reloads a reader's view when a newer manifest was published.
// It reads only the head of manifest.json, where the generation is: a
// stat would not do, since a rename may reuse the inode of the file it
// replaced, and two publications may share a size and a coarse mtime.
func (x *Index) refresh() error {
	if x.w != nil {
		return nil
	}
	current := func() (bool, error) {
		gen, exists, err := peekGeneration(x.dir)
		if err != nil {
			return false, err
		}
		x.mu.RLock()
		defer x.mu.RUnlock()
		return x.segs != nil && exists == x.hasMan && gen == x.man.Generation, nil
	}
	if ok, err := current(); ok || err != nil {
		return err
	}
	// One reload at a time (serve searches concurrently); whoever waited
	// finds the view already current.
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	if ok, err := current(); ok || err != nil {
		return err
	}
	// A writer may delete a segment of the manifest just read, even while
	// it is being opened (a merge or a rebuild published meanwhile): when
	// opening fails and the generation moved on, read the manifest again.
	var lastErr error
	for range 5 {
		m, exists, err := readManifest(x.dir)
		if err != nil {
			return err
		}
		if lastErr = x.load(m, exists); lastErr == nil {
			return nil
		}
		gen, _, err := peekGeneration(x.dir)
		if err != nil {
			return err
		}
		if gen == m.Generation && !errors.Is(lastErr, os.ErrNotExist) {
			return lastErr
		}
	}
	return lastErr
}

// load makes m the view, reusing the segments already open and closing
// those m no longer lists.
func (x *Index) load(m manifest, exists bool) error {
	x.mu.RLock()
	old := map[string]*liveSegment{}
	for _, s := range x.segs {
		old[s.meta.Name] = s
	}
	x.mu.RUnlock()
	segs := make([]*liveSegment, 0, len(m.Segments))
	opened := []*liveSegment{}
	for _, meta := range m.Segments {
		if s := old[meta.Name]; s != nil {
			segs = append(segs, &liveSegment{meta: meta, bi: s.bi, hidden: set(meta.Hidden)})
			continue
		}
		path := x.dir
		if meta.Name != legacyName {
			path = filepath.Join(x.dir, meta.Name)
		}
		if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
			for _, s := range opened {
				s.bi.Close()
				x.opened.Add(-1)
			}
			return fmt.Errorf("open segment %s: %w", meta.Name, err)
		}
		bi, err := openSegment(path)
		if err != nil {
			for _, s := range opened {
				s.bi.Close()
				x.opened.Add(-1)
			}
			return err
		}
		s := &liveSegment{meta: meta, bi: bi, hidden: set(meta.Hidden)}
		x.opened.Add(1)
		opened = append(opened, s)
		segs = append(segs, s)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	keep := map[string]bool{}
	for _, s := range segs {
		keep[s.meta.Name] = true
	}
	var errs []error
	for name, s := range old {
		if !keep[name] {
			errs = append(errs, s.bi.Close())
			x.opened.Add(-1)
		}
	}
	if segs == nil {
		segs = []*liveSegment{}
	}
	x.man, x.hasMan, x.segs = m, exists, segs
	return errors.Join(errs...)
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Generation is the number of the manifest this Index searches, after
// checking for a newer one; it grows by one at every publication.
func (x *Index) Generation() (uint64, error) {
	if err := x.refresh(); err != nil {
		return 0, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.man.Generation, nil
}

// Add indexes docs into the active segment, replacing (shadowing) any unit
// with the same ID.
func (x *Index) Add(ctx context.Context, docs ...index.Doc) error {
	if x.w == nil {
		return errReadOnly
	}
	if len(docs) == 0 {
		return nil
	}
	w := x.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := x.ensureActive(); err != nil {
		return err
	}
	// Hide the older copies before the new ones become searchable in the
	// active segment, so that no search finds both. Should the add fail,
	// they stay hidden: the run stops, its documents are not acknowledged,
	// and the next run adds them again.
	x.mu.Lock()
	for _, d := range docs {
		w.pending[d.ID] = true
	}
	x.mu.Unlock()
	if err := addDocs(ctx, w.active, docs); err != nil {
		return err
	}
	w.units += len(docs)
	return nil
}

var errReadOnly = errors.New("index: opened read-only")

// ensureActive opens a fresh active segment when there is none.
func (x *Index) ensureActive() error {
	w := x.w
	if w.active != nil {
		return nil
	}
	name := segmentName(w.next)
	w.next++
	bi, err := createSegment(filepath.Join(x.dir, name))
	if err != nil {
		return err
	}
	x.mu.Lock()
	w.active, w.activeName = bi, name
	x.mu.Unlock()
	return nil
}

// Delete removes the units with these IDs: from the active segment, and
// by shadowing from the older ones.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	if x.w == nil {
		return errReadOnly
	}
	if len(ids) == 0 {
		return nil
	}
	w := x.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := x.ensureActive(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	x.mu.Lock()
	for _, id := range ids {
		w.pending[id] = true
	}
	x.mu.Unlock()
	b := w.active.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	if err := w.active.Batch(b); err != nil {
		return fmt.Errorf("index delete: %w", err)
	}
	return nil
}

// Publish makes what was added so far visible to readers: the active
// segment is closed and listed in a new manifest. In a rebuild it is only
// sealed; Commit publishes the rebuild whole.
func (x *Index) Publish(ctx context.Context) error {
	if x.w == nil {
		return nil
	}
	x.w.mu.Lock()
	defer x.w.mu.Unlock()
	changed, err := x.seal(ctx)
	if err != nil || !changed || x.w.rebuild {
		return err
	}
	if err := x.writeView(); err != nil {
		return err
	}
	return x.maybeMerge(ctx)
}

// Commit publishes a rebuild in one manifest switch: readers go from the
// old generation to the complete new one, never through a partial one.
func (x *Index) Commit(ctx context.Context) error {
	if x.w == nil || !x.w.rebuild {
		return x.Publish(ctx)
	}
	w := x.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := x.seal(ctx); err != nil {
		return err
	}
	x.mu.Lock()
	old := x.segs
	x.segs, w.staged = w.staged, nil
	x.mu.Unlock()
	w.rebuild = false
	if err := x.writeView(); err != nil {
		return err
	}
	var errs []error
	for _, s := range old {
		errs = append(errs, s.bi.Close())
		if s.meta.Name != legacyName {
			errs = append(errs, os.RemoveAll(filepath.Join(x.dir, s.meta.Name)))
		}
	}
	return errors.Join(errs...)
}

// seal closes the active segment, records which older copies its units
// shadow, and appends it to the segments (staged ones in a rebuild).
// Callers hold w.mu.
func (x *Index) seal(ctx context.Context) (changed bool, err error) {
	w := x.w
	if w.active == nil {
		return false, nil
	}
	x.mu.RLock()
	pending := slices.Sorted(maps.Keys(w.pending))
	x.mu.RUnlock()
	older := x.segs
	if w.rebuild {
		older = w.staged
	}
	// What each older segment holds of the pending IDs is what it must
	// hide from now on. Only this writer changes the segments, so they
	// are read without the view lock.
	hides := make([][]string, len(older))
	for i, s := range older {
		if hides[i], err = present(ctx, s, pending); err != nil {
			return false, err
		}
	}
	// From here on searches wait: the active segment is closed and
	// reopened read-only (its exclusive lock must go first), and a search
	// must see its units either there or in the sealed copy.
	x.mu.Lock()
	defer x.mu.Unlock()
	n, err := w.active.DocCount()
	if err != nil {
		return false, fmt.Errorf("seal segment %s: %w", w.activeName, err)
	}
	if err := w.active.Close(); err != nil {
		return false, fmt.Errorf("seal segment %s: %w", w.activeName, err)
	}
	var seg *liveSegment
	path := filepath.Join(x.dir, w.activeName)
	if n > 0 {
		bi, err := openSegment(path)
		if err != nil {
			return false, err
		}
		seg = &liveSegment{meta: segmentMeta{Name: w.activeName, Units: n, Source: true, Analyzer: AnalyzerName}, bi: bi, hidden: map[string]bool{}}
	} else if err := os.RemoveAll(path); err != nil {
		return false, fmt.Errorf("seal segment %s: %w", w.activeName, err)
	}
	for i, s := range older {
		for _, id := range hides[i] {
			s.hidden[id] = true
		}
		s.meta.Hidden = slices.Sorted(maps.Keys(s.hidden))
	}
	if seg != nil {
		if w.rebuild {
			w.staged = append(w.staged, seg)
		} else {
			x.segs = append(x.segs, seg)
		}
	}
	w.active, w.activeName, w.pending, w.units = nil, "", map[string]bool{}, 0
	return true, nil
}

// present lists which of ids s holds and does not hide already.
func present(ctx context.Context, s *liveSegment, ids []string) ([]string, error) {
	var out []string
	for chunk := range slices.Chunk(ids, 1000) {
		req := bv.NewSearchRequestOptions(bv.NewDocIDQuery(chunk), len(chunk), 0, false)
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("segment %s: %w", s.meta.Name, err)
		}
		for _, h := range res.Hits {
			if !s.hidden[h.ID] {
				out = append(out, h.ID)
			}
		}
	}
	return out, nil
}

// writeView publishes the writer's segments as the next generation.
// Callers hold w.mu.
func (x *Index) writeView() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	m := manifest{Format: manifestFormat, Generation: x.man.Generation + 1, NextSegment: x.w.next, Segments: []segmentMeta{}}
	for _, s := range x.segs {
		m.Segments = append(m.Segments, s.meta)
	}
	if err := writeManifest(x.dir, m); err != nil {
		return err
	}
	x.man = m
	return nil
}

// Count is the number of searchable units, shadowed copies excluded.
func (x *Index) Count() (uint64, error) {
	res, err := x.search(context.Background(), bv.NewSearchRequestOptions(bv.NewMatchAllQuery(), 0, 0, false))
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

// Search runs q over the segments, each copy shadowed by a newer one left
// out, so a unit is found at most once.
func (x *Index) Search(ctx context.Context, q index.Query) (index.Result, error) {
	start := time.Now()
	q, node, req, err := searchRequest(q, x.parse)
	if err != nil {
		return index.Result{}, err
	}
	res, err := x.search(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return index.Result{}, ctx.Err()
		}
		return index.Result{}, fmt.Errorf("index search: %w", err)
	}
	relaxed := false
	if res.Total == 0 && !q.NoFallback {
		if rn, ok := index.Relax(node); ok {
			rreq, err := requestFor(q, rn)
			if err != nil {
				return index.Result{}, err
			}
			if rres, err := x.search(ctx, rreq); err != nil {
				if ctx.Err() != nil {
					return index.Result{}, ctx.Err()
				}
				return index.Result{}, fmt.Errorf("index search: %w", err)
			} else if rres.Total > 0 {
				res, relaxed = rres, true
			}
		}
	}
	out := result(res, q)
	if relaxed {
		out.Relaxed, out.Notice = true, index.RelaxedNotice
	}
	out.Took = time.Since(start)
	return out, nil
}

// search runs req over the current view.
func (x *Index) search(ctx context.Context, req *bv.SearchRequest) (*bv.SearchResult, error) {
	if err := x.refresh(); err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil, errors.New("index closed")
	}
	var parts []bv.Index
	var pending map[string]bool
	segs := x.segs
	if x.w != nil {
		pending = x.w.pending
		if x.w.rebuild {
			segs = x.w.staged
		}
	}
	for _, s := range segs {
		// meta.Hidden is kept equal to hidden; a reader uses it as it is.
		hide := s.meta.Hidden
		if len(pending) > 0 {
			hide = slices.Clip(hide)
			for id := range pending {
				if !s.hidden[id] {
					hide = append(hide, id)
				}
			}
		}
		parts = append(parts, excluding{bleveIndex: s.bi, ids: hide})
	}
	if x.w != nil && x.w.active != nil {
		parts = append(parts, x.w.active)
	}
	if len(parts) == 0 {
		return &bv.SearchResult{Status: &bv.SearchStatus{}, Request: req}, nil
	}
	alias := bv.NewIndexAlias(parts...)
	return alias.SearchInContext(ctx, req)
}

// excluding is a segment searched without the units it hides: the query
// becomes "q AND NOT id:(hidden)", so totals and facets leave them out too.
type excluding struct {
	bleveIndex
	ids []string
}

// bleveIndex names the embedded interface, whose own method Index would
// clash with a field called Index.
type bleveIndex = bv.Index

func (e excluding) Search(req *bv.SearchRequest) (*bv.SearchResult, error) {
	return e.SearchInContext(context.Background(), req)
}

func (e excluding) SearchInContext(ctx context.Context, req *bv.SearchRequest) (*bv.SearchResult, error) {
	if len(e.ids) == 0 {
		return e.bleveIndex.SearchInContext(ctx, req)
	}
	r := *req
	bq := bv.NewBooleanQuery()
	bq.AddMust(req.Query)
	bq.AddMustNot(bv.NewDocIDQuery(e.ids))
	r.Query = query.Query(bq)
	return e.bleveIndex.SearchInContext(ctx, &r)
}

// Close publishes what a writer added (a rebuild not committed is
// discarded) and releases every segment.
func (x *Index) Close() error {
	var errs []error
	if w := x.w; w != nil {
		if w.rebuild {
			w.mu.Lock()
			if w.active != nil {
				errs = append(errs, w.active.Close(), os.RemoveAll(filepath.Join(x.dir, w.activeName)))
				w.active = nil
			}
			for _, s := range w.staged {
				errs = append(errs, s.bi.Close(), os.RemoveAll(filepath.Join(x.dir, s.meta.Name)))
			}
			w.staged = nil
			w.mu.Unlock()
		} else if err := x.Publish(context.Background()); err != nil {
			errs = append(errs, err)
		}
		defer w.lock.Close()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, s := range x.segs {
		errs = append(errs, s.bi.Close())
	}
	if x.w == nil {
		x.opened.Add(-int64(len(x.segs)))
	}
	x.segs, x.closed = nil, true
	return errors.Join(errs...)
}

// Stale reports whether a segment of the view was written with an older
// text analyzer than AnalyzerName: it answers, but without what the newer
// analysis adds (English stems), until a reindex rebuilds it.
func (x *Index) Stale() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, s := range x.segs {
		if s.meta.Analyzer != AnalyzerName {
			return true
		}
	}
	return false
}

// Segments lists the published segments by name, for tests and check-case.
func (x *Index) Segments() []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []string
	for _, s := range x.segs {
		out = append(out, s.meta.Name)
	}
	return out
}

func segmentName(n int) string { return fmt.Sprintf("seg-%08d", n) }

// removeUnpublished deletes segment directories m does not list: what a
// killed writer left behind (an active segment, an uncommitted rebuild, a
// merge output) and what a newer manifest replaced.
func removeUnpublished(dir string, m manifest) error {
	listed := map[string]bool{}
	for _, s := range m.Segments {
		listed[s.Name] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("index %s: %w", dir, err)
	}
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), "seg-") && !listed[e.Name()] {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove unpublished segment: %w", err)
			}
		}
	}
	return nil
}

// migrateLegacy turns an index of the single-directory layout (Bleve files
// directly in dir) into the first segment of a manifest. Its units carry no
// source field, so merges leave it alone; a reindex replaces it.
func migrateLegacy(dir string) (manifest, error) {
	name := segmentName(0)
	seg := filepath.Join(dir, name)
	if err := os.MkdirAll(seg, 0o755); err != nil {
		return manifest{}, fmt.Errorf("migrate index: %w", err)
	}
	for _, f := range []string{"store", "index_meta.json"} {
		if err := os.Rename(filepath.Join(dir, f), filepath.Join(seg, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return manifest{}, fmt.Errorf("migrate index: %w", err)
		}
	}
	bi, err := openSegment(seg)
	if err != nil {
		return manifest{}, err
	}
	n, err := bi.DocCount()
	bi.Close()
	if err != nil {
		return manifest{}, fmt.Errorf("migrate index: %w", err)
	}
	m := manifest{Format: manifestFormat, Generation: 1, NextSegment: 1, Segments: []segmentMeta{{Name: name, Units: n}}}
	return m, writeManifest(dir, m)
}

// sortSegments orders segments by live units, smallest first.
func sortSegments(segs []*liveSegment) {
	sort.SliceStable(segs, func(i, j int) bool { return live(segs[i]) < live(segs[j]) })
}

func live(s *liveSegment) uint64 {
	h := uint64(len(s.hidden))
	if h > s.meta.Units {
		return 0
	}
	return s.meta.Units - h
}
