package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/leakscope/leakscope/internal/leak"
)

// FindingCode names one kind of integrity problem. Codes are stored in
// scripts and reports (check-case --format json) and never change.
type FindingCode string

// The codes Check reports. Callers that check more than the database (blob
// files, the search index) add their own codes next to these.
const (
	FindDBMissing       FindingCode = "db_missing"        // case.json without case.db
	FindDBEmpty         FindingCode = "db_empty"          // case.db of zero bytes
	FindDBCorrupt       FindingCode = "db_corrupt"        // quick_check / integrity_check message
	FindSchemaVersion   FindingCode = "schema_version"    // user_version is not the latest migration
	FindOrphanText      FindingCode = "orphan_text"       // a texts row without its document
	FindOrphanStage     FindingCode = "orphan_stage"      // a stages row without its document
	FindOrphanOccurence FindingCode = "orphan_occurrence" // an occurrence naming a missing document
	FindTextMissing     FindingCode = "text_missing"      // extract finished but no text row
	FindStageMissing    FindingCode = "stage_missing"     // a text row but no extract stage
	FindTruncated       FindingCode = "truncated"         // more findings of one code than listed
)

// Severity says whether a finding is damage (error) or something odd
// that loses nothing (warning).
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem found by an integrity check. Object names what it
// concerns: a document hash, a table, a file relative to the case.
type Finding struct {
	Code     FindingCode `json:"code"`
	Severity Severity    `json:"severity"`
	Object   string      `json:"object"`
	Detail   string      `json:"detail,omitempty"`
}

// maxPerCheck bounds how many objects one consistency query lists; a case
// whose texts table was lost would otherwise print a line per document.
const maxPerCheck = 100

// pragmaLimit bounds integrity_check's messages for the same reason.
const pragmaLimit = 100

// Check verifies the database: its schema version, SQLite's own structure
// check (quick_check, or integrity_check when full, which also compares
// every index with its table), and the cross-table rules the pipeline
// keeps (every text, stage and occurrence names an existing document;
// extract's stage row and text row are written together). When SQLite
// reports damage the table rules are not run, as their answers would not
// be trustworthy. Check only reads.
func (s *Store) Check(ctx context.Context, full bool) ([]Finding, error) {
	var out []Finding
	pragma := "quick_check(1)"
	if full {
		pragma = fmt.Sprintf("integrity_check(%d)", pragmaLimit)
	}
	msgs, err := s.pragmaCheck(ctx, pragma)
	if err := classify(err); errors.Is(err, ErrCorrupt) {
		return []Finding{{Code: FindDBCorrupt, Severity: SeverityError, Object: "case.db", Detail: err.Error()}}, nil
	} else if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	for _, m := range msgs {
		out = append(out, Finding{Code: FindDBCorrupt, Severity: SeverityError, Object: "case.db", Detail: m})
	}
	if len(out) > 0 {
		return out, nil
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("check: %w", classify(err))
	}
	if v != LatestSchema() {
		out = append(out, Finding{Code: FindSchemaVersion, Severity: SeverityError, Object: "case.db",
			Detail: fmt.Sprintf("schema %d, this leakscope expects %d", v, LatestSchema())})
	}
	for _, r := range tableRules {
		fs, err := s.runRule(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", r.code, classify(err))
		}
		out = append(out, fs...)
	}
	return out, nil
}

// tableRule is one cross-table consistency rule: query lists the objects
// that break it.
type tableRule struct {
	code     FindingCode
	severity Severity
	detail   string
	query    string
}

// tableRules are the invariants the pipeline keeps between tables. Foreign
// keys enforce the first three while SQLite runs with foreign_keys on, so
// a hit means a write bypassed them (an old version, a manual edit) or the
// file was damaged in a way quick_check does not see.
var tableRules = []tableRule{
	{FindOrphanText, SeverityError, "text of a document that is not in the case",
		`SELECT doc FROM texts WHERE doc NOT IN (SELECT id FROM documents)`},
	{FindOrphanStage, SeverityError, "stage state of a document that is not in the case",
		`SELECT DISTINCT doc FROM stages WHERE doc NOT IN (SELECT id FROM documents)`},
	{FindOrphanOccurence, SeverityError, "occurrence of a document that is not in the case",
		`SELECT root || '/' || path FROM occurrences WHERE doc IS NOT NULL AND doc NOT IN (SELECT id FROM documents)`},
	// FinishExtract writes the extract stage and the text in one
	// transaction, so one without the other means lost rows.
	{FindTextMissing, SeverityError, "extraction recorded as finished but its text is missing",
		`SELECT doc FROM stages WHERE stage = '` + StageExtract + `' AND doc NOT IN (SELECT doc FROM texts)`},
	{FindStageMissing, SeverityWarning, "text present but no extract stage (it will be extracted again)",
		`SELECT doc FROM texts WHERE doc NOT IN (SELECT doc FROM stages WHERE stage = '` + StageExtract + `')`},
}

func (s *Store) runRule(ctx context.Context, r tableRule) ([]Finding, error) {
	rows, err := s.db.QueryContext(ctx, r.query+fmt.Sprintf(" LIMIT %d", maxPerCheck+1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		var obj sql.NullString
		if err := rows.Scan(&obj); err != nil {
			return nil, err
		}
		if len(out) == maxPerCheck {
			out = append(out, Finding{Code: FindTruncated, Severity: SeverityWarning, Object: string(r.code),
				Detail: fmt.Sprintf("more than %d objects; only the first %d are listed", maxPerCheck, maxPerCheck)})
			break
		}
		out = append(out, Finding{Code: r.code, Severity: r.severity, Object: obj.String, Detail: r.detail})
	}
	return out, rows.Err()
}

// ForEachDocument calls fn with the ID and size of every document, in ID
// order, for checks that walk the blobs. An error from fn stops the walk
// and is returned.
func (s *Store) ForEachDocument(ctx context.Context, fn func(id leak.ID, size int64) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, size FROM documents ORDER BY id`)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		var size int64
		if err := rows.Scan(&h, &size); err != nil {
			return classify(err)
		}
		id, err := leak.ParseID(h)
		if err != nil {
			return fmt.Errorf("document %q: %w", h, err)
		}
		if err := fn(id, size); err != nil {
			return err
		}
	}
	return classify(rows.Err())
}

// CountStage is how many documents finished stage with status ok, at any
// version: the number the search index must at least hold for "index".
func (s *Store) CountStage(ctx context.Context, stage string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stages WHERE stage = ? AND status = 'ok'`, stage).Scan(&n)
	return n, classify(err)
}
