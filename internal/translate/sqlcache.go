package translate

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SQLCache is a Cache in a SQL database (the case's SQLite database; the
// statements are plain SQL that PostgreSQL accepts too). It is safe for
// concurrent use as far as the *sql.DB is.
type SQLCache struct {
	db *sql.DB
}

var _ Cache = (*SQLCache)(nil)

const createTranslations = `CREATE TABLE IF NOT EXISTS translations (
	backend  TEXT NOT NULL,
	src_lang TEXT NOT NULL,
	seg_hash TEXT NOT NULL,
	source   TEXT NOT NULL,
	target   TEXT NOT NULL,
	created  TEXT NOT NULL,
	PRIMARY KEY (backend, src_lang, seg_hash)
)`

// NewSQLCache returns a cache in db, creating its table translations if it
// does not exist yet.
func NewSQLCache(db *sql.DB) (*SQLCache, error) {
	if _, err := db.Exec(createTranslations); err != nil {
		return nil, fmt.Errorf("create translations table: %w", err)
	}
	return &SQLCache{db: db}, nil
}

// Get implements Cache.
func (c *SQLCache) Get(backend, srcLang, seg string) (string, bool, error) {
	var target string
	err := c.db.QueryRow(`SELECT target FROM translations WHERE backend = $1 AND src_lang = $2 AND seg_hash = $3`,
		backend, srcLang, SegmentHash(seg)).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get translation: %w", err)
	}
	return target, true, nil
}

// Put implements Cache.
func (c *SQLCache) Put(backend, srcLang, seg, translation string) error {
	_, err := c.db.Exec(`INSERT INTO translations (backend, src_lang, seg_hash, source, target, created)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (backend, src_lang, seg_hash) DO UPDATE SET target = excluded.target, created = excluded.created`,
		backend, srcLang, SegmentHash(seg), seg, translation, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("put translation: %w", err)
	}
	return nil
}

// Count returns the number of cached translations of backend ("" for all).
func (c *SQLCache) Count(backend string) (int, error) {
	var n int
	err := c.db.QueryRow(`SELECT count(*) FROM translations WHERE $1 = '' OR backend = $1`, backend).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count translations: %w", err)
	}
	return n, nil
}
