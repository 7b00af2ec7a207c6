package bleve

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/index"
)

// cutAt is a stand-in segmenter: it cuts before and after each of words.
func cutAt(words ...string) func(string) []string {
	return func(s string) []string {
		for _, w := range words {
			s = strings.ReplaceAll(s, w, " "+w+" ")
		}
		return strings.Fields(s)
	}
}

// TestSegmentedQuery: an unquoted CJK query is the AND of its words, so a
// text that writes the words apart is found; quoted, it is one phrase.
func TestSegmentedQuery(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	x, err := OpenWith(dir, Options{Words: cutAt("德国", "明湖大学", "合作")})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	docs := []index.Doc{
		{ID: "apart", Text: "我们与德国的明湖大学建立了联系"},
		{ID: "together", Text: "德国明湖大学的服务器"},
		{ID: "half", Text: "明湖大学在本地"},
	}
	if err := x.Add(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		q       string
		want    []string
		relaxed bool
	}{
		{"words anded", "德国明湖大学", []string{"apart", "together"}, false},
		{"quoted phrase", `"德国明湖大学"`, []string{"together"}, false},
		{"or fallback ranks by words", "德国明湖大学合作", []string{"apart", "together", "half"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(t.Context(), index.Query{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if tt.relaxed {
				// Two words beat one; the order among equals is the engine's.
				if len(got) == 3 && got[2] != "half" {
					t.Errorf("Search(%q) = %v, want the one-word hit last", tt.q, got)
				}
				got = sortedCopy(got)
				tt.want = sortedCopy(tt.want)
			} else {
				got = sortedCopy(got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.q, diff)
			}
			if res.Relaxed != tt.relaxed {
				t.Errorf("Search(%q) relaxed = %v, want %v", tt.q, res.Relaxed, tt.relaxed)
			}
		})
	}
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TestSenderAliases: sender: finds the messages of a person under any of
// the names the case knows for them.
func TestSenderAliases(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	aliases := func(v string) []string {
		if v == "acme_ops" || v == "Ops" || v == "Acme Ops" {
			return []string{"Acme Ops", "acme_ops", "Ops"}
		}
		return nil
	}
	x, err := OpenWith(dir, Options{Senders: aliases})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Add(t.Context(),
		index.Doc{ID: "d#m1", Kind: index.KindMessage, Text: "hello", Sender: "Acme Ops"},
		index.Doc{ID: "d#m2", Kind: index.KindMessage, Text: "hi", Sender: "Nordhavn Desk"},
	); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"acme_ops", "Ops", `"Acme Ops"`} {
		res, err := x.Search(t.Context(), index.Query{Text: "sender:" + v})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "d#m1" || res.Hits[0].Sender != "Acme Ops" {
			t.Errorf("sender:%s = %+v, %v; want d#m1 from Acme Ops", v, res.Hits, err)
		}
	}
}

// TestStale: a segment written with the previous analyzer answers with
// its own analysis, and Stale says a reindex is due until it is rebuilt.
func TestStale(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(t.Context(), index.Doc{ID: "a", Text: "Acme ministries"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
	if x.Stale() {
		t.Fatal("fresh index is stale")
	}
	x.mu.Lock()
	x.segs[0].meta.Analyzer = ""
	x.mu.Unlock()
	if !x.Stale() {
		t.Error("index with a v1 segment is not stale")
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
}
