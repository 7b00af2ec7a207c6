package enrich

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// StageIndex is the name of the index stage in the stages table.
const StageIndex = "index"

// Index adds each extracted document to the full-text index, under its
// primary path (leak.PrimaryPath) and with every other path, with its
// translation, language, type, date, entities and countries as fields and
// facets. Adds are batched: a Bleve batch of hundreds of documents costs
// about what one document alone does.
//
// A document is marked indexed only once other processes can find it: the
// stage acknowledges its own documents (ingest.Acknowledger). When the
// index publishes (index.Publisher, the embedded segmented index), the
// documents of every batch sent so far are marked in one transaction right
// after a publication, which happens every few seconds of activity, every
// publishUnits units and at Flush; a run killed in between leaves them
// unmarked, to be indexed again by the next run (adding is idempotent).
type Index struct {
	X  index.Index
	st *store.Store

	mu       sync.Mutex // guards buf, bufBytes, marks and sent
	buf      []index.Doc
	bufBytes int
	marks    []store.StageMark // of the documents in buf
	sent     time.Time         // when a batch was last sent

	addMu     sync.Mutex        // serialises adds so batches land in order; guards the rest
	unacked   []store.StageMark // documents added but not yet published
	published time.Time

	// maxDocs and maxBytes bound a batch; 0 means indexBatchDocs and
	// indexBatchBytes. every is the publication interval, 0 meaning
	// publishEvery.
	maxDocs, maxBytes int
	every             time.Duration
}

var (
	_ ingest.Stage        = (*Index)(nil)
	_ ingest.Flusher      = (*Index)(nil)
	_ ingest.Acknowledger = (*Index)(nil)
)

// Batch bounds: a batch is sent when it holds this many units or this many
// bytes of text, whichever comes first, so memory stays bounded with large
// documents; and when publishEvery has passed since the last one, so that a
// slow run (OCR) still shows its documents in a running serve within
// seconds. A publication happens at most every publishEvery (each makes a
// segment the writer later merges) or after publishUnits units.
const (
	indexBatchDocs  = 256
	indexBatchBytes = 8 << 20
	publishEvery    = 2 * time.Second
	publishUnits    = 4096
)

// IndexVersion is the version of the index stage (Index.Version), which
// status and search compare the stage state with. 2: English stems (the
// index's v2 analyzer) and text capped at MaxIndexText, so an ingest after
// the upgrade indexes every document again.
const IndexVersion = 2

// NewIndex returns the index stage writing to x, after checking that x
// holds every document the stage state says it does. When it does not (a
// deleted or replaced index directory), the stage is reset so that the
// coming run indexes every document again.
func NewIndex(ctx context.Context, c *casedir.Case, x index.Index) (*Index, error) {
	marked, err := IndexedDocs(ctx, c.Store)
	if err != nil {
		return nil, fmt.Errorf("index stage: %w", err)
	}
	if marked > 0 {
		n, err := countKind(ctx, x, index.KindDocument)
		if err != nil {
			return nil, fmt.Errorf("index stage: %w", err)
		}
		if n < uint64(marked) {
			if _, err := c.Store.ResetStage(ctx, StageIndex, false); err != nil {
				return nil, fmt.Errorf("index stage: %w", err)
			}
		}
	}
	return &Index{X: x, st: c.Store}, nil
}

// IndexedDocs is how many documents the stage state says are indexed.
func IndexedDocs(ctx context.Context, st *store.Store) (int64, error) {
	stats, err := st.StageStats(ctx)
	if err != nil {
		return 0, err
	}
	for _, s := range stats {
		if s.Stage == StageIndex {
			return s.OK, nil
		}
	}
	return 0, nil
}

// PendingDocs is how many extracted documents are not yet searchable: not
// indexed at all, or added by a writer that has not published them yet.
func PendingDocs(ctx context.Context, st *store.Store) (int64, error) {
	return st.CountPendingStage(ctx, StageIndex, IndexVersion)
}

// Unsearchable is how many documents of the case a search cannot find yet
// but will once an ingest finishes: those not extracted yet and those
// extracted but not published in the index. A search that finds fewer than
// all is partial when this is not 0.
func Unsearchable(ctx context.Context, st *store.Store) (int64, error) {
	a, err := st.CountPendingExtract(ctx)
	if err != nil {
		return 0, err
	}
	b, err := PendingDocs(ctx, st)
	return a + b, err
}

