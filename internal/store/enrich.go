package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// PutTranslation stores a document's English translation by backend.
func (s *Store) PutTranslation(ctx context.Context, id leak.ID, backend, text string) error {
	_, err := s.exec(ctx, `INSERT INTO doc_translations(doc, backend, text) VALUES(?,?,?)
ON CONFLICT(doc, backend) DO UPDATE SET text=excluded.text`, id.String(), backend, text)
	if err != nil {
		return &StoreError{err}
	}
	return nil
}

// Translation returns a document's translation by backend, or by any
// backend when backend is "" (the most recent one written).
func (s *Store) Translation(ctx context.Context, id leak.ID, backend string) (string, string, error) {
	q := `SELECT backend, text FROM doc_translations WHERE doc=?`
	args := []any{id.String()}
	if backend != "" {
		q += ` AND backend=?`
		args = append(args, backend)
	}
	q += ` ORDER BY rowid DESC LIMIT 1`
	var b, t string
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&b, &t)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("translation of %s: %w", id.Short(), ErrNotFound)
	}
	return b, t, err
}

// Mention is an entity found in a document's text (or its translation when
// InTranslation).
type Mention struct {
	Kind  leak.Kind
	Value string
	Norm  string
	Start int
	End   int
}

// PutEntities replaces a document's entity mentions.
func (s *Store) PutEntities(ctx context.Context, id leak.ID, ms []Mention) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		h := id.String()
		if _, err := tx.ExecContext(ctx, `DELETE FROM entities WHERE doc=?`, h); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO entities(doc, kind, value, norm, start, end) VALUES(?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, m := range ms {
			if _, err := stmt.ExecContext(ctx, h, string(m.Kind), m.Value, m.Norm, m.Start, m.End); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return &StoreError{err}
	}
	return nil
}

// SetDocFlag adds flag to a document's flags (on) or removes it (off), for
// stages that learn something about a document after extraction, such as
// "entities-truncated".
func (s *Store) SetDocFlag(ctx context.Context, id leak.ID, flag string, on bool) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var raw string
		if err := tx.QueryRowContext(ctx, `SELECT flags FROM documents WHERE id=?`, id.String()).Scan(&raw); err != nil {
			return err
		}
		var flags []string
		json.Unmarshal([]byte(raw), &flags)
		i := slices.Index(flags, flag)
		switch {
		case on && i < 0:
			flags = append(flags, flag)
		case !on && i >= 0:
			flags = slices.Delete(flags, i, i+1)
		default:
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE documents SET flags=? WHERE id=?`, jsonList(flags), id.String())
		return err
	})
	if err != nil {
		return &StoreError{fmt.Errorf("flag %s of %s: %w", flag, id.Short(), err)}
	}
	return nil
}

// DocEntities returns the mentions of one document, in text order.
func (s *Store) DocEntities(ctx context.Context, id leak.ID) ([]Mention, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, value, norm, start, end FROM entities WHERE doc=? ORDER BY start`, id.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mention
	for rows.Next() {
		var m Mention
		var k string
		if err := rows.Scan(&k, &m.Value, &m.Norm, &m.Start, &m.End); err != nil {
			return nil, err
		}
		m.Kind = leak.Kind(k)
		out = append(out, m)
	}
	return out, rows.Err()
}

// EntitySummary is one entity across the case (the entities contract).
type EntitySummary struct {
	Type  string   `json:"type"`
	Value string   `json:"value"`
	Count int      `json:"count"`
	Paths []string `json:"paths"`
	Forms []string `json:"forms,omitempty"`
}

// Entities aggregates mentions by (kind, norm), optionally of one kind,
// most mentioned first. Paths are every occurrence path of the documents
// that mention it.
func (s *Store) Entities(ctx context.Context, kind string) ([]EntitySummary, error) {
	q := `SELECT e.kind, e.norm, e.value, e.doc, COUNT(*) FROM entities e`
	var args []any
	if kind != "" {
		q += ` WHERE e.kind = ?`
		args = append(args, kind)
	}
	q += ` GROUP BY e.kind, e.norm, e.value, e.doc`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	type key struct{ k, n string }
	agg := map[key]*EntitySummary{}
	docs := map[key]map[string]bool{}
	var order []key
	for rows.Next() {
		var k, norm, value, doc string
		var n int
		if err := rows.Scan(&k, &norm, &value, &doc, &n); err != nil {
			rows.Close()
			return nil, err
		}
		kk := key{k, norm}
		e := agg[kk]
		if e == nil {
			e = &EntitySummary{Type: k, Value: norm}
			agg[kk] = e
			docs[kk] = map[string]bool{}
			order = append(order, kk)
		}
		e.Count += n
		if value != norm && !containsStr(e.Forms, value) && len(e.Forms) < 20 {
			e.Forms = append(e.Forms, value)
		}
		docs[kk][doc] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	paths, err := s.pathsByDoc(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]EntitySummary, 0, len(order))
	for _, kk := range order {
		e := agg[kk]
		for d := range docs[kk] {
			e.Paths = append(e.Paths, paths[d]...)
		}
		sort.Strings(e.Paths)
		if e.Paths == nil {
			e.Paths = []string{}
		}
		out = append(out, *e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Value < out[j].Value
	})
	return out, nil
}

