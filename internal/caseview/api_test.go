package caseview

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/leakscope/leakscope/internal/server"
)

// newServer serves the demo case through this backend with the real
// server.
func newServer(t *testing.T) (*httptest.Server, *demoCase) {
	t.Helper()
	d := theDemo(t)
	s, err := server.New(server.Options{Backend: New(d.c, d.idx, nil), Logger: slog.New(slog.DiscardHandler), CaseName: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, d
}

// TestAPI requests every endpoint of the API on the demo case and checks
// the status and the shape of the answer.
func TestAPI(t *testing.T) {
	ts, d := newServer(t)
	docID := d.resolve(t, "业务/目标清单_2021.csv")
	ch, err := New(d.c, d.idx, nil).Chats(t.Context())
	if err != nil || len(ch.Conversations) == 0 {
		t.Fatalf("chats: %v", err)
	}
	conv := ch.Conversations[0].ID
	tests := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, body []byte)
	}{
		{name: "search chinese", path: "/api/v1/search?q=" + url.QueryEscape("越南海岸事务部") + "&facet=type,lang", status: 200, check: func(t *testing.T, body []byte) {
			var r struct {
				Total  int
				Hits   []struct{ ID, Path, Snippet string }
				Facets map[string][]struct{ Value string }
			}
			mustJSON(t, body, &r)
			if r.Total == 0 || len(r.Hits) == 0 || r.Hits[0].Snippet == "" || len(r.Facets["lang"]) == 0 {
				t.Errorf("search: %s", body)
			}
		}},
		{name: "search paged", path: "/api/v1/search?q=" + url.QueryEscape("kind:message") + "&limit=2&offset=2", status: 200, check: func(t *testing.T, body []byte) {
			var r struct{ Hits []struct{ Kind string } }
			mustJSON(t, body, &r)
			if len(r.Hits) != 2 || r.Hits[0].Kind != "message" {
				t.Errorf("paged messages: %s", body)
			}
		}},
		{name: "search bad query", path: "/api/v1/search?q=" + url.QueryEscape("a AND ("), status: 400},
		{name: "document", path: "/api/v1/documents/" + docID, status: 200, check: func(t *testing.T, body []byte) {
			var doc server.Document
			mustJSON(t, body, &doc)
			if doc.ID != docID || len(doc.Paths) == 0 || !doc.Translated || len(doc.Entities) == 0 {
				t.Errorf("document: %s", body)
			}
		}},
		{name: "text", path: "/api/v1/documents/" + docID + "/text", status: 200, check: nonEmpty("text")},
		{name: "translation", path: "/api/v1/documents/" + docID + "/translation", status: 200, check: nonEmpty("text")},
		{name: "raw", path: "/api/v1/documents/" + docID + "/raw", status: 200},
		{name: "unknown document", path: "/api/v1/documents/" + docID[:63] + "0" + "/text", status: 404},
		{name: "entities", path: "/api/v1/entities?type=ipv4", status: 200, check: nonEmptyList},
		{name: "targets", path: "/api/v1/targets?sort=volume&dir=desc", status: 200, check: nonEmptyList},
		{name: "chats", path: "/api/v1/chats", status: 200, check: func(t *testing.T, body []byte) {
			var c server.Chats
			mustJSON(t, body, &c)
			if len(c.Conversations) == 0 || len(c.Participants) == 0 {
				t.Errorf("chats: %s", body)
			}
		}},
		{name: "conversation", path: "/api/v1/chats/" + conv, status: 200, check: func(t *testing.T, body []byte) {
			var c server.Conversation
			mustJSON(t, body, &c)
			if len(c.Messages) == 0 || c.Messages[0].ID == "" {
				t.Errorf("conversation: %s", body)
			}
		}},
		{name: "unknown conversation", path: "/api/v1/chats/nope", status: 404},
		{name: "stats", path: "/api/v1/stats", status: 200, check: func(t *testing.T, body []byte) {
			var s server.Stats
			mustJSON(t, body, &s)
			if s.Documents == 0 || s.Targets == 0 || s.Conversations == 0 {
				t.Errorf("stats: %s", body)
			}
		}},
		{name: "page search", path: "/?q=" + url.QueryEscape("秘鲁"), status: 200},
		{name: "page document", path: "/doc/" + docID, status: 200},
		{name: "page targets", path: "/targets", status: 200},
		{name: "page overview", path: "/overview", status: 200},
		{name: "page entities", path: "/entities", status: 200},
		{name: "page chats", path: "/chats", status: 200},
		{name: "page chat", path: "/chats/" + conv, status: 200},
		{name: "page graph", path: "/graph", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(ts.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s: %d, want %d: %.300s", tt.path, resp.StatusCode, tt.status, body)
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %.300s", err, b)
	}
}

func nonEmpty(field string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		var m map[string]any
		mustJSON(t, body, &m)
		if s, _ := m[field].(string); s == "" {
			t.Errorf("%s empty: %.300s", field, body)
		}
	}
}

func nonEmptyList(t *testing.T, body []byte) {
	var l []map[string]any
	mustJSON(t, body, &l)
	if len(l) == 0 {
		t.Errorf("empty list")
	}
}