// countKind counts the indexed units of one kind.
func countKind(ctx context.Context, x index.Index, kind string) (uint64, error) {
	res, err := x.Search(ctx, index.Query{Filters: map[string][]string{"kind": {kind}}, Limit: 1})
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

func (s *Index) Name() string { return StageIndex }

// Version 1: text, translation, title, paths, language, type, date,
// entities and countries.
func (s *Index) Version() int { return IndexVersion }

// AcknowledgesItself: documents are marked when published, see Index.
func (s *Index) AcknowledgesItself() {}

func (s *Index) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	start := time.Now()
	u, err := DocUnit(ctx, c.Store, d.Info, d.Text)
	if err != nil {
		return err
	}
	cut := len(u.Text) < len(d.Text)
	if err := c.Store.SetDocFlag(ctx, d.Info.ID, FlagIndexTruncated, cut); err != nil {
		return err
	}
	return s.enqueue(ctx, u, store.StageMark{ID: d.Info.ID, Dur: time.Since(start)})
}

// MaxIndexText bounds the text (and, apart, the translation) of one
// document that goes into the index. Bleve holds a document's postings,
// term vectors and CJK bigrams in memory while it indexes it: a 32 MB
// one-line text took the index stage past 2.8 GB. The whole text stays in
// the case (text, entities, targets read it); only search sees the first
// MaxIndexText bytes, and the document is flagged FlagIndexTruncated.
const MaxIndexText = 4 << 20

// FlagIndexTruncated marks a document whose text was cut to MaxIndexText
// for the index.
const FlagIndexTruncated = "index-truncated"

// cutText returns s cut to at most n bytes on a rune boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// enqueue buffers u and sends the buffer when it is full or old.
func (s *Index) enqueue(ctx context.Context, u index.Doc, m store.StageMark) error {
	s.mu.Lock()
	s.buf = append(s.buf, u)
	s.marks = append(s.marks, m)
	s.bufBytes += len(u.Text) + len(u.Translation)
	maxDocs, maxBytes := s.maxDocs, s.maxBytes
	if maxDocs <= 0 {
		maxDocs = indexBatchDocs
	}
	if maxBytes <= 0 {
		maxBytes = indexBatchBytes
	}
	if s.sent.IsZero() {
		s.sent = time.Now()
	}
	var batch []index.Doc
	var marks []store.StageMark
	if len(s.buf) >= maxDocs || s.bufBytes >= maxBytes || time.Since(s.sent) >= s.interval() {
		batch, marks, s.buf, s.marks, s.bufBytes = s.buf, s.marks, nil, nil, 0
		s.sent = time.Now()
	}
	s.mu.Unlock()
	if batch == nil {
		return nil
	}
	return s.add(ctx, batch, marks, false)
}

func (s *Index) interval() time.Duration {
	if s.every > 0 {
		return s.every
	}
	return publishEvery
}

// Flush sends the last, partial batch and publishes everything sent.
func (s *Index) Flush(ctx context.Context) error {
	s.mu.Lock()
	batch, marks := s.buf, s.marks
	s.buf, s.marks, s.bufBytes = nil, nil, 0
	s.mu.Unlock()
	return s.add(ctx, batch, marks, true)
}

// add writes a batch, then publishes and acknowledges when it is time (or
// final). A failing index is a failure of the case, not of one document,
// so it stops the run as a store error does.
func (s *Index) add(ctx context.Context, batch []index.Doc, marks []store.StageMark, final bool) error {
	s.addMu.Lock()
	defer s.addMu.Unlock()
	if len(batch) > 0 {
		if err := s.X.Add(ctx, batch...); err != nil {
			return &store.StoreError{Err: fmt.Errorf("index: %w", err)}
		}
	}
	s.unacked = append(s.unacked, marks...)
	p, ok := s.X.(index.Publisher)
	if s.published.IsZero() {
		s.published = time.Now()
	}
	if ok && !final && len(s.unacked) < publishUnits && time.Since(s.published) < s.interval() {
		return nil
	}
	if ok {
		if err := p.Publish(ctx); err != nil {
			return &store.StoreError{Err: fmt.Errorf("index publish: %w", err)}
		}
		s.published = time.Now()
	}
	if err := s.st.MarkStageOK(ctx, StageIndex, IndexVersion, s.unacked); err != nil {
		return &store.StoreError{Err: fmt.Errorf("index: %w", err)}
	}
	s.unacked = nil
	return nil
}