// pathsByDoc maps every document to its occurrence paths.
func (s *Store) pathsByDoc(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc, path FROM occurrences WHERE doc IS NOT NULL ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string][]string{}
	for rows.Next() {
		var d, p string
		if err := rows.Scan(&d, &p); err != nil {
			return nil, err
		}
		m[d] = append(m[d], p)
	}
	return m, rows.Err()
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// PutAnalysis stores a case-wide analysis (targets, chats) as JSON.
func (s *Store) PutAnalysis(ctx context.Context, name string, version int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO analyses(name, version, data, computed_at) VALUES(?,?,?,?)
ON CONFLICT(name) DO UPDATE SET version=excluded.version, data=excluded.data, computed_at=excluded.computed_at`,
		name, version, string(b), time.Now().UnixNano())
	return err
}

// Analysis loads a stored analysis into v. ErrNotFound if never computed.
func (s *Store) Analysis(ctx context.Context, name string, v any) (version int, err error) {
	var data string
	err = s.db.QueryRowContext(ctx, `SELECT version, data FROM analyses WHERE name=?`, name).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("analysis %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	return version, json.Unmarshal([]byte(data), v)
}

// Generation is a number that changes whenever documents or the stages
// whose results analyses read change, so that case-wide analyses know when
// to recompute. The index stage is left out: reindexing changes nothing an
// analysis reads.
func (s *Store) Generation(ctx context.Context) (string, error) {
	var docs, stages, last int64
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM documents),
 (SELECT COUNT(*) FROM stages WHERE stage <> 'index'),
 (SELECT COALESCE(MAX(finished_at),0) FROM stages WHERE stage <> 'index')`).Scan(&docs, &stages, &last)
	return fmt.Sprintf("%d-%d-%d", docs, stages, last), err
}

// AllPaths returns every occurrence path of a document, sorted.
func (s *Store) AllPaths(ctx context.Context, id leak.ID) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path FROM occurrences WHERE doc=? ORDER BY path`, id.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ForEachText calls fn for every successfully extracted document with its
// text, in ID order, streaming so memory stays bounded.
func (s *Store) ForEachText(ctx context.Context, fn func(d DocInfo, text string) error) error {
	after := ""
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.mime, d.language, t.text FROM documents d JOIN texts t ON t.doc=d.id
WHERE d.status='ok' AND d.id > ? ORDER BY d.id LIMIT 256`, after)
		if err != nil {
			return err
		}
		type row struct {
			d    DocInfo
			text string
		}
		var batch []row
		for rows.Next() {
			var r row
			var h string
			if err := rows.Scan(&h, &r.d.MIME, &r.d.Language, &r.text); err != nil {
				rows.Close()
				return err
			}
			r.d.ID, _ = leak.ParseID(h)
			batch = append(batch, r)
			after = h
		}
		rows.Close()
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			if err := fn(r.d, r.text); err != nil {
				return err
			}
		}
	}
}

// MemberSample returns the start of the text of up to n direct members of
// a container, for judging what the container holds (its language).
func (s *Store) MemberSample(ctx context.Context, id leak.ID, n, perMember int) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT substr(t.text, 1, ?) FROM occurrences o JOIN texts t ON t.doc = o.doc
WHERE o.parent = ? GROUP BY o.doc LIMIT ?`, perMember, id.String(), n)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", err
		}
		b.WriteString(t)
		b.WriteString("\n")
	}
	return b.String(), rows.Err()
}

// StageMark is one document a stage finished, and how long it took.
type StageMark struct {
	ID  leak.ID
	Dur time.Duration
}

// MarkStageOK records stage as done (ok, at version) for every document of
// marks in one transaction, so that a stage acknowledging a batch at once
// (the index, when a segment is published) leaves either all of it marked
// or none.
func (s *Store) MarkStageOK(ctx context.Context, stage string, version int, marks []StageMark) error {
	if len(marks) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range marks {
			if err := setStage(ctx, tx, m.ID, stage, version, leak.StatusOK, "", m.Dur); err != nil {
				return fmt.Errorf("mark %s %s: %w", stage, m.ID.Short(), err)
			}
		}
		return nil
	})
}

// CountPendingExtract counts documents found whose extraction has not
// finished (a running or interrupted ingest): what PendingExtract lists.
func (s *Store) CountPendingExtract(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `
SELECT COUNT(*) FROM documents d
LEFT JOIN stages s ON s.doc = d.id AND s.stage = ?
WHERE s.doc IS NULL`, StageExtract).Scan(&n)
	return n, err
}
