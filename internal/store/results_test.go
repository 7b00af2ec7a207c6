package store

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

// addDoc records an extracted document with one path.
func addDoc(t *testing.T, s *Store, content, path, status string) leak.ID {
	t.Helper()
	id := leak.Hash([]byte(content))
	occ := Occurrence{Root: "/r", Path: path, Doc: id, Size: int64(len(content))}
	if _, err := s.FinishExtract(t.Context(), id, Extracted{MIME: "text/plain", Version: 1, Status: status, Text: content,
		Size: int64(len(content)), Occ: &occ}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDocResults(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	a := addDoc(t, s, "alpha", "a.txt", leak.StatusOK)
	b := addDoc(t, s, "beta", "b.txt", leak.StatusOK)
	bad := addDoc(t, s, "broken", "c.txt", "error")
	for _, w := range []struct {
		id      leak.ID
		version int
		v       string
	}{{a, 1, "a1"}, {b, 1, "b1"}, {bad, 1, "x"}, {a, 2, "old version"}} {
		name := "demo"
		if w.version == 2 {
			name = "other"
		}
		if err := s.PutDocResult(ctx, w.id, name, w.version, w.v); err != nil {
			t.Fatal(err)
		}
	}
	seq, err := s.ResultSeq(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	// Replacing a's result moves it after b and gives it a new seq.
	if err := s.PutDocResult(ctx, a, "demo", 1, "a2"); err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.DocResults(ctx, "demo", 1, func(r DocResult) error {
		var v string
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return err
		}
		got = append(got, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The failed document's result is not combined.
	if diff := cmp.Diff([]string{"b1", "a2"}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	changed, err := s.ChangedDocResults(ctx, "demo", seq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]leak.ID{a}, changed); diff != "" {
		t.Errorf("changed since %d (-want +got):\n%s", seq, diff)
	}
	if after, _ := s.ResultSeq(ctx, "demo"); after <= seq {
		t.Errorf("seq %d after a rewrite, was %d", after, seq)
	}
	paths, err := s.AllPathsByDoc(ctx)
	if err != nil || len(paths) != 3 || paths[a][0] != "a.txt" {
		t.Errorf("AllPathsByDoc = %v, %v", paths, err)
	}
}

func TestAnalysisStamp(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	if st, v, err := s.AnalysisStamp(ctx, "x"); st != 0 || v != 0 || err != nil {
		t.Fatalf("never stored: %d %d %v", st, v, err)
	}
	if err := s.PutAnalysis(ctx, "x", 3, []int{1}); err != nil {
		t.Fatal(err)
	}
	first, v, err := s.AnalysisStamp(ctx, "x")
	if err != nil || first == 0 || v != 3 {
		t.Fatalf("stored: %d %d %v", first, v, err)
	}
	if err := s.PutAnalysis(ctx, "x", 3, []int{2}); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := s.AnalysisStamp(ctx, "x"); again == first {
		t.Errorf("stamp unchanged after a new store: %d", again)
	}
}

func TestTranslationCache(t *testing.T) {
	s := open(t)
	c := s.TranslationCache()
	for _, p := range []struct{ backend, lang, seg, tr string }{
		{"b", "zh-Hans", "seg", "one"}, {"b", "zh-Hans", "seg", "two"}, {"b", "zh-Hant", "seg", "trad"}, {"c", "zh-Hans", "seg", "other"},
	} {
		if err := c.Put(p.backend, p.lang, p.seg, p.tr); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, backend, lang, seg string
		want                     string
		ok                       bool
	}{
		{name: "replaced", backend: "b", lang: "zh-Hans", seg: "seg", want: "two", ok: true},
		{name: "language is part of the key", backend: "b", lang: "zh-Hant", seg: "seg", want: "trad", ok: true},
		{name: "miss", backend: "b", lang: "zh-Hans", seg: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := c.Get(tt.backend, tt.lang, tt.seg)
			if err != nil || ok != tt.ok || got != tt.want {
				t.Errorf("Get = %q, %v, %v; want %q, %v", got, ok, err, tt.want, tt.ok)
			}
		})
	}
	for backend, want := range map[string]int{"b": 2, "c": 1, "": 3} {
		if n, err := c.Count(backend); err != nil || n != want {
			t.Errorf("Count(%q) = %d, %v; want %d", backend, n, err, want)
		}
	}
}
