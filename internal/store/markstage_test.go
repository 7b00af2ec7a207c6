package store

import (
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// TestMarkStageOK checks that a batch of marks is all or nothing: the index
// stage acknowledges a published segment in one call, and a failure half
// way must not leave some of its documents marked.
func TestMarkStageOK(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	a, b := leak.Hash([]byte("a")), leak.Hash([]byte("b"))
	for _, id := range []leak.ID{a, b} {
		if _, _, err := s.Found(ctx, 1, Occurrence{Root: "/r", Path: id.Short() + ".txt", Doc: id}, StageExtract, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FinishExtract(ctx, id, Extracted{Version: 1, Status: leak.StatusOK, Text: "Acme Telecom", Size: 1}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name        string
		marks       []StageMark
		wantErr     bool
		wantPending int64
	}{
		{name: "unknown document fails the whole batch", marks: []StageMark{{ID: a}, {ID: leak.Hash([]byte("absent"))}}, wantErr: true, wantPending: 2},
		{name: "empty batch", wantPending: 2},
		{name: "one", marks: []StageMark{{ID: a}}, wantPending: 1},
		{name: "both, one again", marks: []StageMark{{ID: a}, {ID: b}}, wantPending: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.MarkStageOK(ctx, "index", 1, tt.marks)
			if (err != nil) != tt.wantErr {
				t.Fatalf("MarkStageOK = %v, want error %v", err, tt.wantErr)
			}
			n, err := s.CountPendingStage(ctx, "index", 1)
			if err != nil || n != tt.wantPending {
				t.Errorf("pending %d, %v; want %d", n, err, tt.wantPending)
			}
		})
	}
}

// TestCountPendingExtract counts found documents whose extraction did not
// finish, which search reports as not searchable yet.
func TestCountPendingExtract(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	a, b := leak.Hash([]byte("a")), leak.Hash([]byte("b"))
	for _, id := range []leak.ID{a, b} {
		if _, _, err := s.Found(ctx, 1, Occurrence{Root: "/r", Path: id.Short() + ".txt", Doc: id}, StageExtract, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.CountPendingExtract(ctx); err != nil || n != 2 {
		t.Fatalf("before extraction: %d, %v; want 2", n, err)
	}
	if _, err := s.FinishExtract(ctx, a, Extracted{Version: 1, Status: leak.StatusOK, Text: "Acme Telecom", Size: 1}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountPendingExtract(ctx); err != nil || n != 1 {
		t.Errorf("after one extraction: %d, %v; want 1", n, err)
	}
}
