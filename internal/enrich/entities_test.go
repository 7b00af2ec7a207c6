package enrich

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// TestEntitiesCapped runs the entities stage over a one-line flood of
// addresses and a short note: the flood keeps at most the default caps,
// every distinct value before any repeat, and is flagged; the note keeps
// all its mentions and no flag.
func TestEntitiesCapped(t *testing.T) {
	ctx := t.Context()
	src := t.TempDir()
	var flood strings.Builder
	const distinct = 3 * entity.DefaultMaxPerKind
	for i := range distinct {
		fmt.Fprintf(&flood, "10.%d.%d.%d ", i>>16&255, i>>8&255, i&255)
	}
	for range 4 * entity.DefaultMaxMentions {
		flood.WriteString("ops@acme.example ")
	}
	files := map[string]string{
		"flood.txt": flood.String(),
		"note.txt":  "Nordhavn Shipping wrote to ops@acme.example from 192.0.2.7 twice: 192.0.2.7\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, []string{src}); err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{Entities{}}, 1, nil); err != nil {
		t.Fatal(err)
	}
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]store.DocInfo{}
	for _, d := range docs {
		for _, p := range d.Paths() {
			byPath[filepath.Base(p)] = d
		}
	}
	tests := []struct {
		name      string
		path      string
		wantFlag  bool
		wantIPv4  int // stored ipv4 mentions
		wantEmail int // at least this many email mentions
	}{
		{name: "flood", path: "flood.txt", wantFlag: true, wantIPv4: entity.DefaultMaxPerKind, wantEmail: 1},
		{name: "note", path: "note.txt", wantIPv4: 2, wantEmail: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := byPath[tt.path]
			if !ok {
				t.Fatalf("no document %s", tt.path)
			}
			ms, err := c.Store.DocEntities(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) > entity.DefaultMaxMentions {
				t.Errorf("%d mentions stored, cap %d", len(ms), entity.DefaultMaxMentions)
			}
			count := map[leak.Kind]int{}
			for _, m := range ms {
				count[m.Kind]++
			}
			if count[leak.KindIPv4] != tt.wantIPv4 || count[leak.KindEmail] < tt.wantEmail {
				t.Errorf("mentions by kind %v, want %d ipv4 and at least %d email", count, tt.wantIPv4, tt.wantEmail)
			}
			flags, err := c.Store.DocFlags(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(flags, entity.FlagTruncated); got != tt.wantFlag {
				t.Errorf("flags %v; %s = %v, want %v", flags, entity.FlagTruncated, got, tt.wantFlag)
			}
		})
	}
}
