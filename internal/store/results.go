package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// PutDocResult stores a document's result of one analysis (name) as JSON,
// replacing an earlier one. The write gets a new sequence number, which
// DocResults and ResultSeq expose so that a case-wide combine can redo
// only what changed.
func (s *Store) PutDocResult(ctx context.Context, id leak.ID, name string, version int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("doc result %s: %w", name, err)
	}
	if _, err := s.exec(ctx, `INSERT OR REPLACE INTO doc_results(doc, name, version, data) VALUES(?,?,?,?)`,
		id.String(), name, version, b); err != nil {
		return &StoreError{fmt.Errorf("doc result %s: %w", name, err)}
	}
	return nil
}

// DocResult is one stored per-document result.
type DocResult struct {
	Doc  leak.ID
	Seq  int64
	Data []byte // JSON
}

// DocResults calls fn for every stored result of analysis name at version
// whose document is still extracted (not reset to pending), in sequence order, streaming in
// batches so that memory stays bounded. Results written by another
// version are skipped: their stage runs again.
func (s *Store) DocResults(ctx context.Context, name string, version int, fn func(DocResult) error) error {
	var after int64
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT r.seq, r.doc, r.data FROM doc_results r JOIN documents d ON d.id = r.doc
WHERE r.name = ? AND r.version = ? AND r.seq > ? AND d.status <> 'pending' ORDER BY r.seq LIMIT 1024`, name, version, after)
		if err != nil {
			return err
		}
		var batch []DocResult
		for rows.Next() {
			var r DocResult
			var h string
			if err := rows.Scan(&r.Seq, &h, &r.Data); err != nil {
				rows.Close()
				return err
			}
			r.Doc, _ = leak.ParseID(h)
			batch = append(batch, r)
			after = r.Seq
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
}

// ChangedDocResults returns the documents whose result of analysis name
// was written after sequence number since.
func (s *Store) ChangedDocResults(ctx context.Context, name string, since int64) ([]leak.ID, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc FROM doc_results WHERE name = ? AND seq > ? ORDER BY doc`, name, since)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// scanIDs reads rows of one document ID column and closes rows.
func scanIDs(rows *sql.Rows) ([]leak.ID, error) {
	defer rows.Close()
	var out []leak.ID
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		id, err := leak.ParseID(h)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ResultSeq is the sequence number of the last write of analysis name's
// per-document results, 0 if none.
func (s *Store) ResultSeq(ctx context.Context, name string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM doc_results WHERE name = ?`, name).Scan(&n)
	return n, err
}

// AllPathsByDoc returns every occurrence path of every stored document,
// sorted per document: one query where a combine would otherwise make one
// per document.
func (s *Store) AllPathsByDoc(ctx context.Context) (map[leak.ID][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc, path FROM occurrences WHERE doc IS NOT NULL ORDER BY doc, path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[leak.ID][]string{}
	for rows.Next() {
		var h, p string
		if err := rows.Scan(&h, &p); err != nil {
			return nil, err
		}
		id, err := leak.ParseID(h)
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], p)
	}
	return out, rows.Err()
}

// AnalysisStamp is a number that changes whenever analysis name is stored
// again (0 if never), with the version stored: readers that cache an
// analysis compare it to know when to reload.
func (s *Store) AnalysisStamp(ctx context.Context, name string) (stamp int64, version int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT computed_at, version FROM analyses WHERE name=?`, name).Scan(&stamp, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return stamp, version, err
}

// TranslationCache is the case's cache of segment translations (it
// implements translate.Cache).
type TranslationCache struct{ s *Store }

// SegmentCache is a cache of segment translations by (backend, source
// language, segment); it is what translate.Cached needs, and Count.
type SegmentCache interface {
	Get(backend, srcLang, seg string) (string, bool, error)
	Put(backend, srcLang, seg, translation string) error
	Count(backend string) (int, error)
}

// TranslationCache returns the case's translation cache.
func (s *Store) TranslationCache() SegmentCache { return &TranslationCache{s} }

// Get returns the cached translation of seg by backend from srcLang.
func (c *TranslationCache) Get(backend, srcLang, seg string) (string, bool, error) {
	var target string
	err := c.s.db.QueryRow(`SELECT target FROM translations WHERE backend = ? AND src_lang = ? AND seg_hash = ?`,
		backend, srcLang, segmentHash(seg)).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get translation: %w", err)
	}
	return target, true, nil
}

// Put stores the translation of seg, replacing an older one.
func (c *TranslationCache) Put(backend, srcLang, seg, translation string) error {
	_, err := c.s.exec(context.Background(), `INSERT INTO translations (backend, src_lang, seg_hash, source, target, created)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (backend, src_lang, seg_hash) DO UPDATE SET target = excluded.target, created = excluded.created`,
		backend, srcLang, segmentHash(seg), seg, translation, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("put translation: %w", err)
	}
	return nil
}

// Count returns the number of cached translations of backend ("" for all).
func (c *TranslationCache) Count(backend string) (int, error) {
	var n int
	err := c.s.db.QueryRow(`SELECT count(*) FROM translations WHERE ? = '' OR backend = ?`, backend, backend).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count translations: %w", err)
	}
	return n, nil
}

// segmentHash is the cache key of a segment: the hex SHA-256 of its bytes
// (translate.SegmentHash; the store sits below translate and cannot import
// it).
func segmentHash(seg string) string {
	h := sha256.Sum256([]byte(seg))
	return hex.EncodeToString(h[:])
}