// DocUnit builds the index unit of a document: d must carry its
// occurrences and metadata (store.Document does).
func DocUnit(ctx context.Context, st *store.Store, d store.DocInfo, text string) (index.Doc, error) {
	paths := d.Paths()
	u := index.Doc{
		ID:    d.ID.String(),
		Kind:  index.KindDocument,
		Paths: paths,
		Text:  cutText(text, MaxIndexText),
		Lang:  d.Language,
		MIME:  d.MIME,
		Title: DocTitle(d),
		Date:  DocDate(d.Meta),
	}
	u.Path = leak.PrimaryPath(paths)
	if !u.Date.IsZero() {
		u.Year = u.Date.Year()
	}
	_, tr, err := st.Translation(ctx, d.ID, "")
	switch {
	case err == nil:
		u.Translation = cutText(tr, MaxIndexText)
	case !errors.Is(err, store.ErrNotFound):
		return u, err
	}
	ms, err := st.DocEntities(ctx, d.ID)
	if err != nil {
		return u, err
	}
	seen := map[string]bool{}
	for _, m := range ms {
		norm := m.Norm
		if norm == "" {
			norm = m.Value
		}
		k := string(m.Kind) + ":" + norm
		if seen[k] {
			continue
		}
		seen[k] = true
		u.Entities = append(u.Entities, k)
		if m.Kind == leak.KindCountry {
			u.Countries = append(u.Countries, norm)
		}
	}
	return u, nil
}

// DocTitle is what a document is called in result lists: its own title
// (document properties, HTML <title>, e-mail subject) or else the base
// name of its primary path (leak.PrimaryPath).
func DocTitle(d store.DocInfo) string {
	for _, k := range []string{"title", "subject"} {
		if t := strings.TrimSpace(d.Meta[k]); t != "" {
			return t
		}
	}
	p := leak.PrimaryPath(d.Paths())
	if p == "" {
		return ""
	}
	return path.Base(lastSegment(p))
}

// dateKeys are the metadata keys holding the date a document claims, most
// telling first: when it was written, when the photo was taken, when the
// mail was sent, when it was last saved.
var dateKeys = []string{"created", "exif.datetime_original", "date", "modified", "exif.datetime"}

// dateLayouts are the forms those values come in: document properties,
// EXIF, pdfinfo -isodates (with an hours-only offset) and raw PDF dates;
// e-mail headers are parsed by net/mail.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	"2006-01-02T15:04:05-07", "2006:01:02 15:04:05", "2006-01-02", "2006/01/02 15:04:05", "2006/01/02",
	"20060102150405Z0700", "20060102150405Z07", "20060102150405", "2006-01",
}

// DocDate is the date a document claims in its metadata; zero when it
// claims none that parses or one outside 1970..2100 (a zeroed or
// corrupt field says nothing).
func DocDate(meta map[string]string) time.Time {
	for _, k := range dateKeys {
		if t := ParseDate(meta[k]); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// ParseDate reads a metadata date in any of the usual forms; zero if none
// fits or the year is implausible.
func ParseDate(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 64 {
		return time.Time{}
	}
	if p, ok := strings.CutPrefix(v, "D:"); ok { // a raw PDF date: D:YYYYMMDDHHmmSS+HH'mm'
		v = strings.ReplaceAll(p, "'", "")
	}
	var t time.Time
	for _, l := range dateLayouts {
		if p, err := time.Parse(l, v); err == nil {
			t = p
			break
		}
	}
	if t.IsZero() {
		if p, err := mail.ParseDate(v); err == nil {
			t = p
		}
	}
	if t.IsZero() || t.Year() < 1970 || t.Year() > 2100 {
		return time.Time{}
	}
	return t
}
