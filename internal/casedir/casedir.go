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
package casedir

import (
	"context"
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

// Mode says whether a case is opened for writing.
type Mode int

const (
	ReadOnly Mode = iota // no lock; the case must exist
	Write                // exclusive lock; the case is created if missing
)

// Open opens the case in dir. In Write mode it creates the case if needed
// and takes the lock; ErrLocked means another writer is running.
func Open(ctx context.Context, dir string, mode Mode) (*Case, error) {
	// Absolute, because blob paths are handed to tools that run in other
	// working directories.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	c := &Case{Dir: dir}
	cfgPath := filepath.Join(dir, "case.json")
	_, err := os.Stat(cfgPath)
	switch {
	case errors.Is(err, os.ErrNotExist) && mode == Write:
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create case: %w", err)
		}
		c.Config = Config{Version: 1, Translator: "gloss"}
		if err := c.SaveConfig(); err != nil {
			return nil, err
		}
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
	}
	if mode == Write {
		f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, fmt.Errorf("lock case: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
		}
		c.lock = f
	}
	c.Blobs, err = blob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		c.Close()
		return nil, err
	}
	if mode == Write {
		c.Blobs.CleanTemp()
		os.RemoveAll(c.TempDir())
		os.MkdirAll(c.TempDir(), 0o700)
	}
	c.Store, err = store.Open(ctx, filepath.Join(dir, "case.db"))
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
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

// IndexDir is where the full-text index lives.
func (c *Case) IndexDir() string { return filepath.Join(c.Dir, "index") }

// TempDir is scratch space for extractors, emptied when a writer opens.
func (c *Case) TempDir() string { return filepath.Join(c.Dir, "tmp") }

// Close releases the store and the lock.
func (c *Case) Close() error {
	var errs []error
	if c.Store != nil {
		errs = append(errs, c.Store.Close())
	}
	if c.lock != nil {
		errs = append(errs, c.lock.Close())
	}
	return errors.Join(errs...)
}
