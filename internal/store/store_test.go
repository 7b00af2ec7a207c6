package store

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrate(t *testing.T) {
	s := open(t)
	v, err := s.SchemaVersion(t.Context())
	if err != nil || v != LatestSchema() || v < 2 {
		t.Fatalf("schema %d, %v; want %d", v, err, LatestSchema())
	}
}

// TestOldCases opens a copy of a case database of every past schema
// version kept under testdata/cases and checks it migrates with its data.
func TestOldCases(t *testing.T) {
	dbs, _ := filepath.Glob("testdata/cases/*/case.db")
	if len(dbs) == 0 {
		t.Fatal("no old case fixtures under testdata/cases")
	}
	for _, src := range dbs {
		t.Run(filepath.Base(filepath.Dir(src)), func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "case.db")
			copyFile(t, src, dst)
			s, err := Open(t.Context(), dst)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c, err := s.Counts(t.Context())
			if err != nil || c.Documents == 0 || c.Occurrences == 0 {
				t.Fatalf("counts %+v, %v: the fixture's data did not survive", c, err)
			}
			if v, _ := s.SchemaVersion(t.Context()); v != LatestSchema() {
				t.Fatalf("schema %d after open, want %d", v, LatestSchema())
			}
		})
	}
}

func copyFile(t *testing.T, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

func TestFoundIdempotent(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	id := leak.Hash([]byte("a"))
	occ := Occurrence{Root: "/r", Path: "x/a.txt", Doc: id, ModTime: time.Unix(100, 0), Size: 1}
	tests := []struct {
		name        string
		occ         Occurrence
		wantCreated bool
	}{
		{name: "first", occ: occ, wantCreated: true},
		{name: "same again", occ: occ},
		{name: "second path", occ: Occurrence{Root: "/r", Path: "y/a-copy.txt", Doc: id, Size: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, done, err := s.Found(ctx, 1, tt.occ, StageExtract, 1)
			if err != nil || created != tt.wantCreated || done {
				t.Fatalf("created %v done %v err %v", created, done, err)
			}
		})
	}
	if _, err := s.FinishExtract(ctx, id, Extracted{MIME: "text/plain", Version: 1, Status: leak.StatusOK, Text: "a",
		Meta: map[string]string{"charset": "utf-8"}, Artifacts: map[string][]byte{"x": []byte("y")}}); err != nil {
		t.Fatal(err)
	}
	_, done, err := s.Found(ctx, 1, occ, StageExtract, 1)
	if err != nil || !done {
		t.Fatalf("after FinishExtract: done %v, %v", done, err)
	}
	d, err := s.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"x/a.txt", "y/a-copy.txt"}, d.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if d.Meta["charset"] != "utf-8" || d.MIME != "text/plain" || d.Status != "ok" {
		t.Errorf("document %+v", d)
	}
	if b, err := s.Artifact(ctx, id, "x"); err != nil || string(b) != "y" {
		t.Errorf("artifact %q %v", b, err)
	}
	if _, err := s.Artifact(ctx, id, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing artifact: %v", err)
	}
}

func TestResolve(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	a, b := leak.Hash([]byte("a")), leak.Hash([]byte("b"))
	for _, o := range []Occurrence{{Root: "/r", Path: "dir/a.txt", Doc: a}, {Root: "/r", Path: "b.zip!/in/b.txt", Doc: b}} {
		if _, _, err := s.Found(ctx, 1, o, StageExtract, 1); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		ref     string
		want    leak.ID
		wantErr error
	}{
		{name: "full id", ref: a.String(), want: a},
		{name: "prefix", ref: b.String()[:8], want: b},
		{name: "path", ref: "dir/a.txt", want: a},
		{name: "member path", ref: "b.zip!/in/b.txt", want: b},
		{name: "unknown", ref: "nope.txt", wantErr: ErrNotFound},
		{name: "short prefix", ref: "abc", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(ctx, tt.ref)
			if !errors.Is(err, tt.wantErr) || got != tt.want && tt.wantErr == nil {
				t.Fatalf("got %s, %v", got, err)
			}
		})
	}
}

