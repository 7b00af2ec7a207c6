package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlainSnippet(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "marks removed", in: "a <mark>目标</mark> b", want: "a 目标 b"},
		{name: "entities unescaped", in: "&lt;script&gt; &amp; &#34;x&#34;", want: `<script> & "x"`},
		{name: "plain", in: "plain", want: "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainSnippet(tt.in); got != tt.want {
				t.Errorf("plainSnippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTermSnippet(t *testing.T) {
	tests := []struct {
		name, in string
		tty      bool
		want     string
	}{
		{name: "pipe", in: "x <mark>y</mark>\n z", want: "x »y« z"},
		{name: "terminal", in: "<mark>y</mark>", tty: true, want: "\x1b[1my\x1b[0m"},
		{name: "control shown", in: "a\u202eb &lt;", want: `a\u202Eb <`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := termSnippet(tt.in, tt.tty); got != tt.want {
				t.Errorf("termSnippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

type searchOut struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID      string   `json:"id"`
		Path    string   `json:"path"`
		Score   *float64 `json:"score"`
		Snippet string   `json:"snippet"`
		Kind    string   `json:"kind"`
	} `json:"hits"`
}

// TestSearchCommand searches the demo case in Chinese and English for
// names from the demo truth, and checks the contract, paging, the text
// output and the exit status of a bad query.
func TestSearchCommand(t *testing.T) {
	f := theDemoCase(t)
	zh := f.truth.Targets[0].NamesZH[0]
	en := ""
	for _, n := range f.truth.Targets[1].NamesInCorpus {
		if !strings.ContainsFunc(n, func(r rune) bool { return r > 0x2e80 }) && !strings.ContainsAny(n, "()") {
			en = n
			break
		}
	}
	if en == "" {
		t.Fatal("no English name in the demo truth")
	}
	tests := []struct {
		name    string
		query   string
		want    string // a term every hit's snippet or path contains
		minHits int
	}{
		{name: "chinese", query: zh, want: zh, minHits: 3},
		{name: "english phrase", query: strconv.Quote(en), want: en, minHits: 1},
		{name: "chat messages only", query: "kind:message " + zh, want: zh, minHits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out searchOut
			runJSON(t, f.bin, &out, "search", "--case", f.caseDir, "--limit", "50", tt.query)
			if int(out.Total) < tt.minHits || len(out.Hits) < tt.minHits {
				t.Fatalf("%s: total %d, %d hits, want at least %d", tt.query, out.Total, len(out.Hits), tt.minHits)
			}
			found := 0
			for _, h := range out.Hits {
				if h.ID == "" || h.Path == "" || h.Score == nil || h.Snippet == "" {
					t.Errorf("hit lacks a contract field: %+v", h)
				}
				if strings.Contains(h.Snippet, "<mark>") || strings.Contains(h.Snippet, "&lt;") {
					t.Errorf("snippet not plain text: %q", h.Snippet)
				}
				if strings.Contains(h.Snippet, tt.want) || strings.Contains(h.Path, tt.want) {
					found++
				}
			}
			if found == 0 {
				t.Errorf("no hit shows %q", tt.want)
			}
		})
	}

	t.Run("paging", func(t *testing.T) {
		var all, page searchOut
		runJSON(t, f.bin, &all, "search", "--case", f.caseDir, "--limit", "10", zh)
		runJSON(t, f.bin, &page, "search", "--case", f.caseDir, "--limit", "2", "--offset", "1", zh)
		if len(all.Hits) < 3 || len(page.Hits) != 2 || page.Total != all.Total {
			t.Fatalf("all %d/%d, page %d/%d", len(all.Hits), all.Total, len(page.Hits), page.Total)
		}
		if page.Hits[0].ID != all.Hits[1].ID || page.Hits[1].ID != all.Hits[2].ID {
			t.Errorf("offset 1 limit 2 gives %s %s, want %s %s", page.Hits[0].ID, page.Hits[1].ID, all.Hits[1].ID, all.Hits[2].ID)
		}
	})

	t.Run("text output", func(t *testing.T) {
		out, err := exec.Command(f.bin, "search", "--case", f.caseDir, zh).Output()
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		if !strings.Contains(s, " hits") || !strings.Contains(s, "  1. ") || !strings.Contains(s, "»") {
			t.Errorf("text output:\n%s", s)
		}
	})

	t.Run("exit status", func(t *testing.T) {
		// A case ingested without enrichment has no index: a clear
		// error, not an empty result.
		src, bare := t.TempDir(), filepath.Join(t.TempDir(), "bare")
		os.WriteFile(filepath.Join(src, "a.txt"), []byte("hello"), 0o644)
		if out, err := exec.Command(f.bin, "ingest", "-q", "--no-enrich", "--case", bare, src).CombinedOutput(); err != nil {
			t.Fatalf("ingest: %v\n%s", err, out)
		}
		for _, c := range []struct {
			args []string
			want int
		}{
			{[]string{"search", "--case", f.caseDir, "a AND ("}, exitUsage},
			{[]string{"search", "--case", f.caseDir, "--limit", "0", "x"}, exitUsage},
			{[]string{"search", "--case", f.caseDir, "--kind", "nope", "x"}, exitUsage},
			{[]string{"search", "--case", f.caseDir, "frm:acme"}, exitUsage},
			{[]string{"search", "--case", f.caseDir, "acme~2"}, exitUsage},
			{[]string{"search", "--case", f.caseDir, "--sort", "size", "x"}, exitUsage},
			{[]string{"search", "--case", f.caseDir + "-absent", "x"}, exitNoCase},
			{[]string{"search", "--case", f.caseDir, "nothingmatchesthisword"}, exitOK},
			{[]string{"search", "--case", bare, "hello"}, exitError},
		} {
			err := exec.Command(f.bin, c.args...).Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != c.want {
				t.Errorf("%v: exit %d, want %d", c.args, code, c.want)
			}
		}
	})
}

// TestReindex rebuilds the index of a copy of the demo case and expects
// the same answers as before.
func TestReindex(t *testing.T) {
	f := theDemoCase(t)
	zh := f.truth.Targets[0].NamesZH[0]
	var before, after searchOut
	runJSON(t, f.bin, &before, "search", "--case", f.caseDir, "--limit", "100", zh)
	var re struct {
		Units uint64 `json:"units"`
	}
	runJSON(t, f.bin, &re, "reindex", "-q", "--case", f.caseDir)
	if re.Units == 0 {
		t.Fatal("reindex indexed nothing")
	}
	runJSON(t, f.bin, &after, "search", "--case", f.caseDir, "--limit", "100", zh)
	ids := func(o searchOut) map[string]bool {
		m := map[string]bool{}
		for _, h := range o.Hits {
			m[h.ID] = true
		}
		return m
	}
	if before.Total != after.Total || len(ids(before)) != len(ids(after)) {
		t.Errorf("before reindex %d hits, after %d", before.Total, after.Total)
	}
	for id := range ids(before) {
		if !ids(after)[id] {
			t.Errorf("%s lost by reindex", id)
		}
	}
}

func TestReadBatch(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []string
		badLine string // in the usage error, "" if none
	}{
		{name: "lines, comments and blanks", file: "\ufeff# watch list\nAcme Telecom\n\n  德国明湖大学  \r\n", want: []string{"Acme Telecom", "德国明湖大学"}},
		{name: "bad line named", file: "Acme\nfrm:acme\n", badLine: "line 2"},
		{name: "unclosed quote", file: "\"Nordhavn\n", badLine: "line 1"},
		{name: "no terms", file: "# only a comment\n", badLine: "no terms"},
		{name: "not utf-8", file: "\xff\xfe", badLine: "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "terms.txt")
			if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			terms, err := readBatch(path)
			if tt.badLine != "" {
				var ue usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.badLine) {
					t.Fatalf("readBatch = %v, want a usage error naming %q", err, tt.badLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tm := range terms {
				got = append(got, tm.Term)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("terms (-want +got):\n%s", diff)
			}
		})
	}
}
