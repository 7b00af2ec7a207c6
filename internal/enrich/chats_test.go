package enrich

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// TestChatParseJSONPastTextCap checks the chats stage on a JSON-lines
// export longer than --max-text with one broken line: every other message
// is read from the stored file (not the capped text), the broken one is
// counted and flagged, and naive times take the zone of the document's
// language (Moscow for Russian), recorded on the result.
func TestChatParseJSONPastTextCap(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	const n = 400
	for i := range n {
		from := []string{"ivan", "olga"}[i%2]
		if i == 200 {
			b.WriteString(`{"date": "2021-03-04 10:00:00", "from": "ivan", "text": "оборванная` + "\n")
			continue
		}
		fmt.Fprintf(&b, `{"date": "2021-03-04 %02d:%02d:00", "from": %q, "text": "привет, как дела с поставкой номер %d"}`+"\n", 10+i/60, i%60, from, i)
	}
	dir := t.TempDir()
	writeLeak(t, dir, map[string]string{"chats/dump.jsonl": b.String()})

	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lim := leak.DefaultLimits()
	lim.MaxText = 4 << 10 // far less than the file
	if _, err := ingest.New(c, ingest.Options{Limits: lim}).Run(ctx, []string{dir}); err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, Stages(nil, nil), 0, nil); err != nil {
		t.Fatal(err)
	}
	var got []docChats
	var flags [][]string
	err = c.Store.DocResults(ctx, StageChats, ChatParseVersion, func(r store.DocResult) error {
		var dc docChats
		if err := json.Unmarshal(r.Data, &dc); err != nil {
			return err
		}
		got = append(got, dc)
		f, err := c.Store.DocFlags(ctx, r.Doc)
		flags = append(flags, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Conversations) != 1 {
		t.Fatalf("%d chat results, want one with one conversation: %+v", len(got), got)
	}
	dc := got[0]
	want := chat.Stats{Records: n, Messages: n - 1, Skipped: 1, Reasons: map[chat.SkipReason]int{chat.SkipSyntax: 1},
		Keys: map[string]string{"body": "text", "from": "from", "time": "date"}}
	if d := cmp.Diff(want, dc.Read); d != "" {
		t.Errorf("read counts (-want +got):\n%s", d)
	}
	if !slices.Contains(flags[0], FlagChatSkipped) {
		t.Errorf("flags %v, want %s", flags[0], FlagChatSkipped)
	}
	per := map[string]int{}
	for _, m := range dc.Conversations[0].Messages {
		per[m.Sender]++
	}
	if d := cmp.Diff(map[string]int{"ivan": 199, "olga": 200}, per); d != "" {
		t.Errorf("per-sender counts (-want +got):\n%s", d)
	}
	cv := dc.Conversations[0]
	first, last := cv.First().UTC().Format("2006-01-02 15:04"), cv.Last().UTC().Format("2006-01-02 15:04")
	if first != "2021-03-04 07:00" || last != "2021-03-04 13:39" {
		t.Errorf("first, last = %s, %s UTC; want 2021-03-04 07:00, 13:39 (Moscow time)", first, last)
	}
	if dc.ZoneFrom != chat.ZoneFromLanguage {
		t.Errorf("zone %q from %q, want from %q", dc.Zone, dc.ZoneFrom, chat.ZoneFromLanguage)
	}
}
