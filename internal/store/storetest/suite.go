// Package storetest is the conformance suite every store backend passes:
// the embedded SQLite store today, PostgreSQL next. Each subtest gets a
// fresh, empty store from open and checks one role's contract as the
// pipeline relies on it, so that a second backend is done when it passes
// (restic's internal/backend/test is the model).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Run runs the suite against stores made by open. open must return a new,
// empty store; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) store.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Backend)
	}{
		{"Documents", testDocuments},
		{"Resolve", testResolve},
		{"Stages", testStages},
		{"Entities", testEntities},
		{"DocResults", testDocResults},
		{"Analyses", testAnalyses},
		{"Translations", testTranslations},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

// extracted records a document found at paths with text and status.
func extracted(t *testing.T, s store.Backend, text, status string, paths ...string) leak.ID {
	t.Helper()
	ctx := t.Context()
	id := leak.Hash([]byte(text + "|" + status))
	for i, p := range paths {
		o := store.Occurrence{Root: "/leak", Path: p, Doc: id, Size: int64(len(text)), ModTime: time.Unix(1600000000, 0)}
		if i == 0 {
			if _, err := s.FinishExtract(ctx, id, store.Extracted{MIME: "text/plain", Extractor: "text", Version: 1,
				Status: status, Text: text, Size: int64(len(text)), Occ: &o,
				Pages: []store.Page{{Number: 1, Start: 0, End: len(text)}}}); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, _, err := s.Found(ctx, int64(len(text)), o, store.StageExtract, 1); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func testDocuments(t *testing.T, s store.Backend) {
	ctx := t.Context()
	id := leak.Hash([]byte("alpha"))
	o := store.Occurrence{Root: "/leak", Path: "notes/a.txt", Doc: id, Size: 5}
	created, done, err := s.Found(ctx, 5, o, store.StageExtract, 1)
	if err != nil || !created || done {
		t.Fatalf("first Found: created %v done %v err %v; want a new document to extract", created, done, err)
	}
	if _, err := s.FinishExtract(ctx, id, store.Extracted{MIME: "text/plain", Version: 1, Status: leak.StatusOK, Text: "alpha",
		Artifacts: map[string][]byte{"boxes": []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	// The same content found elsewhere is the same document, already done.
	created, done, err = s.Found(ctx, 5, store.Occurrence{Root: "/leak", Path: "copy/a.txt", Doc: id, Size: 5}, store.StageExtract, 1)
	if err != nil || created || !done {
		t.Fatalf("duplicate Found: created %v done %v err %v; want a known, finished document", created, done, err)
	}
	// A newer extractor version is not done.
	if _, done, _ := s.Found(ctx, 5, o, store.StageExtract, 2); done {
		t.Errorf("Found at a newer version says done")
	}
	d, err := s.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"copy/a.txt", "notes/a.txt"}, d.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if d.Status != leak.StatusOK || d.MIME != "text/plain" {
		t.Errorf("document %+v", d)
	}
	if text, _, err := s.Text(ctx, id); err != nil || text != "alpha" {
		t.Errorf("Text = %q, %v", text, err)
	}
	if b, err := s.Artifact(ctx, id, "boxes"); err != nil || string(b) != "x" {
		t.Errorf("Artifact = %q, %v", b, err)
	}
	if _, err := s.Artifact(ctx, id, "none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing artifact: %v, want ErrNotFound", err)
	}
	if _, err := s.Document(ctx, leak.Hash([]byte("never"))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown document: %v, want ErrNotFound", err)
	}
	// A member that could not be stored is an occurrence without a
	// document, listed as a problem.
	bad := store.Occurrence{Root: "/leak", Path: "x.zip!/../evil", Error: "unsafe path"}
	if err := s.PutOccurrence(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.LookupOccurrence(ctx, "/leak", "x.zip!/../evil"); err != nil || !ok || got.Error != "unsafe path" {
		t.Errorf("LookupOccurrence = %+v, %v, %v", got, ok, err)
	}
	probs, err := s.Problems(ctx)
	if err != nil || !slices.ContainsFunc(probs, func(p store.Occurrence) bool { return p.Path == bad.Path }) {
		t.Errorf("Problems = %+v, %v; want the unsafe member", probs, err)
	}
	var texts []string
	if err := s.ForEachText(ctx, func(d store.DocInfo, text string) error { texts = append(texts, text); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alpha"}, texts); diff != "" {
		t.Errorf("ForEachText (-want +got):\n%s", diff)
	}
	byDoc, err := s.AllPathsByDoc(ctx)
	if err != nil || len(byDoc[id]) != 2 {
		t.Errorf("AllPathsByDoc = %v, %v", byDoc, err)
	}
}

func testResolve(t *testing.T, s store.Backend) {
	ctx := t.Context()
	a := extracted(t, s, "a", leak.StatusOK, "dir/a.txt")
	b := extracted(t, s, "b", leak.StatusOK, "b.zip!/in/b.txt")
	tests := []struct {
		name    string
		ref     string
		want    leak.ID
		wantErr error
	}{
		{name: "full hash", ref: a.String(), want: a},
		{name: "path", ref: "dir/a.txt", want: a},
		{name: "member path", ref: "b.zip!/in/b.txt", want: b},
		{name: "prefix", ref: b.String()[:10], want: b},
		{name: "unknown path", ref: "nope.txt", wantErr: store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(ctx, tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Resolve(%q) error %v, want %v", tt.ref, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Resolve(%q) = %v, %v; want %v", tt.ref, got.Short(), err, tt.want.Short())
			}
		})
	}
}

func testStages(t *testing.T, s store.Backend) {
	ctx := t.Context()
	a := extracted(t, s, "a", leak.StatusOK, "a.txt")
	b := extracted(t, s, "b", leak.StatusOK, "b.txt")
	extracted(t, s, "", "unsupported", "c.bin") // no text: no later stage
	pending := func(version int) []leak.ID {
		t.Helper()
		ids, err := s.PendingStage(ctx, "lang", version, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.CountPendingStage(ctx, "lang", version)
		if err != nil || n != int64(len(ids)) {
			t.Fatalf("CountPendingStage = %d, %v; PendingStage listed %d", n, err, len(ids))
		}
		return ids
	}
	want := []leak.ID{a, b}
	slices.SortFunc(want, func(x, y leak.ID) int { return cmpString(x.String(), y.String()) })
	if diff := cmp.Diff(want, pending(1)); diff != "" {
		t.Errorf("pending before any run (-want +got):\n%s", diff)
	}
	if err := s.SetStage(ctx, a, "lang", 1, leak.StatusOK, "", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkStageOK(ctx, "lang", 1, []store.StageMark{{ID: b}}); err != nil {
		t.Fatal(err)
	}
	if got := pending(1); len(got) != 0 {
		t.Errorf("pending after both ran: %v", got)
	}
	if got := pending(2); len(got) != 2 {
		t.Errorf("a new version re-runs every document, pending %d", len(got))
	}
	if done, err := s.StageDone(ctx, a, "lang", 1); err != nil || !done {
		t.Errorf("StageDone = %v, %v", done, err)
	}
	if err := s.SetStage(ctx, b, "lang", 1, "error", "bad", 0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ResetStage(ctx, "lang", true); err != nil || n != 1 {
		t.Errorf("ResetStage(failed only) = %d, %v; want 1", n, err)
	}
	if diff := cmp.Diff([]leak.ID{b}, pending(1)); diff != "" {
		t.Errorf("pending after resetting the failure (-want +got):\n%s", diff)
	}
	if n, err := s.ResetStageFor(ctx, "lang", []leak.ID{a}); err != nil || n != 1 {
		t.Errorf("ResetStageFor = %d, %v", n, err)
	}
	stats, err := s.StageStats(ctx)
	if err != nil || len(stats) == 0 {
		t.Errorf("StageStats = %v, %v", stats, err)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testEntities(t *testing.T, s store.Backend) {
	ctx := t.Context()
	a := extracted(t, s, "ip 192.0.2.1", leak.StatusOK, "a.txt", "copy/a.txt")
	b := extracted(t, s, "again 192.0.2.1", leak.StatusOK, "b.txt")
	m := store.Mention{Kind: leak.KindIPv4, Value: "192.0.2.1", Norm: "192.0.2.1", Start: 3, End: 12}
	if err := s.PutEntities(ctx, a, []store.Mention{m, {Kind: leak.KindIPv4, Value: "192.0.2.9", Norm: "192.0.2.9"}}); err != nil {
		t.Fatal(err)
	}
	// Put replaces a document's mentions.
	if err := s.PutEntities(ctx, a, []store.Mention{m}); err != nil {
		t.Fatal(err)
	}
	m.Start, m.End = 6, 15
	if err := s.PutEntities(ctx, b, []store.Mention{m}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DocEntities(ctx, a)
	if err != nil || len(got) != 1 || got[0].Start != 3 {
		t.Errorf("DocEntities = %+v, %v", got, err)
	}
	sum, err := s.Entities(ctx, string(leak.KindIPv4))
	if err != nil || len(sum) != 1 {
		t.Fatalf("Entities = %+v, %v; want one value", sum, err)
	}
	if diff := cmp.Diff([]string{"a.txt", "b.txt", "copy/a.txt"}, sum[0].Paths); diff != "" || sum[0].Count != 2 {
		t.Errorf("summary count %d paths (-want +got):\n%s", sum[0].Count, diff)
	}
}

func testDocResults(t *testing.T, s store.Backend) {
	ctx := t.Context()
	a := extracted(t, s, "a", leak.StatusOK, "a.txt")
	b := extracted(t, s, "b", leak.StatusOK, "b.txt")
	salvaged := extracted(t, s, "salvaged", "error", "broken.pdf")
	for _, w := range []struct {
		id leak.ID
		v  string
	}{{a, "a1"}, {b, "b1"}, {salvaged, "s1"}} {
		if err := s.PutDocResult(ctx, w.id, "demo", 1, w.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutDocResult(ctx, a, "demo", 2, "other version"); err != nil {
		t.Fatal(err)
	}
	seq, err := s.ResultSeq(ctx, "demo")
	if err != nil || seq == 0 {
		t.Fatalf("ResultSeq = %d, %v", seq, err)
	}
	if err := s.PutDocResult(ctx, b, "demo", 1, "b2"); err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.DocResults(ctx, "demo", 1, func(r store.DocResult) error {
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
	// In write order; a's result is now at version 2 and left out.
	if diff := cmp.Diff([]string{"s1", "b2"}, got); diff != "" {
		t.Errorf("DocResults (-want +got):\n%s", diff)
	}
	changed, err := s.ChangedDocResults(ctx, "demo", seq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]leak.ID{b}, changed); diff != "" {
		t.Errorf("changed since %d (-want +got):\n%s", seq, diff)
	}
	if after, _ := s.ResultSeq(ctx, "demo"); after <= seq {
		t.Errorf("ResultSeq %d after a rewrite, was %d: it must grow", after, seq)
	}
}

func testAnalyses(t *testing.T, s store.Backend) {
	ctx := t.Context()
	var v []int
	if _, err := s.Analysis(ctx, "x", &v); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("never stored: %v, want ErrNotFound", err)
	}
	if st, _, err := s.AnalysisStamp(ctx, "x"); err != nil || st != 0 {
		t.Fatalf("stamp of nothing: %d, %v", st, err)
	}
	if err := s.PutAnalysis(ctx, "x", 3, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	first, _, _ := s.AnalysisStamp(ctx, "x")
	if ver, err := s.Analysis(ctx, "x", &v); err != nil || ver != 3 || len(v) != 2 {
		t.Fatalf("Analysis = %v, %d, %v", v, ver, err)
	}
	if err := s.PutAnalysis(ctx, "x", 3, []int{3}); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := s.AnalysisStamp(ctx, "x"); again == first {
		t.Errorf("AnalysisStamp unchanged after a new PutAnalysis")
	}
	g1, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := extracted(t, s, "new", leak.StatusOK, "new.txt")
	if err := s.SetStage(ctx, id, "lang", 1, leak.StatusOK, "", 0); err != nil {
		t.Fatal(err)
	}
	if g2, _ := s.Generation(ctx); g2 == g1 {
		t.Errorf("Generation unchanged after a new document and stage")
	}
}

func testTranslations(t *testing.T, s store.Backend) {
	ctx := context.Background()
	id := extracted(t, s, "你好", leak.StatusOK, "hi.txt")
	if _, _, err := s.Translation(ctx, id, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no translation yet: %v, want ErrNotFound", err)
	}
	for _, p := range []struct{ backend, text string }{{"gloss", "hello (gloss)"}, {"llm", "hello"}} {
		if err := s.PutTranslation(ctx, id, p.backend, p.text); err != nil {
			t.Fatal(err)
		}
	}
	if b, text, err := s.Translation(ctx, id, "gloss"); err != nil || b != "gloss" || text != "hello (gloss)" {
		t.Errorf("Translation(gloss) = %q %q %v", b, text, err)
	}
	if b, _, err := s.Translation(ctx, id, ""); err != nil || b != "llm" {
		t.Errorf("Translation(any) = %q, %v; want the latest, llm", b, err)
	}
	c := s.TranslationCache()
	if err := c.Put("gloss", "zh-Hans", "你好", "hello"); err != nil {
		t.Fatal(err)
	}
	if err := c.Put("gloss", "zh-Hans", "你好", "hi"); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := c.Get("gloss", "zh-Hans", "你好"); err != nil || !ok || got != "hi" {
		t.Errorf("cache Get = %q, %v, %v; want the replacement", got, ok, err)
	}
	if _, ok, _ := c.Get("gloss", "zh-Hant", "你好"); ok {
		t.Errorf("the source language is part of the key")
	}
	if n, err := c.Count(""); err != nil || n != 1 {
		t.Errorf("Count = %d, %v", n, err)
	}
}
