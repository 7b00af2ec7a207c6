package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/ingest"
)

// TestChatLossShown checks that a chat export with unreadable records is
// not a silent ok document: `errors` lists it with the counts, `status`
// sums them, and `chats --explain` shows the keys the parser chose.
func TestChatLossShown(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	lines := []string{
		`{"ts": 1600000000, "from": "alice", "body": "the Acme shipment"}`,
		`{"ts": 1600000060, "from": "bob", "body": "cut short`,
		`{"ts": 1600000120, "from": "bob", "body": "tomorrow"}`,
		`{"ts": 1600000180, "from": "alice", "body": "ok"}`,
	}
	if err := os.WriteFile(filepath.Join(dump, "chat.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	caseDir := filepath.Join(t.TempDir(), "case")
	c, err := casedir.Open(ctx, caseDir, casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.New(c, ingest.Options{Workers: 1}).Run(ctx, []string{dump}); err != nil {
		c.Close()
		t.Fatal(err)
	}
	err = ingest.RunStages(ctx, c, enrich.Stages(nil, nil), 0, nil)
	c.Close()
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := runErrors(ctx, cliGlobals(caseDir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	var errs []errorJSON
	if err := json.Unmarshal(out.Bytes(), &errs); err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Path != "chat.jsonl" || errs[0].Status != enrich.FlagChatSkipped ||
		errs[0].Error != "1 of 4 chat records could not be read (syntax 1)" {
		t.Errorf("errors = %+v, want chat.jsonl with 1 of 4 records skipped", errs)
	}

	out.Reset()
	if err := runChatsExplain(ctx, cliGlobals(caseDir, "json", &out), "chat.jsonl"); err != nil {
		t.Fatal(err)
	}
	var ex enrich.ChatExplanation
	if err := json.Unmarshal(out.Bytes(), &ex); err != nil {
		t.Fatal(err)
	}
	wantKeys := map[string]string{"from": "from", "body": "body", "time": "ts"}
	if d := cmp.Diff(wantKeys, ex.Read.Keys); d != "" || len(ex.Conversations) != 1 || ex.Conversations[0].Messages != 3 {
		t.Errorf("explain keys (-want +got):\n%s\nconversations %+v, want one of 3 messages", d, ex.Conversations)
	}

	out.Reset()
	if err := runStatus(ctx, cliGlobals(caseDir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	var st statusJSON
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if want := (chatLossJSON{Documents: 1, Skipped: 1, Records: 4}); st.ChatLoss != want {
		t.Errorf("status chat_loss = %+v, want %+v", st.ChatLoss, want)
	}
}
