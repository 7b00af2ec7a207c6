package caseview

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/server"
)

func TestContainers(t *testing.T) {
	tests := []struct {
		name string
		path string
		want []string
	}{
		{name: "top level", path: "notes/a.txt", want: nil},
		{name: "one archive", path: "a.zip!/b.txt", want: []string{"a.zip"}},
		{name: "nested", path: "x.tar.gz!/d/a.zip!/inner/f.docx", want: []string{"x.tar.gz", "x.tar.gz!/d/a.zip"}},
		{name: "git", path: "repo.bundle!/HEAD/notes/k.md", want: []string{"repo.bundle"}},
		{name: "mbox attachment", path: "mail/box.mbox!/3/x.pdf", want: []string{"mail/box.mbox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Containers(tt.path)); diff != "" {
				t.Errorf("Containers(%q) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// resolve maps a demo path to its document ID in the case.
func (d *demoCase) resolve(t *testing.T, p string) string {
	t.Helper()
	id, err := d.c.Store.Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve %s: %v", p, err)
	}
	return id.String()
}

// TestSearchFindsTruth searches every target of the demo truth by all its
// spellings (Chinese simplified and traditional, English) and expects
// every document whose text names it.
func TestSearchFindsTruth(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	if len(d.manifest.Truth.Targets) == 0 {
		t.Fatal("demo truth has no targets")
	}
	for _, tg := range d.manifest.Truth.Targets {
		t.Run(tg.NameEN, func(t *testing.T) {
			var terms []string
			for _, n := range tg.NamesInCorpus {
				terms = append(terms, strconv.Quote(n))
			}
			q := "kind:document (" + strings.Join(terms, " OR ") + ")"
			res, err := b.Search(t.Context(), index.Query{Text: q, Limit: 200})
			if err != nil {
				t.Fatalf("search %s: %v", q, err)
			}
			got := map[string]bool{}
			for _, h := range res.Hits {
				got[h.ID] = true
			}
			for _, p := range tg.Evidence {
				if slices.Contains(tg.EvidenceRequiresOCR, p) {
					continue
				}
				if id := d.resolve(t, p); !got[id] {
					t.Errorf("%s names %s but is not among the %d hits of %s", p, tg.NameEN, res.Total, q)
				}
			}
		})
	}
}

// TestSearchLanguages checks single-language queries the way an analyst
// types them: a Chinese name without quotes, an English word found only in
// a translation, a traditional spelling finding the simplified text.
func TestSearchLanguages(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	tests := []struct {
		name  string
		query string
		want  string // a path that must be among the hits
	}{
		{name: "chinese", query: "越南海岸事务部", want: "业务/目标清单_2021.csv"},
		{name: "traditional finds simplified", query: "越南海岸事務部", want: "业务/目标清单_2021.csv"},
		{name: "english", query: `"Andes Mobile"`, want: "业务/Quarterly_Report_2022Q1.pdf"},
		{name: "english through translation", query: "translation:Vietnam", want: "业务/目标清单_2021.csv"},
		{name: "chat message", query: "kind:message 秘鲁", want: "chats/im_export_秘鲁项目.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := b.Search(t.Context(), index.Query{Text: tt.query, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, h := range res.Hits {
				paths = append(paths, h.Path)
			}
			if !slices.Contains(paths, tt.want) {
				t.Errorf("%s: %s not among hits %q", tt.query, tt.want, paths)
			}
		})
	}
}

func TestSearchBadQuery(t *testing.T) {
	d := theDemo(t)
	_, err := New(d.c, d.idx, nil).Search(t.Context(), index.Query{Text: "a AND ("})
	if !errors.Is(err, index.ErrBadQuery) {
		t.Errorf("err = %v, want ErrBadQuery", err)
	}
}

func TestDocument(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	ctx := t.Context()
	member := "archives/资料备份_2022.tar.gz!/backup/资料.zip!/docs/笔记副本.txt"
	id := d.resolve(t, member)
	doc, err := b.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(doc.Paths, member) {
		t.Errorf("paths %q lack %s", doc.Paths, member)
	}
	i := slices.IndexFunc(doc.Occurrences, func(o server.Occurrence) bool { return o.Path == member })
	if i < 0 {
		t.Fatalf("no occurrence %s", member)
	}
	want := []string{"archives/资料备份_2022.tar.gz", "archives/资料备份_2022.tar.gz!/backup/资料.zip"}
	if diff := cmp.Diff(want, doc.Occurrences[i].Containers); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	if !doc.Translated || doc.Language != "zh-Hans" {
		t.Errorf("language %q translated %v, want zh-Hans and a translation", doc.Language, doc.Translated)
	}
	text, err := b.Text(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Entities) == 0 {
		t.Fatal("no entities")
	}
	for _, e := range doc.Entities {
		if e.Start < 0 || e.End > len(text.Text) || e.Start >= e.End {
			t.Errorf("entity %s %q at [%d,%d) outside text of %d bytes", e.Type, e.Value, e.Start, e.End, len(text.Text))
		}
	}
	tr, err := b.Translation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Language != "en" || tr.Source == "" || !strings.Contains(tr.Text, "Vietnam") {
		t.Errorf("translation %+v lacks Vietnam", tr)
	}

	// An English document has no translation: 404, not an empty text.
	en := d.resolve(t, "业务/Quarterly_Report_2022Q1.pdf")
	if _, err := b.Translation(ctx, en); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("translation of an English document: err %v, want ErrNotFound", err)
	}
	if doc, err := b.Document(ctx, en); err != nil || doc.Translated || len(doc.Paths) != 1 {
		t.Errorf("English document: %+v, %v", doc, err)
	}
}

func TestErrors(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	ctx := t.Context()
	unknown := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{name: "document unknown", call: func() error { _, err := b.Document(ctx, unknown); return err }, want: server.ErrNotFound},
		{name: "text unknown", call: func() error { _, err := b.Text(ctx, unknown); return err }, want: server.ErrNotFound},
		{name: "translation unknown", call: func() error { _, err := b.Translation(ctx, unknown); return err }, want: server.ErrNotFound},
		{name: "blob unknown", call: func() error { _, err := b.Blob(ctx, unknown); return err }, want: server.ErrNotFound},
		{name: "conversation unknown", call: func() error { _, err := b.Conversation(ctx, "nope"); return err }, want: server.ErrNotFound},
		{name: "document bad id", call: func() error { _, err := b.Document(ctx, "../etc"); return err }, want: server.ErrInvalid},
		{name: "blob bad id", call: func() error { _, err := b.Blob(ctx, "zz"); return err }, want: server.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBlob(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	id := d.resolve(t, "misc/preview.html")
	bl, err := b.Blob(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	data, err := io.ReadAll(bl)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != id || bl.Name != "preview.html" || bl.MIME != "text/html" || bl.Size != int64(len(data)) {
		t.Errorf("blob name %q mime %q size %d (read %d), hash matches %v", bl.Name, bl.MIME, bl.Size, len(data), hex.EncodeToString(sum[:]) == id)
	}
}

func TestTargets(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	ts, err := b.Targets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) == 0 {
		t.Fatal("no targets")
	}
	links := 0
	for _, tg := range ts {
		for _, e := range tg.Evidence {
			if e.DocID == "" {
				t.Errorf("%s: evidence %s has no document link", tg.Name, e.Path)
				continue
			}
			doc, err := b.Document(t.Context(), e.DocID)
			if err != nil {
				t.Errorf("%s: evidence link %s: %v", tg.Name, e.DocID, err)
				continue
			}
			if !slices.Contains(doc.Paths, e.Path) {
				t.Errorf("%s: evidence %s links to a document with paths %q", tg.Name, e.Path, doc.Paths)
			}
			links++
		}
	}
	if links == 0 {
		t.Error("no evidence links at all")
	}
	// Each truth country is in the register.
	countries := map[string]bool{}
	for _, tg := range ts {
		countries[tg.Country] = true
	}
	for _, tg := range d.manifest.Truth.Targets {
		if !countries[tg.Country] {
			t.Errorf("no target in %s (%s)", tg.Country, tg.NameEN)
		}
	}
}

func TestChats(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	ctx := t.Context()
	ch, err := b.Chats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	truth := d.manifest.Truth.Chats
	bySource := map[string]server.ConversationSummary{}
	for _, c := range ch.Conversations {
		bySource[c.Source] = c
	}
	for _, tc := range truth.Conversations {
		if tc.Shape == "screenshot" {
			continue // depends on OCR quality, tested by the chat package
		}
		t.Run(tc.File, func(t *testing.T) {
			s, ok := bySource[tc.File]
			if !ok {
				t.Fatalf("conversation of %s missing", tc.File)
			}
			if s.Messages != tc.Messages || s.First.IsZero() || s.Last.Before(s.First) {
				t.Errorf("summary %+v, want %d messages", s, tc.Messages)
			}
			conv, err := b.Conversation(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(conv.Messages) < tc.Messages {
				t.Fatalf("%d messages, want at least %d", len(conv.Messages), tc.Messages)
			}
			translated := 0
			for i, m := range conv.Messages {
				if i > 0 && m.Time.Before(conv.Messages[i-1].Time) {
					t.Errorf("message %d out of time order", i)
				}
				if m.Translation != "" {
					translated++
				}
				// Each message is its own index unit, under the same ID.
				if strings.TrimSpace(m.Text) == "" {
					continue
				}
				res, err := b.Search(ctx, index.Query{Filters: map[string][]string{"id": {m.ID}}, Limit: 1})
				if err != nil || res.Total != 1 || res.Hits[0].Conversation != s.ID || res.Hits[0].Kind != index.KindMessage {
					t.Errorf("message %s not indexed as a unit of %s: %+v %v", m.ID, s.ID, res.Hits, err)
				}
			}
			if translated == 0 {
				t.Errorf("no message of %s translated", tc.File)
			}
		})
	}
}

func TestStats(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	st, err := b.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cnt, err := d.c.Store.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != int(cnt.Documents) || st.Documents == 0 || st.Occurrences < st.Documents {
		t.Errorf("documents %d occurrences %d, store has %d", st.Documents, st.Occurrences, cnt.Documents)
	}
	if st.Languages["zh-Hans"] == 0 || st.Languages["en"] == 0 || st.Types["pdf"] == 0 || st.Entities == 0 || st.Targets == 0 {
		t.Errorf("stats %+v", st)
	}
	if st.Conversations < 2 || st.Messages < d.manifest.Truth.Chats.TotalMessages/2 {
		t.Errorf("%d conversations, %d messages; truth has %d messages", st.Conversations, st.Messages, d.manifest.Truth.Chats.TotalMessages)
	}
}

func TestEntities(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	tests := []struct {
		name string
		f    server.EntityFilter
	}{
		{name: "all", f: server.EntityFilter{}},
		{name: "ipv4", f: server.EntityFilter{Type: "ipv4"}},
		{name: "paged", f: server.EntityFilter{Type: "ipv4", Offset: 1, Limit: 2}},
		{name: "substring", f: server.EntityFilter{Value: "example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := b.Entities(t.Context(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				t.Fatal("none")
			}
			if tt.f.Limit > 0 && len(es) > tt.f.Limit {
				t.Errorf("%d entities, limit %d", len(es), tt.f.Limit)
			}
			for _, e := range es {
				if tt.f.Type != "" && e.Type != tt.f.Type || !strings.Contains(strings.ToLower(e.Value), tt.f.Value) || len(e.Paths) == 0 {
					t.Errorf("entity %+v does not match %+v", e, tt.f)
				}
			}
		})
	}
}
