package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/leak"
)

// Occurrence is a stored occurrence row.
type Occurrence struct {
	Root    string
	Path    string
	Doc     leak.ID // zero when the member could not be stored
	Parent  leak.ID
	Depth   int
	Commit  string
	ModTime time.Time
	Size    int64
	Flags   []string
	Error   string
	// Reason is why the occurrence holds no stored content, as a code
	// (Error gives the detail); ReasonNone when it does.
	Reason leak.Reason
}

// EscapePath returns a form of path that is valid UTF-8 and that Resolve
// accepts back, for output that cannot carry raw bytes (JSON, a terminal).
// A valid UTF-8 path is returned unchanged. In any other, each byte that
// is not part of a valid UTF-8 sequence becomes \xNN and a backslash
// becomes \\. So a file name in GBK whose bytes are D6 D0 2E 74 78 74
// (not UTF-8) is shown as `\xd6\xd0.txt`, where JSON would have turned
// the first two bytes into U+FFFD and lost them.
func EscapePath(path string) string {
	if utf8.ValidString(path) {
		return path
	}
	var b strings.Builder
	for i := 0; i < len(path); {
		r, n := utf8.DecodeRuneInString(path[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, path[i])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(path[i : i+n])
		}
		i += n
	}
	return b.String()
}

// UnescapePath inverts EscapePath. It reports false when s is not what
// EscapePath returns for some path that is not valid UTF-8 (no escape, an
// escape other than \xNN and \\, or a form EscapePath would not write),
// so that one escaped form names exactly one path.
func UnescapePath(s string) (string, bool) {
	if !strings.Contains(s, `\`) {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case i+3 < len(s) && s[i+1] == 'x':
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(v))
			i += 3
		default:
			return "", false
		}
	}
	out := b.String()
	if utf8.ValidString(out) || EscapePath(out) != s {
		return "", false
	}
	return out, true
}

// resolveEscapedPath resolves ref as the EscapePath form of an occurrence
// path, for Resolve.
func (s *Store) resolveEscapedPath(ctx context.Context, ref string) (leak.ID, bool, error) {
	path, ok := UnescapePath(ref)
	if !ok {
		return leak.ID{}, false, nil
	}
	var hex string
	err := s.db.QueryRowContext(ctx, "SELECT doc FROM occurrences WHERE path = ? AND doc IS NOT NULL LIMIT 1", path).Scan(&hex)
	if errors.Is(err, sql.ErrNoRows) {
		return leak.ID{}, false, nil
	}
	if err != nil {
		return leak.ID{}, false, err
	}
	id, err := leak.ParseID(hex)
	return id, err == nil, err
}

// FlagUnreadable marks an occurrence of a file that could not be read
// (permission denied, vanished after the walk, an I/O error). Such an
// occurrence is an error of the run, counted in Counts.Unreadable; other
// occurrences without a document (a link not followed, a special file)
// are refusals by rule and are not.
const FlagUnreadable = "unreadable"

// PutOccurrence records (or replaces) the occurrence at (root, path).
func (s *Store) PutOccurrence(ctx context.Context, o Occurrence) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := putOccurrence(ctx, s.db, o); err != nil {
		return &StoreError{err}
	}
	return nil
}

func putOccurrence(ctx context.Context, x execer, o Occurrence) error {
	var doc, parent any
	if !o.Doc.IsZero() {
		doc = o.Doc.String()
	}
	if !o.Parent.IsZero() {
		parent = o.Parent.String()
	}
	var mtime int64
	if !o.ModTime.IsZero() {
		mtime = o.ModTime.Unix()
	}
	_, err := x.ExecContext(ctx, `
INSERT INTO occurrences(root, path, doc, parent, depth, commit_sha, mtime, size, flags, error, reason)
VALUES(?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(root, path) DO UPDATE SET doc=excluded.doc, parent=excluded.parent, depth=excluded.depth,
  commit_sha=excluded.commit_sha, mtime=excluded.mtime, size=excluded.size, flags=excluded.flags, error=excluded.error,
  reason=excluded.reason`,
		o.Root, o.Path, doc, parent, o.Depth, o.Commit, mtime, o.Size, jsonList(o.Flags), o.Error, string(o.Reason))
	if err != nil {
		return fmt.Errorf("put occurrence %s: %w", o.Path, err)
	}
	return nil
}

// LookupOccurrence returns the occurrence at (root, path).
func (s *Store) LookupOccurrence(ctx context.Context, root, path string) (Occurrence, bool, error) {
	o := Occurrence{Root: root, Path: path}
	var doc, parent sql.NullString
	var mtime int64
	var flags string
	var reason string
	err := s.db.QueryRowContext(ctx, `SELECT doc, parent, depth, commit_sha, mtime, size, flags, error, reason
FROM occurrences WHERE root=? AND path=?`, root, path).Scan(&doc, &parent, &o.Depth, &o.Commit, &mtime, &o.Size, &flags, &o.Error, &reason)
	o.Reason = leak.Reason(reason)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, err
	}
	if doc.Valid {
		o.Doc, _ = leak.ParseID(doc.String)
	}
	if parent.Valid {
		o.Parent, _ = leak.ParseID(parent.String)
	}
	if mtime != 0 {
		o.ModTime = time.Unix(mtime, 0)
	}
	json.Unmarshal([]byte(flags), &o.Flags)
	return o, true, nil
}

// Page is one paged unit of a document's text, without the text itself
// (which is in the body between form feeds).
type Page struct {
	Number     int     `json:"number"`
	Label      string  `json:"label,omitempty"`
	OCR        bool    `json:"ocr,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Start      int     `json:"start"` // byte offset in the text
	End        int     `json:"end"`
}

// Extracted is the outcome of the extract stage for one document.
type Extracted struct {
	MIME      string
	Extractor string
	Version   int
	Status    string // leak.StatusOK or a class: leak.StatusError, StatusLimit, StatusUnsupported ...
	Error     string
	Reason    leak.Reason // why it is not ok, as a code
	Text      string
	Truncated bool
	Pages     []Page
	Meta      map[string]string
	Flags     []string
	OCR       bool
	Artifacts map[string][]byte
	Duration  time.Duration
	// Size is the document's size, for a document not recorded yet.
	Size int64
	// Occ, when set, is recorded in the same transaction: the place the
	// document was found, written together with what was found in it.
	Occ *Occurrence
}

// StageExtract is the name of the extraction stage.
const StageExtract = "extract"

// FinishExtract stores the outcome of extraction and marks the stage done,
// in one transaction, so that a crash leaves either all of it or none. The
// document row is created if needed, and e.Occ recorded with it: a new
// file costs one transaction. It reports whether the document is new.
func (s *Store) FinishExtract(ctx context.Context, id leak.ID, e Extracted) (created bool, err error) {
	h := id.String()
	meta, _ := json.Marshal(e.Meta)
	if e.Meta == nil {
		meta = []byte("{}")
	}
	pages, _ := json.Marshal(e.Pages)
	if e.Pages == nil {
		pages = []byte("[]")
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO documents(id, size, mime, created_at) VALUES(?,?,'',?) ON CONFLICT(id) DO NOTHING`,
			h, e.Size, time.Now().Unix())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		created = n == 1
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET mime=?, status=?, error=?, reason=?, extractor=?, flags=?, meta=?, ocr=? WHERE id=?`,
			e.MIME, e.Status, e.Error, string(e.Reason), e.Extractor, jsonList(e.Flags), string(meta), e.OCR, h); err != nil {
			return err
		}
		if e.Occ != nil {
			if err := putOccurrence(ctx, tx, *e.Occ); err != nil {
				return err
			}
		}
		// The later stages (language, entities, index ...) read the text:
		// when it changed (a retry, --redo extract), what they stored is
		// stale and they run again.
		if _, err := tx.ExecContext(ctx, `DELETE FROM stages WHERE doc=? AND stage<>?
 AND NOT EXISTS (SELECT 1 FROM texts WHERE doc=? AND text=?)`, h, StageExtract, h, e.Text); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO texts(doc, text, pages, truncated) VALUES(?,?,?,?)
ON CONFLICT(doc) DO UPDATE SET text=excluded.text, pages=excluded.pages, truncated=excluded.truncated`,
			h, e.Text, string(pages), e.Truncated); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM artifacts WHERE doc=?`, h); err != nil {
			return err
		}
		for name, data := range e.Artifacts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO artifacts(doc, name, data) VALUES(?,?,?)`, h, name, data); err != nil {
				return err
			}
		}
		return setStage(ctx, tx, id, StageExtract, e.Version, e.Status, e.Error, e.Duration)
	})
	if err != nil {
		return false, &StoreError{fmt.Errorf("finish extract %s: %w", id.Short(), err)}
	}
	return created, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func setStage(ctx context.Context, x execer, id leak.ID, stage string, version int, status, errMsg string, d time.Duration) error {
	_, err := x.ExecContext(ctx, `INSERT INTO stages(doc, stage, version, status, error, dur_ms, finished_at) VALUES(?,?,?,?,?,?,?)
ON CONFLICT(doc, stage) DO UPDATE SET version=excluded.version, status=excluded.status, error=excluded.error,
  dur_ms=excluded.dur_ms, finished_at=excluded.finished_at`,
		id.String(), stage, version, status, errMsg, d.Milliseconds(), time.Now().Unix())
	return err
}

// SetStage records the outcome of a stage for a document.
func (s *Store) SetStage(ctx context.Context, id leak.ID, stage string, version int, status, errMsg string, d time.Duration) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return setStage(ctx, s.db, id, stage, version, status, errMsg, d)
}

// StageDone reports whether stage finished for id at version (with any
// outcome: a document that failed is not retried unless asked).
func (s *Store) StageDone(ctx context.Context, id leak.ID, stage string, version int) (bool, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM stages WHERE doc=? AND stage=?`, id.String(), stage).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && v == version, err
}

