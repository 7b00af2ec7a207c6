// Package casedir creates, opens and locks a case directory.
//
// # Case
//
// A case is one directory holding everything about one investigation:
//
//	case.json   configuration (translator backend, limits, languages)
//	case.db     SQLite metadata (documents, occurrences, text, stages)
//	blobs/      file contents by SHA-256, sharded by the first two hex digits
//	index/      the full-text index
//	lock        held by the one process allowed to write
//
// Copy the folder and you copied the case.
//
// # Lock
//
// Writers (ingest, translate, reindex) take an exclusive flock on the lock
// file, so that two processes cannot interleave writes to one case; the OS
// releases it when the process dies, even by SIGKILL. Readers (docs, search,
// serve) need no lock: SQLite's WAL lets them read during a write.
//
// # Integrity
//
// case.json is written last when a case is created, so a case.json beside
// a missing or zero-length case.db means the database was lost or
// truncated, never that the case is new: Open refuses it with a
// *DamagedError instead of silently starting an empty case over the old
// blobs. A writer also runs SQLite's quick_check before it appends, so that
// damage is reported when it is found rather than buried under new rows.
// `leakscope check-case` reports the details.
//
// A case that Open itself created is removed again when Open fails, so a
// failed first command leaves no empty case behind.
package casedir

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/leakscope/leakscope/internal/blob"
	"github.com/leakscope/leakscope/internal/store"
)

// Config is the case's configuration, stored as case.json.
type Config struct {
	Version    int    `json:"version"`
	Translator string `json:"translator,omitempty"` // gloss (default), libretranslate, openai
	// TranslatorURL and TranslatorModel configure self-hosted backends.
	TranslatorURL   string   `json:"translator_url,omitempty"`
	TranslatorModel string   `json:"translator_model,omitempty"`
	OCRLanguages    []string `json:"ocr_languages,omitempty"`
	// OCREngine is the OCR engine: "paddle", "tesseract" or "auto"
	// (empty: paddle where installed, else tesseract; see ocr/engines).
	OCREngine string `json:"ocr_engine,omitempty"`
	// ChatZone is the zone of chat timestamps written without one (an
	// IANA name or an offset such as "+03:00"); empty: inferred from each
	// document's language (chat.ZoneFor).
	ChatZone string `json:"chat_zone,omitempty"`
	// ChatKeys maps chat fields ("time", "from", "to", "body", "id",
	// "chat") to the JSON keys of an export the detector cannot guess
	// ({"from": "nickname"}); see chat.Options.KeyMap.
	ChatKeys map[string]string `json:"chat_keys,omitempty"`
	// UUID is a random RFC 9562 version 4 UUID made with the case. Exports
	// derive their object ids from it, so two cases in folders of the same
	// name share no id; a case made before it existed gets one on its next
	// write-mode open.
	UUID string `json:"uuid,omitempty"`
}

// Case is an open case directory.
type Case struct {
	Dir    string
	Config Config
	Store  *store.Store
	Blobs  *blob.Store
	lock   *os.File
}

// ErrNoCase is returned by Open when the directory holds no case.
var ErrNoCase = errors.New("not a case directory")

// ErrLocked is returned when another process holds the case's write lock.
var ErrLocked = errors.New("case is locked by another process")

// ErrDamaged matches every *DamagedError, for errors.Is.
var ErrDamaged = errors.New("case is damaged")

