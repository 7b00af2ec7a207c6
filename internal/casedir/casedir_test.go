package casedir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// newCase creates a case with a few documents and closes it.
func newCase(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	c, err := Open(t.Context(), dir, Write)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		body := strings.Repeat("Acme Telecom invoice ", i+1)
		id := leak.Hash([]byte(body))
		if _, err := c.Store.FinishExtract(t.Context(), id, store.Extracted{Status: leak.StatusOK, Version: 1, Text: body, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenReopens(t *testing.T) {
	dir := newCase(t)
	for _, mode := range []Mode{Write, ReadOnly} {
		c, err := Open(t.Context(), dir, mode)
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		n, err := c.Store.Counts(t.Context())
		c.Close()
		if err != nil || n.Documents != 200 {
			t.Fatalf("mode %d: %+v, %v", mode, n, err)
		}
	}
}

// TestOpenDamaged checks that a lost, truncated or corrupt case.db is
// reported as a DamagedError rather than opened as a new, empty case.
func TestOpenDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, db string)
		modes  []Mode
	}{
		{"db deleted", func(t *testing.T, db string) { must(t, os.Remove(db)) }, []Mode{Write, ReadOnly}},
		{"db truncated to zero", func(t *testing.T, db string) { must(t, os.Truncate(db, 0)) }, []Mode{Write, ReadOnly}},
		// Only a writer pays for quick_check on open.
		{"db page overwritten", func(t *testing.T, db string) {
			f, err := os.OpenFile(db, os.O_RDWR, 0)
			must(t, err)
			_, err = f.WriteAt([]byte(strings.Repeat("\xa5", 4*4096)), 2*4096)
			must(t, err)
			must(t, f.Close())
		}, []Mode{Write}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newCase(t)
			tt.damage(t, DBPath(dir))
			_, statBefore := os.Stat(DBPath(dir))
			for _, mode := range tt.modes {
				c, err := Open(t.Context(), dir, mode)
				if err == nil {
					c.Close()
				}
				var de *DamagedError
				if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
					t.Fatalf("mode %d: Open = %v, want a DamagedError", mode, err)
				}
				if !strings.Contains(err.Error(), "check-case") {
					t.Errorf("error %q has no hint to run check-case", err)
				}
			}
			if _, err := os.Stat(DBPath(dir)); errors.Is(statBefore, os.ErrNotExist) && err == nil {
				t.Errorf("Open created a new case.db in place of the lost one")
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestOpenCreateFails checks that a case Open fails to create is removed,
// and that a folder the user made beforehand keeps exactly its entries.
func TestOpenCreateFails(t *testing.T) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		prepare func(t *testing.T, dir string) // nil: dir does not exist
		want    []string
	}{
		{"new folder, store fails", canceled, nil, nil},
		{"existing folder, store fails", canceled, func(t *testing.T, dir string) {
			must(t, os.MkdirAll(dir, 0o700))
			must(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Nordhavn"), 0o600))
		}, []string{"notes.txt"}},
		{"existing folder, case.db is a folder", t.Context(), func(t *testing.T, dir string) {
			must(t, os.MkdirAll(filepath.Join(dir, "case.db"), 0o700))
		}, []string{"case.db"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "case")
			if tt.prepare != nil {
				tt.prepare(t, dir)
			}
			c, err := Open(tt.ctx, dir, Write)
			if err == nil {
				c.Close()
				t.Fatal("Open succeeded")
			}
			if diff := cmp.Diff(tt.want, names(t, dir)); diff != "" {
				t.Errorf("left behind (-want +got):\n%s", diff)
			}
			if tt.prepare == nil {
				if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("case folder left behind: %v", err)
				}
			}
		})
	}
}

// TestCaseJSONLast: a database without case.json (a crash during
// creation) is completed by the next writer, not refused.
func TestCaseJSONLast(t *testing.T) {
	dir := newCase(t)
	must(t, os.Remove(filepath.Join(dir, "case.json")))
	if _, err := Open(t.Context(), dir, ReadOnly); !errors.Is(err, ErrNoCase) {
		t.Fatalf("ReadOnly without case.json: %v, want ErrNoCase", err)
	}
	c, err := Open(t.Context(), dir, Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.Store.Counts(t.Context())
	if err != nil || n.Documents != 200 {
		t.Fatalf("%+v, %v: the existing database was not kept", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "case.json")); err != nil {
		t.Fatal(err)
	}
}
