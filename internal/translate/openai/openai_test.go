package openai

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/translate"
)

var fastRetry = translate.Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}

// fakeChat is an in-process FAKE of an OpenAI-compatible
// /v1/chat/completions endpoint (Ollama, vLLM, llama.cpp server: third-party
// servers with models that cannot run in this test environment). answer
// builds the assistant's reply from the JSON array of segments it was sent.
func fakeChat(t *testing.T, answer func(segs []string) string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-test" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) != 2 || req.Model != "qwen2.5" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var segs []string
		if err := json.Unmarshal([]byte(req.Messages[1].Content), &segs); err != nil {
			http.Error(w, "bad user message", http.StatusBadRequest)
			return
		}
		var resp chatResponse
		resp.Choices = append(resp.Choices, struct {
			Message message `json:"message"`
		}{message{Role: "assistant", Content: answer(segs)}})
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func en(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = "EN " + s
	}
	return out
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		name      string
		answer    func([]string) string
		wantCalls int32
	}{
		{"json array", func(s []string) string { b, _ := json.Marshal(en(s)); return string(b) }, 2},
		{"fenced with prose and thinking", func(s []string) string {
			b, _ := json.Marshal(en(s))
			return "<think>hmm</think>\n```json\n" + string(b) + "\n```"
		}, 2},
		{"numbered lines", func(s []string) string {
			var b strings.Builder
			for i, x := range en(s) {
				fmt.Fprintf(&b, "%d. %s\n", i+1, x)
			}
			return b.String()
		}, 2},
		{"wrong count splits the batch", func(s []string) string {
			if len(s) > 1 {
				return `["just one"]`
			}
			return "EN " + s[0]
		}, 6}, // batch of 3 fails, splits into 1 (ok) and 2 (fails, splits 1+1); then the batch of 1: 1+1+1+2+1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := fakeChat(t, tt.answer)
			tr, err := New(Options{BaseURL: srv.URL + "/v1", Model: "qwen2.5", APIKey: "sk-test", BatchSize: 3, Retry: fastRetry})
			if err != nil {
				t.Fatal(err)
			}
			segs := []string{"印度财政部", "第二行\n有换行", "三", "四"}
			got, err := tr.Translate(t.Context(), "zh-Hans", segs)
			if err != nil {
				t.Fatal(err)
			}
			// Numbered lines cannot carry a line break inside a segment,
			// so that case only checks the alignment.
			if diff := cmp.Diff(en(segs), got); diff != "" && tt.name != "numbered lines" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(got) != len(segs) {
				t.Fatalf("%d translations for %d segments", len(got), len(segs))
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
	if got := (&Translator{opts: Options{Model: "m"}}).Name(); got != "openai:m" {
		t.Errorf("Name() = %q", got)
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name    string
		content string
		n       int
		want    []string
		ok      bool
	}{
		{"array", `["a","b"]`, 2, []string{"a", "b"}, true},
		{"prose around array", "Here you go: [\"a\", \"b\"] hope it helps", 2, []string{"a", "b"}, true},
		{"object", `{"translations":["a","b"]}`, 2, []string{"a", "b"}, true},
		{"numbered out of order", "2) b\n1) a", 2, []string{"a", "b"}, true},
		{"bracket numbers", "[1] a\n[2] b", 2, []string{"a", "b"}, true},
		{"plain lines", "a\n\nb\n", 2, []string{"a", "b"}, true},
		{"wrong count", `["a"]`, 2, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseAnswer(tt.content, tt.n)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	tr, _ := New(Options{BaseURL: srv.URL + "/v1", Model: "m", Retry: fastRetry})
	_, err := tr.Translate(t.Context(), "zh-Hans", []string{"x"})
	if !errors.Is(err, translate.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{`["a"]`, "1. a\n2. b", "```json\n[]\n```", "<think>", "{\"translations\":[1]}"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n%8 + 1
		if n < 1 {
			n = 1
		}
		got, ok := ParseAnswer(s, n)
		if ok && len(got) != n {
			t.Fatalf("ok with %d of %d", len(got), n)
		}
	})
}