// ResetStage forgets the state of stage for the documents matched: all of
// them, or (failedOnly) those whose outcome was not ok. It returns how many
// were reset.
func (s *Store) ResetStage(ctx context.Context, stage string, failedOnly bool) (int64, error) {
	q := `DELETE FROM stages WHERE stage=?`
	if failedOnly {
		q += ` AND status <> 'ok'`
	}
	res, err := s.exec(ctx, q, stage)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// hasText selects the documents the later stages run on: those extracted
// ok, and those whose extraction failed after some text was salvaged (a
// truncated archive, a damaged PDF), which must be searchable too. A
// pending document (never extracted, or reset by --retry-failed) is not.
const hasText = `(d.status = 'ok' OR (d.status <> 'pending' AND EXISTS (SELECT 1 FROM texts t WHERE t.doc = d.id AND t.text <> '')))`

// PendingStage lists up to limit documents, after the given ID, whose stage
// is missing or at another version and that have text (see hasText).
func (s *Store) PendingStage(ctx context.Context, stage string, version int, after string, limit int) ([]leak.ID, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT d.id FROM documents d
LEFT JOIN stages s ON s.doc = d.id AND s.stage = ?
WHERE `+hasText+` AND d.id > ? AND (s.version IS NULL OR s.version <> ?)
ORDER BY d.id LIMIT ?`, stage, after, version, limit)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// PendingExtract lists documents whose extraction never finished (an
// interrupted run) or was reset, with one occurrence of each.
func (s *Store) PendingExtract(ctx context.Context) ([]Occurrence, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT o.root, o.path, o.doc, o.depth FROM documents d
JOIN occurrences o ON o.id = (SELECT id FROM occurrences WHERE doc = d.id ORDER BY depth, id LIMIT 1)
LEFT JOIN stages s ON s.doc = d.id AND s.stage = 'extract'
WHERE s.doc IS NULL ORDER BY o.depth, o.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Occurrence
	for rows.Next() {
		var o Occurrence
		var h string
		if err := rows.Scan(&o.Root, &o.Path, &h, &o.Depth); err != nil {
			return nil, err
		}
		o.Doc, _ = leak.ParseID(h)
		out = append(out, o)
	}
	return out, rows.Err()
}

// DocInfo is a document as the docs command and the API show it.
type DocInfo struct {
	ID        leak.ID
	Size      int64
	MIME      string
	Language  string
	OCR       bool
	Status    string
	Error     string
	Reason    leak.Reason // why it is not ok, as a code; ReasonNone when ok
	Extractor string
	Flags     []string
	Meta      map[string]string
	Occs      []Occurrence
}

// Paths returns the occurrence paths, sorted.
func (d DocInfo) Paths() []string {
	var p []string
	for _, o := range d.Occs {
		p = append(p, o.Path)
	}
	sort.Strings(p)
	return p
}

// DocFilter selects documents.
type DocFilter struct {
	Status   string // "ok", "failed" (anything not ok), or "" for all
	MIME     string // prefix
	Language string
	Limit    int
	Offset   int
}

// Documents lists documents with their occurrences, ordered by first path.
func (s *Store) Documents(ctx context.Context, f DocFilter) ([]DocInfo, error) {
	var where []string
	var args []any
	switch f.Status {
	case "":
	case "failed":
		where = append(where, "status NOT IN ('ok','pending','empty')")
	default:
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.MIME != "" {
		where = append(where, "mime LIKE ?")
		args = append(args, f.MIME+"%")
	}
	if f.Language != "" {
		where = append(where, "language = ?")
		args = append(args, f.Language)
	}
	q := `SELECT id, size, mime, language, ocr, status, error, extractor, flags, meta, reason FROM documents`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY (SELECT MIN(path) FROM occurrences WHERE doc = documents.id), id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	docs, err := s.queryDocs(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return docs, s.attachOccurrences(ctx, docs)
}

// Document returns one document with its occurrences.
func (s *Store) Document(ctx context.Context, id leak.ID) (DocInfo, error) {
	docs, err := s.queryDocs(ctx, `SELECT id, size, mime, language, ocr, status, error, extractor, flags, meta, reason FROM documents WHERE id=?`, id.String())
	if err != nil {
		return DocInfo{}, err
	}
	if len(docs) == 0 {
		return DocInfo{}, fmt.Errorf("document %s: %w", id.Short(), ErrNotFound)
	}
	return docs[0], s.attachOccurrences(ctx, docs)
}

func (s *Store) queryDocs(ctx context.Context, q string, args ...any) ([]DocInfo, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []DocInfo
	for rows.Next() {
		var d DocInfo
		var h, flags, meta, reason string
		if err := rows.Scan(&h, &d.Size, &d.MIME, &d.Language, &d.OCR, &d.Status, &d.Error, &d.Extractor, &flags, &meta, &reason); err != nil {
			return nil, err
		}
		d.Reason = leak.Reason(reason)
		d.ID, _ = leak.ParseID(h)
		json.Unmarshal([]byte(flags), &d.Flags)
		json.Unmarshal([]byte(meta), &d.Meta)
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

func (s *Store) attachOccurrences(ctx context.Context, docs []DocInfo) error {
	if len(docs) == 0 {
		return nil
	}
	idx := make(map[string]int, len(docs))
	for i, d := range docs {
		idx[d.ID.String()] = i
	}
	// One query for small sets, a full scan for large ones.
	q := `SELECT root, path, doc, parent, depth, commit_sha, mtime, size, flags, error, reason FROM occurrences WHERE doc IS NOT NULL`
	var args []any
	if len(docs) <= 500 {
		q += " AND doc IN (" + strings.TrimSuffix(strings.Repeat("?,", len(docs)), ",") + ")"
		for _, d := range docs {
			args = append(args, d.ID.String())
		}
	}
	q += " ORDER BY path"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, h, err := scanOcc(rows)
		if err != nil {
			return err
		}
		if i, ok := idx[h]; ok {
			docs[i].Occs = append(docs[i].Occs, o)
		}
	}
	return rows.Err()
}

func scanOcc(rows *sql.Rows) (Occurrence, string, error) {
	var o Occurrence
	var doc, parent sql.NullString
	var mtime int64
	var flags, reason string
	if err := rows.Scan(&o.Root, &o.Path, &doc, &parent, &o.Depth, &o.Commit, &mtime, &o.Size, &flags, &o.Error, &reason); err != nil {
		return o, "", err
	}
	o.Reason = leak.Reason(reason)
	if doc.Valid {
		o.Doc, _ = leak.ParseID(doc.String)
	}
	if parent.Valid {
		o.Parent, _ = leak.ParseID(parent.String)
	}
	if mtime != 0 {
		o.ModTime = time.Unix(mtime, 0).UTC()
	}
	json.Unmarshal([]byte(flags), &o.Flags)
	return o, doc.String, nil
}

// Problems lists occurrences that could not be stored (links, members over
// a limit, unreadable files) with their reasons.
func (s *Store) Problems(ctx context.Context) ([]Occurrence, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT root, path, doc, parent, depth, commit_sha, mtime, size, flags, error, reason
FROM occurrences WHERE error <> '' ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Occurrence
	for rows.Next() {
		o, _, err := scanOcc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Text returns a document's extracted text and pages.
func (s *Store) Text(ctx context.Context, id leak.ID) (string, []Page, error) {
	var text, pages string
	err := s.db.QueryRowContext(ctx, `SELECT text, pages FROM texts WHERE doc=?`, id.String()).Scan(&text, &pages)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("text of %s: %w", id.Short(), ErrNotFound)
	}
	if err != nil {
		return "", nil, err
	}
	var ps []Page
	json.Unmarshal([]byte(pages), &ps)
	return text, ps, nil
}

// Artifact returns a stored artifact of a document.
func (s *Store) Artifact(ctx context.Context, id leak.ID, name string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM artifacts WHERE doc=? AND name=?`, id.String(), name).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return b, err
}

