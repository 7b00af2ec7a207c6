package caseview

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/index"
)

func TestExplore(t *testing.T) {
	start := time.Now()
	d := theDemo(t)
	t.Logf("built in %s, index %s", time.Since(start), d.indexDur)
	b := New(d.c, d.idx, nil)
	ctx := t.Context()
	st, err := b.Stats(ctx)
	t.Logf("%+v %v", st, err)
	ch, err := b.Chats(ctx)
	j, _ := json.MarshalIndent(ch, "", " ")
	t.Logf("%s %v", j, err)
	ts, err := b.Targets(ctx)
	j, _ = json.MarshalIndent(ts, "", " ")
	t.Logf("%s %v", j, err)
	tr, _ := json.MarshalIndent(d.manifest.Truth.Targets, "", " ")
	t.Logf("%s", tr)
	for _, q := range []string{"kind:message", "目标", "kind:document"} {
		r, err := b.Search(ctx, index.Query{Text: q, Limit: 50})
		j, _ = json.MarshalIndent(r, "", " ")
		t.Logf("%s %s %v", q, j, err)
	}
}
