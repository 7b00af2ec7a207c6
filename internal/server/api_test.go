package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server, *memBackend) {
	t.Helper()
	be := newMemBackend(t)
	opts.Backend = be
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts, be
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAPI(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	tests := []struct {
		name     string
		path     string
		status   int
		ctype    string
		contains []string
	}{
		{"search", "/api/v1/search?q=" + url.QueryEscape("目标清单"), 200, "application/json", []string{`"total": 2`, `\u003cmark\u003e`}},
		{"search traditional", "/api/v1/search?q=" + url.QueryEscape("護照"), 200, "application/json", []string{`"total": 1`, `"kind": "message"`, `"conversation": "conv-1"`}},
		{"search facets and filter", "/api/v1/search?q=&facet=lang,type&filter=lang:en", 200, "application/json", []string{`"total": 1`, `"facets"`, `"value": "en"`}},
		{"search pagination", "/api/v1/search?q=&offset=2&limit=2", 200, "application/json", []string{`"total": 8`}},
		{"search empty hits is a list", "/api/v1/search?q=nothingmatchesthis", 200, "application/json", []string{`"hits": []`}},
		{"search bad syntax", "/api/v1/search?q=" + url.QueryEscape(`"unclosed`), 400, "application/json", []string{`{"error":"bad query at 0: unclosed quote"}`}},
		{"search bad limit", "/api/v1/search?limit=0", 400, "application/json", []string{"limit must be"}},
		{"search limit too big", "/api/v1/search?limit=100000", 400, "application/json", []string{"limit must be"}},
		{"search negative offset", "/api/v1/search?offset=-1", 400, "application/json", []string{"offset must be"}},
		{"search offset not a number", "/api/v1/search?offset=abc", 400, "application/json", []string{"offset must be"}},
		{"search unknown facet", "/api/v1/search?facet=colour", 400, "application/json", []string{"unknown facet"}},
		{"search bad filter", "/api/v1/search?filter=lang", 400, "application/json", []string{"filter must be field:value"}},
		{"search unknown filter", "/api/v1/search?filter=colour:red", 400, "application/json", []string{"unknown filter"}},
		{"search unknown field", "/api/v1/search?q=frm:acme", 400, "application/json", []string{"unknown field"}},
		{"search bad sort", "/api/v1/search?sort=size", 400, "application/json", []string{"unknown sort"}},
		{"search by date", "/api/v1/search?q=&sort=date&limit=1", 200, "application/json", []string{`"date": "2021-06-04`, `"sender": "王五"`}},
		{"batch", "/api/v1/search/batch?term=" + url.QueryEscape("目标清单") + "&term=nothingmatchesthis", 200, "application/json", []string{`"term": "目标清单"`, `"total": 2`, `"term": "nothingmatchesthis"`, `"hits": []`}},
		{"batch csv", "/api/v1/search/batch?format=csv&term=" + url.QueryEscape("目标清单"), 200, "text/csv", []string{"term,total,relaxed,rank", "目标清单,2,false,1"}},
		{"batch no terms", "/api/v1/search/batch", 400, "application/json", []string{"term parameters"}},
		{"batch q instead of term", "/api/v1/search/batch?q=x", 400, "application/json", []string{"term="}},
		{"batch bad term", "/api/v1/search/batch?term=a&term=" + url.QueryEscape(`"open`), 400, "application/json", []string{"term 2", "unclosed quote"}},
		{"batch bad format", "/api/v1/search/batch?term=a&format=xml", 400, "application/json", []string{"format must be"}},
		{"document", "/api/v1/documents/" + idZH, 200, "application/json", []string{`"sha256": "` + idZH, `"paths"`, `"containers"`, `"commit": "abc123"`, `"language": "zh-Hans"`}},
		{"document upper-case id", "/api/v1/documents/" + strings.ToUpper(idZH), 200, "application/json", []string{idZH}},
		{"document unknown", "/api/v1/documents/" + strings.Repeat("0", 64), 404, "application/json", []string{`{"error":"document 000000000000: not found"}`}},
		{"document bad id", "/api/v1/documents/..%2f..%2fetc", 400, "application/json", []string{"64 hex digits"}},
		{"document short id", "/api/v1/documents/abc", 400, "application/json", []string{"64 hex digits"}},
		{"text", "/api/v1/documents/" + idEN + "/text", 200, "application/json", []string{`"Penetration Testing`, `"pages"`}},
		{"text missing", "/api/v1/documents/" + idBidi + "/text", 404, "application/json", []string{"not found"}},
		{"translation", "/api/v1/documents/" + idZH + "/translation", 200, "application/json", []string{"Presidential Interior Ministry"}},
		{"translation missing", "/api/v1/documents/" + idEN + "/translation", 404, "application/json", []string{"not found"}},
		{"raw html is an attachment", "/api/v1/documents/" + idProbe + "/raw", 200, "application/octet-stream", []string{"<script>"}},
		{"entities", "/api/v1/entities", 200, "application/json", []string{`"type": "ipv4"`, `"count": 2`}},
		{"entities by type", "/api/v1/entities?type=email", 200, "application/json", []string{"sales@example.com"}},
		{"entities empty is a list", "/api/v1/entities?type=cve", 200, "application/json", []string{"[]"}},
		{"entities bad type", "/api/v1/entities?type=colour", 400, "application/json", []string{"unknown entity type"}},
		{"entities bad limit", "/api/v1/entities?limit=5000", 400, "application/json", []string{"limit must be"}},
		{"target links", "/api/v1/target-links", 200, "application/json", []string{`"person": "王五"`, `"messages": 1`}},
		{"targets", "/api/v1/targets", 200, "application/json", []string{`"volume_bytes": 5894946365`, `"country": "KZ"`, `"evidence"`, `"data_types"`}},
		{"targets sorted", "/api/v1/targets?sort=volume&dir=desc&country=in", 200, "application/json", []string{"Immigration Bureau"}},
		{"targets csv", "/api/v1/targets?format=csv", 200, "text/csv", []string{"name,aliases,country", "'=HYPERLINK"}},
		{"targets bad sort", "/api/v1/targets?sort=colour", 400, "application/json", []string{"sort must be"}},
		{"targets bad dir", "/api/v1/targets?dir=up", 400, "application/json", []string{"sort must be"}},
		{"targets bad format", "/api/v1/targets?format=xml", 400, "application/json", []string{"format must be"}},
		{"chats", "/api/v1/chats", 200, "application/json", []string{`"conversations"`, `"participants"`, `"aliases"`, `"messages": 3`}},
		{"chat", "/api/v1/chats/conv-1", 200, "application/json", []string{`"messages_list"`, "明天把护照数据发过来", "Send the passport data tomorrow"}},
		{"chat unknown", "/api/v1/chats/conv-9", 404, "application/json", []string{"not found"}},
		{"chat bad id", "/api/v1/chats/" + url.PathEscape("a b<c>"), 400, "application/json", []string{"bad conversation id"}},
		{"stats", "/api/v1/stats", 200, "application/json", []string{`"documents": 5`, `"languages"`}},
		{"page preview", "/api/v1/documents/" + idEN + "/pages/1", 200, "image/png", []string{"\x89PNG"}},
		{"page preview with suffix", "/api/v1/documents/" + idEN + "/pages/1.png", 200, "image/png", []string{"\x89PNG"}},
		{"page preview past the end", "/api/v1/documents/" + idEN + "/pages/2", 404, "application/json", []string{"not found"}},
		{"page preview not a pdf", "/api/v1/documents/" + idZH + "/pages/1", 404, "application/json", []string{"not found"}},
		{"page preview page zero", "/api/v1/documents/" + idEN + "/pages/0", 400, "application/json", []string{"page must be"}},
		{"page preview page not a number", "/api/v1/documents/" + idEN + "/pages/x", 400, "application/json", []string{"page must be"}},
		{"page preview bad id", "/api/v1/documents/abc/pages/1", 400, "application/json", []string{"64 hex digits"}},
		{"timeline", "/api/v1/timeline", 200, "application/json", []string{`"documents"`, `"source": "meta"`, `"source": "mtime"`, `"day": "2021-06-03"`, `"count": 2`, `"undated": 3`}},
		{"unknown endpoint", "/api/v1/nothing", 404, "application/json", []string{`"error"`}},
		{"unknown version", "/api/v2/search", 404, "application/json", []string{`"error"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, nil, ts.URL+tt.path)
			if resp.StatusCode != tt.status {
				t.Errorf("GET %s = %d, want %d; body %s", tt.path, resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("GET %s: body lacks %q:\n%s", tt.path, c, truncate(body, 600))
				}
			}
			if strings.HasPrefix(tt.ctype, "application/json") && !json.Valid([]byte(body)) {
				t.Errorf("GET %s: invalid JSON", tt.path)
			}
		})
	}
}

func TestAPISearchShape(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	_, body := get(t, nil, ts.URL+"/api/v1/search?q="+url.QueryEscape("catalogue"))
	var got struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID, Path, Snippet string
			Score             float64
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 1 || len(got.Hits) != 1 {
		t.Fatalf("search = %s", body)
	}
	h := got.Hits[0]
	if diff := cmp.Diff([]string{idEN, "业务/catalogue.pdf"}, []string{h.ID, h.Path}); diff != "" || h.Score <= 0 || !strings.Contains(h.Snippet, "<mark>catalogue</mark>") {
		t.Errorf("hit (-want +got):\n%s\nscore %v snippet %q", diff, h.Score, h.Snippet)
	}
}

func TestTargetsSorted(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"by name", "", []string{"=HYPERLINK(\"x\")", "Apollo Hospitals", "Immigration Bureau", "Presidential Interior Ministry"}},
		{"by volume desc", "sort=volume&dir=desc", []string{"Immigration Bureau", "Presidential Interior Ministry", "Apollo Hospitals", "=HYPERLINK(\"x\")"}},
		{"by first seen", "sort=first_seen", []string{"=HYPERLINK(\"x\")", "Immigration Bureau", "Presidential Interior Ministry", "Apollo Hospitals"}},
		{"filtered", "country=IN&sort=records&dir=desc", []string{"Apollo Hospitals", "Immigration Bureau"}},
		{"text filter", "q=总统府", []string{"Presidential Interior Ministry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, nil, ts.URL+"/api/v1/targets?"+tt.query)
			var got []Target
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range got {
				names = append(names, g.Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	paths := []string{"/", "/?q=x", "/doc/" + idZH, "/doc/" + idPNG + "/blob", "/targets", "/overview", "/entities", "/chats", "/chats/conv-1",
		"/graph", "/static/app.js", "/api/v1/search", "/api/v1/stats", "/nothing", "/api/v1/nothing"}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			resp, _ := get(t, nil, ts.URL+p)
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline script", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("headers %v lack nosniff / no-referrer", h)
			}
		})
	}
}

func TestBlob(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	tests := []struct {
		name, path, ctype, disposition string
	}{
		{"image inline", "/doc/" + idPNG + "/blob", "image/png", "inline"},
		{"image download", "/doc/" + idPNG + "/blob?download=1", "application/octet-stream", `attachment; filename=shot.png`},
		{"html never inline", "/doc/" + idProbe + "/blob", "application/octet-stream", "attachment; filename=preview.html"},
		{"pdf attachment", "/api/v1/documents/" + idEN + "/raw", "application/octet-stream", "attachment; filename=catalogue.pdf"},
		{"bidi name encoded", "/doc/" + idBidi + "/blob", "application/octet-stream", "attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A%E2%80%AEfdp.exe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := get(t, nil, ts.URL+tt.path)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := []string{resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition")}
			if diff := cmp.Diff([]string{tt.ctype, tt.disposition}, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuditLog(t *testing.T) {
	var audit bytes.Buffer
	_, ts, _ := newTestServer(t, Options{Audit: &audit})
	get(t, nil, ts.URL+"/api/v1/search?q=passport")
	get(t, nil, ts.URL+"/doc/"+idZH)
	var actions []string
	for _, line := range strings.Split(strings.TrimSpace(audit.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if rec["user"] != "local" {
			t.Errorf("audit user = %v, want local", rec["user"])
		}
		actions = append(actions, rec["action"].(string))
	}
	if diff := cmp.Diff([]string{"search", "view_document"}, actions); diff != "" {
		t.Errorf("audit actions (-want +got):\n%s", diff)
	}
	if !strings.Contains(audit.String(), `"q":"passport"`) || !strings.Contains(audit.String(), idZH) {
		t.Errorf("audit log lacks the query or the document: %s", audit.String())
	}
}