// DamagedError says a case exists but its database is missing, empty or
// corrupt. Err is the underlying cause, if any (store.ErrCorrupt).
type DamagedError struct {
	Dir    string
	Reason string // what is wrong, for people: "case.db is empty"
	Err    error
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", e.Dir, ErrDamaged, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + fmt.Sprintf(" (run `leakscope check-case --case %s` for details; restore case.db from a backup or re-ingest)", e.Dir)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Unwrap returns the cause.
func (e *DamagedError) Unwrap() error { return e.Err }

// DBPath is where a case's database lives.
func DBPath(dir string) string { return filepath.Join(dir, "case.db") }

// Mode says whether a case is opened for writing.
type Mode int

const (
	ReadOnly Mode = iota // no lock; the case must exist
	Write                // exclusive lock; the case is created if missing
)

// Open opens the case in dir. In Write mode it creates the case if needed
// and takes the lock; ErrLocked means another writer is running. A case
// whose database is missing, empty or (in Write mode) fails quick_check is
// a *DamagedError.
func Open(ctx context.Context, dir string, mode Mode) (*Case, error) {
	// Absolute, because blob paths are handed to tools that run in other
	// working directories.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	c := &Case{Dir: dir}
	cfgPath := filepath.Join(dir, "case.json")
	_, err := os.Stat(cfgPath)
	create := false
	switch {
	case errors.Is(err, os.ErrNotExist) && mode == Write:
		create = true
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("%s: %w (create one with `leakscope ingest --case %s PATH`)", dir, ErrNoCase, dir)
	case err != nil:
		return nil, fmt.Errorf("open case: %w", err)
	default:
		b, err := os.ReadFile(cfgPath)
		if err != nil {
			return nil, fmt.Errorf("open case: %w", err)
		}
		if err := json.Unmarshal(b, &c.Config); err != nil {
			return nil, fmt.Errorf("case.json: %w", err)
		}
		if err := checkDB(dir); err != nil {
			return nil, err
		}
	}
	if !create {
		if err := c.open(ctx, mode); err != nil {
			return nil, errors.Join(err, c.Close())
		}
		if mode == Write && c.Config.UUID == "" {
			if err := c.addUUID(); err != nil {
				return nil, errors.Join(err, c.Close())
			}
		}
		return c, nil
	}
	undo, err := makeDir(dir)
	if err != nil {
		return nil, err
	}
	c.Config = Config{Version: 1, Translator: "gloss"}
	if c.Config.UUID, err = NewUUID(); err != nil {
		return nil, errors.Join(err, undo())
	}
	// case.json last: it is what marks the directory as a complete case.
	if err = c.open(ctx, mode); err == nil {
		err = c.SaveConfig()
	}
	if err != nil {
		return nil, errors.Join(err, c.Close(), undo())
	}
	return c, nil
}

// checkDB refuses an existing case whose database file is gone or was
// truncated to nothing: SQLite would take either for a new, empty database.
func checkDB(dir string) error {
	fi, err := os.Stat(DBPath(dir))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &DamagedError{Dir: dir, Reason: "case.json is present but case.db is missing"}
	case err != nil:
		return fmt.Errorf("open case: %w", err)
	case fi.Size() == 0:
		return &DamagedError{Dir: dir, Reason: "case.db is empty (zero bytes)"}
	}
	return nil
}

// makeDir creates dir for a new case and returns how to remove what it
// created: the whole directory if it did not exist, else only the entries
// that were not there before (a user may create the folder first).
func makeDir(dir string) (undo func() error, err error) {
	before := map[string]bool{}
	ents, err := os.ReadDir(dir)
	existed := err == nil
	for _, e := range ents {
		before[e.Name()] = true
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create case: %w", err)
	}
	return func() error {
		if !existed {
			return os.RemoveAll(dir)
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		var errs []error
		for _, e := range ents {
			if !before[e.Name()] {
				errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
			}
		}
		return errors.Join(errs...)
	}, nil
}

// open takes the lock (Write), then opens the blobs and the store.
func (c *Case) open(ctx context.Context, mode Mode) error {
	var err error
	if mode == Write {
		f, err := os.OpenFile(filepath.Join(c.Dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return fmt.Errorf("lock case: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", c.Dir, ErrLocked)
		}
		c.lock = f
	}
	c.Blobs, err = blob.Open(filepath.Join(c.Dir, "blobs"))
	if err != nil {
		return err
	}
	if mode == Write {
		c.Blobs.CleanTemp()
		os.RemoveAll(c.TempDir())
	}
	// Readers need the directory too: their sorts spill there.
	if err := os.MkdirAll(c.TempDir(), 0o700); err != nil {
		return fmt.Errorf("open case: %w", err)
	}
	c.Store, err = store.OpenWith(ctx, DBPath(c.Dir), store.Options{
		TempDir:    c.TempDir(),
		QuickCheck: mode == Write,
	})
	if errors.Is(err, store.ErrCorrupt) {
		return &DamagedError{Dir: c.Dir, Reason: "case.db is corrupt", Err: err}
	}
	return err
}

// SaveConfig writes case.json.
func (c *Case) SaveConfig() error {
	b, _ := json.MarshalIndent(c.Config, "", "  ")
	tmp := filepath.Join(c.Dir, "case.json.tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	return os.Rename(tmp, filepath.Join(c.Dir, "case.json"))
}

// addUUID gives a case made before Config.UUID existed its UUID.
func (c *Case) addUUID() error {
	u, err := NewUUID()
	if err != nil {
		return err
	}
	c.Config.UUID = u
	return c.SaveConfig()
}

// NewUUID is a random (version 4) UUID in its textual form.
func NewUUID() (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return "", fmt.Errorf("case uuid: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
}

// IndexDir is where the full-text index lives.
func (c *Case) IndexDir() string { return filepath.Join(c.Dir, "index") }

// TempDir is scratch space for extractors, emptied when a writer opens.
func (c *Case) TempDir() string { return filepath.Join(c.Dir, "tmp") }

// Close releases the store and the lock.
func (c *Case) Close() error {
	var errs []error
	if c.Store != nil {
		errs = append(errs, c.Store.Close())
		c.Store = nil
	}
	if c.lock != nil {
		errs = append(errs, c.lock.Close())
		c.lock = nil
	}
	return errors.Join(errs...)
}
