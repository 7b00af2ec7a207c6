package enrich

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
	"github.com/leakscope/leakscope/internal/translate/gloss"
)

// writeLeak writes made-up files under dir.
func writeLeak(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ingestAndAnalyse ingests dirs into c and brings every stage and the
// analyses up to date, as the ingest command does (without an index).
func ingestAndAnalyse(t *testing.T, c *casedir.Case, dirs ...string) {
	t.Helper()
	ctx := context.Background()
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, dirs); err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, Stages(nil, nil), 0, nil); err != nil {
		t.Fatal(err)
	}
	if err := Analyse(ctx, c, nil, nil, false, nil); err != nil {
		t.Fatal(err)
	}
}

var firstLeak = map[string]string{
	"lists/targets.csv": "序号,目标单位,国家,数据量,时间\n1,北港航运公司,越南,3.2G,2021-03-04\n2,明湖大学,蒙古,800M,2021-05-06\n",
	"notes/a.txt":       "明湖大学的邮箱已经拿下，学生档案在整理。\n",
	"chats/group.md":    "**陈默** 2021-05-06 10:00\n北港航运公司的数据明天打包\n\n**林晓** 2021-05-06 10:05\n好的\n",
}

// secondLeak adds a document that writes a known target's name without
// a mention the register would find on its own (a bare spelling inside a
// sentence), a new target, and a new chat.
var secondLeak = map[string]string{
	"later/b.txt":     "关于北港航运公司的后续情况，见附件。\n",
	"later/c.txt":     "秘鲁白塔电信公司的数据已经导出，1.5G。\n",
	"later/chat2.md":  "**周航** 2021-06-01 09:00\n白塔电信公司的权限还在\n\n**吴桐** 2021-06-01 09:02\n收到\n",
	"later/empty.txt": "nothing to see\n",
}

// TestAnalysesIncremental checks that adding documents to a case and
// updating the analyses incrementally gives what a combine from scratch
// gives, that readers read what was stored, and that nothing is combined
// again when nothing changed.
func TestAnalysesIncremental(t *testing.T) {
	ctx := context.Background()
	first, second := t.TempDir(), t.TempDir()
	writeLeak(t, first, firstLeak)
	writeLeak(t, second, secondLeak)

	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := LoadTargets(ctx, c, nil); err != ErrNotAnalysed {
		t.Fatalf("before any analysis: %v, want ErrNotAnalysed", err)
	}
	ingestAndAnalyse(t, c, first)
	before, err := LoadTargets(ctx, c, nil)
	if err != nil || len(before) == 0 {
		t.Fatalf("targets after the first ingest: %d, %v", len(before), err)
	}
	stamp, _, _ := c.Store.AnalysisStamp(ctx, StageTargets)

	// Nothing changed: nothing is combined again.
	if err := Analyse(ctx, c, nil, nil, false, nil); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := c.Store.AnalysisStamp(ctx, StageTargets); again != stamp {
		t.Errorf("the register was stored again though nothing changed")
	}

	ingestAndAnalyse(t, c, first, second)
	incremental, err := LoadTargets(ctx, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	chatsIncremental, err := LoadChats(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	// The evidence search found the new document that only writes a
	// known target's name.
	found := false
	for _, tg := range incremental {
		for _, e := range tg.Evidence {
			found = found || e.Path == "later/b.txt"
		}
	}
	if !found {
		t.Errorf("no target has evidence from later/b.txt: %+v", names(incremental))
	}
	if len(incremental) <= len(before) {
		t.Errorf("targets %v after adding a new one, were %v", names(incremental), names(before))
	}

	// A combine from scratch (no evidence cache) gives the same.
	if err := c.Store.PutAnalysis(ctx, "targets-evidence", TargetsVersion, evidenceCache{}); err != nil {
		t.Fatal(err)
	}
	full, err := UpdateTargets(ctx, c, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, incremental); diff != "" {
		t.Errorf("incremental register differs from a full combine (-full +incremental):\n%s", diff)
	}
	chatsFull, err := UpdateChats(ctx, c, true)
	if err != nil {
		t.Fatal(err)
	}
	chatsFull.Seq = chatsIncremental.Seq
	if diff := cmp.Diff(chatsFull, chatsIncremental); diff != "" {
		t.Errorf("incremental chats differ from a full resolution (-full +incremental):\n%s", diff)
	}
	if n := len(chatsIncremental.Conversations); n != 2 {
		t.Errorf("%d conversations, want 2", n)
	}
	// The links and the timeline follow, stored for readers.
	if tl, err := LoadTimeline(ctx, c); err != nil || len(tl.Messages) == 0 {
		t.Errorf("timeline: %d message days, %v", len(tl.Messages), err)
	}
	if links, err := LoadTargetLinks(ctx, c); err != nil || len(links) == 0 {
		t.Errorf("target links: %v, %v", links, err)
	}
}

func names(ts []target.Target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

// TestReuseScanSameObservation checks that observing a document with the
// entities stage's matches gives what observing it with its own scan
// gives, for prose, tables and pages.
func TestReuseScanSameObservation(t *testing.T) {
	texts := []string{
		"明湖大学的邮箱已经拿下，学生档案在整理，2.3G，2021年5月6日。\nNordhavn Shipping mailbox dumped, 1.2G.",
		"序号,目标单位,国家,数据量\n1,北港航运公司,越南,3.2G\n备注：白塔电信公司的权限还在\n",
		"no organisation here, only 192.0.2.1 and a date 2021-03-04",
		"",
	}
	for _, text := range texts {
		ms, truncated := registry.ScanCapped([]byte(text), entity.Caps{})
		if truncated {
			t.Fatalf("capped: %q", text)
		}
		d := targetDoc(store.DocInfo{MIME: "text/plain"}, text, nil)
		want := target.Observe(d, target.Options{Fold: lang.Fold})
		got := target.Observe(d, target.Options{Fold: lang.Fold, Scan: reuseScan(text, ms)})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-own scan +reused):\n%s", text, diff)
		}
	}
}

func TestCacheKey(t *testing.T) {
	tests := []struct{ backend, want string }{
		{gloss.Name, gloss.Name + "#r" + strconv.Itoa(gloss.Revision)},
		{gloss.NameNoDict, gloss.NameNoDict + "#r" + strconv.Itoa(gloss.Revision)},
		{"openai:qwen", "openai:qwen"}, // a model's translations do not change with leakscope
	}
	for _, tt := range tests {
		if got := cacheKey(tt.backend); got != tt.want {
			t.Errorf("cacheKey(%q) = %q, want %q", tt.backend, got, tt.want)
		}
	}
}
