// Package store keeps a case's metadata in SQLite: documents (one per
// content hash), occurrences (every place a content was found), extracted
// text, per-document stage state, entities, translations and analyses.
//
// # Why SQLite
//
// One file, no server, transactional, and fast enough for millions of rows
// on a laptop. WAL mode lets the web UI read while an ingest writes. The
// scale-out path is PostgreSQL behind the same methods.
//
// # Stage state
//
// Every stage (extract, lang, translate, entities ...) records, per
// document, the version of the code that ran and its outcome. A stage that
// finished at the current version is skipped on the next run; bumping a
// stage's version re-runs it for every document.
//
// # Migrations
//
// Numbered SQL files under migrations/ are embedded and applied in order;
// user_version holds the last applied. A case is never downgraded.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/leakscope/leakscope/internal/leak"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a document or path is unknown.
var ErrNotFound = errors.New("not found")

// Store is an open case database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// wmu serialises writes. SQLite admits one writer at a time; letting
	// workers contend inside SQLite means its busy handler, which sleeps,
	// and that cost 100x in throughput on many small files.
	wmu sync.Mutex
}

// exec runs a write statement under the write lock.
func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.db.ExecContext(ctx, q, args...)
}

// ErrCorrupt marks a database SQLite reports as damaged (SQLITE_CORRUPT,
// SQLITE_NOTADB, or a failing quick_check). Nothing the store reads from
// such a file can be trusted, so callers stop and point the user at
// `leakscope check-case` instead of carrying on with partial results.
var ErrCorrupt = errors.New("case database is corrupt")

// Options tune Open. The zero value is valid.
type Options struct {
	// TempDir receives SQLite's temporary files (large sorts, temporary
	// indexes, VACUUM). Without it SQLite picks /var/tmp or /tmp, outside
	// the case, where leaked content (sort keys are document text) would
	// outlive the case and escape its encryption or wiping.
	TempDir string
	// QuickCheck runs PRAGMA quick_check(1) after opening, so that a writer
	// refuses to append to a damaged file rather than bury the damage.
	QuickCheck bool
}

// Open opens (creating and migrating as needed) the database at path.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db.SetMaxOpenConns(8)
	s := &Store{db: db}
	if err := s.open(ctx, o); err != nil {
		db.Close()
		return nil, classify(err)
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, o Options) error {
	if o.TempDir != "" {
		// The modernc driver reads SQLITE_TMPDIR and TMPDIR only from the
		// environment the process started with (its libc copies it once),
		// so setting them at run time has no effect; this pragma sets
		// sqlite3_temp_directory, which it honours. The setting is
		// process-wide: the last case opened wins, which is the only case
		// in the CLI.
		if _, err := s.db.ExecContext(ctx, "PRAGMA temp_store_directory = "+sqlQuote(o.TempDir)); err != nil {
			return fmt.Errorf("temp directory: %w", err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if o.QuickCheck {
		return s.QuickCheck(ctx)
	}
	return nil
}

// QuickCheck runs PRAGMA quick_check(1): it reads every page and checks the
// b-tree structure, but not index contents, in a time linear in the file
// size. It stops at the first problem, which it returns wrapped in
// ErrCorrupt.
func (s *Store) QuickCheck(ctx context.Context) error {
	msgs, err := s.pragmaCheck(ctx, "quick_check(1)")
	if err != nil {
		return classify(err)
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, msgs[0])
	}
	return nil
}

// pragmaCheck runs quick_check or integrity_check and returns its
// messages, none when the database is sound.
func (s *Store) pragmaCheck(ctx context.Context, pragma string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		if m != "ok" {
			msgs = append(msgs, m)
		}
	}
	return msgs, rows.Err()
}

// SQLite result codes (primary, the low byte) that mean the file is damaged.
const (
	sqliteCorrupt = 11 // SQLITE_CORRUPT
	sqliteNotADB  = 26 // SQLITE_NOTADB
)

// classify wraps err in ErrCorrupt when SQLite says the file is damaged, so
// that every caller can tell damage from other failures with errors.Is.
func classify(err error) error {
	var coder interface{ Code() int }
	if err == nil || errors.Is(err, ErrCorrupt) || !errors.As(err, &coder) {
		return err
	}
	switch coder.Code() & 0xff {
	case sqliteCorrupt, sqliteNotADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// sqlQuote quotes s as an SQL string literal.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// SchemaVersion is the number of the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// LatestSchema is the number of the newest embedded migration.
func LatestSchema() int {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	return len(names)
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	cur, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if cur > len(names) {
		return fmt.Errorf("case schema %d is newer than this leakscope (%d): upgrade leakscope", cur, len(names))
	}
	for i := cur; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
		if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
	}
	return nil
}

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Resolve turns a reference given by a user into a document ID: a full
// hash, a unique hash prefix of at least 6 digits, or an occurrence path,
// byte-exact or in its EscapePath form.
func (s *Store) Resolve(ctx context.Context, ref string) (leak.ID, error) {
	if id, err := leak.ParseID(ref); err == nil {
		return id, nil
	}
	var hex string
	err := s.db.QueryRowContext(ctx, "SELECT doc FROM occurrences WHERE path = ? AND doc IS NOT NULL LIMIT 1", ref).Scan(&hex)
	if err == nil {
		return leak.ParseID(hex)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return leak.ID{}, err
	}
	if id, ok, err := s.resolveEscapedPath(ctx, ref); err != nil || ok {
		return id, err
	}
	if len(ref) >= 6 && isHex(ref) {
		rows, err := s.db.QueryContext(ctx, "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", strings.ToLower(ref), strings.ToLower(ref)+"g")
		if err != nil {
			return leak.ID{}, err
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				return leak.ID{}, err
			}
			ids = append(ids, h)
		}
		switch len(ids) {
		case 1:
			return leak.ParseID(ids[0])
		case 2:
			return leak.ID{}, fmt.Errorf("%q: ambiguous prefix", ref)
		}
	}
	return leak.ID{}, fmt.Errorf("%q: %w", ref, ErrNotFound)
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