func TestStagesAndFailures(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	ok, bad := leak.Hash([]byte("ok")), leak.Hash([]byte("bad"))
	for i, id := range []leak.ID{ok, bad} {
		if _, _, err := s.Found(ctx, 1, Occurrence{Root: "/r", Path: string(rune('a' + i)), Doc: id}, StageExtract, 1); err != nil {
			t.Fatal(err)
		}
	}
	s.FinishExtract(ctx, ok, Extracted{Version: 1, Status: "ok", Text: "fine"})
	s.FinishExtract(ctx, bad, Extracted{Version: 1, Status: "error", Error: "zip: limit ratio: 300 > 200"})
	pending, err := s.PendingStage(ctx, "lang", 1, "", 10)
	if err != nil || len(pending) != 1 || pending[0] != ok {
		t.Fatalf("pending lang = %v, %v; want only the ok document", pending, err)
	}
	reasons, err := s.ErrorReasons(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]ReasonCount{{Status: "error", Reason: "zip: limit ratio: N > N", Count: 1}}, reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	n, err := s.ResetFailedExtract(ctx)
	if err != nil || n != 1 {
		t.Fatalf("reset %d, %v", n, err)
	}
	left, err := s.PendingExtract(ctx)
	if err != nil || len(left) != 1 || left[0].Doc != bad {
		t.Fatalf("pending extract %v, %v", left, err)
	}
}

func TestEntitiesAndAnalyses(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	id := leak.Hash([]byte("e"))
	s.Found(ctx, 1, Occurrence{Root: "/r", Path: "e.txt", Doc: id}, StageExtract, 1)
	s.FinishExtract(ctx, id, Extracted{Version: 1, Status: "ok", Text: "192.0.2.1 and 192.0.2[.]1"})
	err := s.PutEntities(ctx, id, []Mention{
		{Kind: leak.KindIPv4, Value: "192.0.2.1", Norm: "192.0.2.1", Start: 0, End: 9},
		{Kind: leak.KindIPv4, Value: "192.0.2[.]1", Norm: "192.0.2.1", Start: 14, End: 25},
	})
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Entities(ctx, "ipv4")
	if err != nil {
		t.Fatal(err)
	}
	want := []EntitySummary{{Type: "ipv4", Value: "192.0.2.1", Count: 2, Paths: []string{"e.txt"}, Forms: []string{"192.0.2[.]1"}}}
	if diff := cmp.Diff(want, es); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	type result struct{ N int }
	if _, err := s.Analysis(ctx, "x", &result{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing analysis: %v", err)
	}
	if err := s.PutAnalysis(ctx, "x", 3, result{7}); err != nil {
		t.Fatal(err)
	}
	var got result
	if v, err := s.Analysis(ctx, "x", &got); err != nil || v != 3 || got.N != 7 {
		t.Fatalf("analysis %d %+v %v", v, got, err)
	}
}

// TestFinishExtractRecordsNewDocument checks the one-transaction path of a
// new file: the document, its occurrence and its extraction together.
func TestFinishExtractRecordsNewDocument(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	id := leak.Hash([]byte("new"))
	occ := Occurrence{Root: "/r", Path: "n.txt", Doc: id, Size: 3}
	created, err := s.FinishExtract(ctx, id, Extracted{Version: 1, Status: "ok", Text: "new", Size: 3, Occ: &occ})
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	if created, err = s.FinishExtract(ctx, id, Extracted{Version: 1, Status: "ok", Text: "new", Size: 3, Occ: &occ}); err != nil || created {
		t.Fatalf("again: created %v, %v", created, err)
	}
	d, err := s.Document(ctx, id)
	if err != nil || d.Size != 3 || len(d.Paths()) != 1 || d.Paths()[0] != "n.txt" {
		t.Fatalf("document %+v, %v", d, err)
	}
	if done, _ := s.StageDone(ctx, id, StageExtract, 1); !done {
		t.Fatal("stage not done")
	}
}
