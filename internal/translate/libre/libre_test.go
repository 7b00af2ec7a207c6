package libre

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/translate"
)

// fakeLibre is an in-process FAKE of the LibreTranslate HTTP API (a
// third-party server that cannot run in this test environment). It answers
// POST /translate like LibreTranslate does for a list "q": each string
// prefixed with "EN:". failFirst makes the first n requests answer 503.
func fakeLibre(t *testing.T, failFirst int32, seen *[]request) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/translate" {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		if n <= failFirst {
			http.Error(w, `{"error":"busy"}`, http.StatusServiceUnavailable)
			return
		}
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
			return
		}
		*seen = append(*seen, req)
		out := response{}
		for _, q := range req.Q {
			out.TranslatedText = append(out.TranslatedText, "EN:"+q)
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

var fastRetry = translate.Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}

func TestTranslate(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		segs      []string
		failFirst int32
		wantCalls int32
		wantSrc   string
	}{
		{"one batch", "zh-Hans", []string{"一", "二"}, 0, 1, "zh"},
		{"batched", "zh-Hant", []string{"1", "2", "3", "4", "5"}, 0, 3, "zt"},
		{"retried after 503", "ru", []string{"да"}, 2, 3, "ru"},
		{"unknown language is auto", "", []string{"x"}, 0, 1, "auto"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []request
			srv, calls := fakeLibre(t, tt.failFirst, &seen)
			tr, err := New(Options{URL: srv.URL + "/", APIKey: "k", BatchSize: 2, Retry: fastRetry})
			if err != nil {
				t.Fatal(err)
			}
			got, err := tr.Translate(t.Context(), tt.lang, tt.segs)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, s := range tt.segs {
				want = append(want, "EN:"+s)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
			for _, r := range seen {
				if r.Source != tt.wantSrc || r.Target != "en" || r.Format != "text" || r.APIKey != "k" {
					t.Errorf("request %+v: want source %q, target en, format text, api_key k", r, tt.wantSrc)
				}
			}
		})
	}
}

func TestTranslateUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	tr, err := New(Options{URL: srv.URL, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.Translate(t.Context(), "zh-Hans", []string{"x"})
	if !errors.Is(err, translate.ErrUnreachable) || !strings.Contains(err.Error(), "libretranslate") {
		t.Fatalf("err = %v, want a libretranslate ErrUnreachable", err)
	}
}

func TestTranslateCountMismatch(t *testing.T) {
	// FAKE of a misbehaving LibreTranslate that drops a translation.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"translatedText":["only one"]}`))
	}))
	defer srv.Close()
	tr, _ := New(Options{URL: srv.URL, Retry: fastRetry})
	if _, err := tr.Translate(t.Context(), "zh-Hans", []string{"a", "b"}); err == nil {
		t.Fatal("want an error for 1 translation of 2 segments")
	}
}