// SetLanguage records a document's language.
func (s *Store) SetLanguage(ctx context.Context, id leak.ID, lang string) error {
	_, err := s.exec(ctx, `UPDATE documents SET language=? WHERE id=?`, lang, id.String())
	return err
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// failedDoc matches a document d whose extraction did not end ok.
const failedDoc = `d.status NOT IN ('ok','pending','empty')`

// ResetFailedExtract forgets the extraction of documents that did not end
// ok, so that the next run extracts them again. Their status, error,
// extractor, flags and OCR mark go back to those of a document never
// extracted, and every stage state of theirs is dropped, in one
// transaction: a retry that is itself cut short then leaves pending
// documents, not stale failures, and the later stages run on the new text.
// The containers around a failed member (a zip in a zip around a damaged
// file) are extracted again too, as they took flags from it ("limit-time"
// on an archive whose member timed out), which the retry may clear; their
// members that are done are not extracted again.
func (s *Store) ResetFailedExtract(ctx context.Context) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE around(id) AS (
  SELECT o.parent FROM occurrences o JOIN documents d ON d.id = o.doc WHERE o.parent IS NOT NULL AND `+failedDoc+`
  UNION SELECT o.parent FROM occurrences o JOIN around a ON o.doc = a.id WHERE o.parent IS NOT NULL)
DELETE FROM stages WHERE stage = ? AND doc IN (SELECT id FROM around)`, StageExtract); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM stages WHERE doc IN
 (SELECT id FROM documents WHERE status NOT IN ('ok','pending','empty'))`); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE documents SET status='pending', error='', reason='', extractor='', flags='[]', ocr=0
 WHERE status NOT IN ('ok','pending','empty')`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, &StoreError{fmt.Errorf("reset failed extractions: %w", err)}
	}
	return n, nil
}

// CountPendingStage counts what PendingStage would list in all.
func (s *Store) CountPendingStage(ctx context.Context, stage string, version int) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `
SELECT COUNT(*) FROM documents d
LEFT JOIN stages s ON s.doc = d.id AND s.stage = ?
WHERE `+hasText+` AND (s.version IS NULL OR s.version <> ?)`, stage, version).Scan(&n)
	return n, err
}

// StoreError marks a failure of the store itself (as opposed to a failure
// of one document), which stops a run.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// Is makes SQLite's "database or disk is full" match syscall.ENOSPC, so
// that a caller tells a full disk from other store failures in one way,
// whether the blob store or the database found it.
func (e *StoreError) Is(target error) bool {
	return target == syscall.ENOSPC && sqliteFull(e.Err)
}

// sqliteFull reports whether err is SQLITE_FULL (13; extended codes keep
// it in the low byte), from the driver's error type without importing it.
func sqliteFull(err error) bool {
	var ce interface{ Code() int }
	return errors.As(err, &ce) && ce.Code()&0xff == 13
}

// IsStoreError reports whether err is a *StoreError.
func IsStoreError(err error) bool {
	var se *StoreError
	return errors.As(err, &se)
}

// DocFlags returns a document's flags.
func (s *Store) DocFlags(ctx context.Context, id leak.ID) ([]string, error) {
	var flags string
	if err := s.db.QueryRowContext(ctx, `SELECT flags FROM documents WHERE id=?`, id.String()).Scan(&flags); err != nil {
		return nil, err
	}
	var out []string
	json.Unmarshal([]byte(flags), &out)
	return out, nil
}

// Found records, in one transaction, a content found at an occurrence: the
// document if new, the occurrence, and whether its extraction at version
// is already done. One transaction instead of three matters when a leak
// has millions of small files.
func (s *Store) Found(ctx context.Context, size int64, o Occurrence, stage string, version int) (created, done bool, err error) {
	var parent any
	if !o.Parent.IsZero() {
		parent = o.Parent.String()
	}
	var mtime int64
	if !o.ModTime.IsZero() {
		mtime = o.ModTime.Unix()
	}
	h := o.Doc.String()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO documents(id, size, mime, created_at) VALUES(?,?,'',?) ON CONFLICT(id) DO NOTHING`,
			h, size, time.Now().Unix())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		created = n == 1
		if _, err := tx.ExecContext(ctx, `
INSERT INTO occurrences(root, path, doc, parent, depth, commit_sha, mtime, size, flags, error)
VALUES(?,?,?,?,?,?,?,?,?,'')
ON CONFLICT(root, path) DO UPDATE SET doc=excluded.doc, parent=excluded.parent, depth=excluded.depth,
  commit_sha=excluded.commit_sha, mtime=excluded.mtime, size=excluded.size, flags=excluded.flags, error=''`,
			o.Root, o.Path, h, parent, o.Depth, o.Commit, mtime, o.Size, jsonList(o.Flags)); err != nil {
			return err
		}
		var v int
		err = tx.QueryRowContext(ctx, `SELECT version FROM stages WHERE doc=? AND stage=?`, h, stage).Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return err
		}
		done = v == version
		return nil
	})
	if err != nil {
		return false, false, &StoreError{fmt.Errorf("found %s: %w", o.Path, err)}
	}
	return created, done, nil
}

// ResetStageFor forgets the state of stage for the given documents only.
func (s *Store) ResetStageFor(ctx context.Context, stage string, ids []leak.ID) (int64, error) {
	var n int64
	for _, id := range ids {
		res, err := s.exec(ctx, `DELETE FROM stages WHERE stage=? AND doc=?`, stage, id.String())
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}
