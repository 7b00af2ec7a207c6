package translate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// countingFake is a Translator that upper-cases and counts what it is sent.
type countingFake struct {
	name     string
	calls    int
	segments int
}

func (f *countingFake) Name() string { return f.name }

func (f *countingFake) Translate(_ context.Context, _ string, segs []string) ([]string, error) {
	f.calls++
	f.segments += len(segs)
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = f.name + ":" + strings.ToUpper(s)
	}
	return out, nil
}

// mapCache is a Cache in memory; the case's cache in SQLite
// (store.TranslationCache) has its own tests in package store.
type mapCache map[string]string

func (c mapCache) Get(backend, srcLang, seg string) (string, bool, error) {
	v, ok := c[backend+"|"+srcLang+"|"+seg]
	return v, ok, nil
}

func (c mapCache) Put(backend, srcLang, seg, tr string) error {
	c[backend+"|"+srcLang+"|"+seg] = tr
	return nil
}

func (c mapCache) count(backend string) int {
	n := 0
	for k := range c {
		if backend == "" || strings.HasPrefix(k, backend+"|") {
			n++
		}
	}
	return n
}

func openCache(t *testing.T) mapCache {
	t.Helper()
	return mapCache{}
}

func TestCachedNeverTranslatesTwice(t *testing.T) {
	cache := openCache(t)
	segs := []string{"a", "b", "a", "c", "d", "e"}
	want := []string{"x:A", "x:B", "x:A", "x:C", "x:D", "x:E"}

	fake := &countingFake{name: "x"}
	tr := Cached(fake, cache).WithBatch(2)
	got, err := tr.Translate(t.Context(), "zh-Hans", segs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	// 5 distinct segments in batches of 2: 3 calls, duplicates sent once.
	if fake.calls != 3 || fake.segments != 5 {
		t.Errorf("first run: %d calls with %d segments, want 3 with 5", fake.calls, fake.segments)
	}

	again := &countingFake{name: "x"}
	got, err = Cached(again, cache).Translate(t.Context(), "zh-Hans", segs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if again.calls != 0 {
		t.Errorf("second run called the backend %d times, want 0", again.calls)
	}

	// Another source language is another key.
	if _, err := Cached(again, cache).Translate(t.Context(), "zh-Hant", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if again.calls != 1 {
		t.Errorf("other language: %d calls, want 1", again.calls)
	}

	// Switching backend translates again and keeps both.
	other := &countingFake{name: "y"}
	if _, err := Cached(other, cache).Translate(t.Context(), "zh-Hans", segs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		backend string
		want    int
	}{{"x", 6}, {"y", 5}, {"", 11}} {
		if n := cache.count(tc.backend); n != tc.want {
			t.Errorf("count(%q) = %d, want %d", tc.backend, n, tc.want)
		}
	}
	if tr, ok, err := cache.Get("x", "zh-Hans", "a"); err != nil || !ok || tr != "x:A" {
		t.Errorf("Get(x, a) = %q, %v, %v; want x:A", tr, ok, err)
	}
}

var fastRetry = Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}

func TestPostJSON(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int // answers in order; 200 answers {"ok":true}
		wantErr   bool
		wantCalls int32
	}{
		{"ok", []int{200}, false, 1},
		{"retries 503", []int{503, 503, 200}, false, 3},
		{"retries 429", []int{429, 200}, false, 2},
		{"gives up after attempts", []int{500, 500, 500, 500}, true, 3},
		{"no retry on 400", []int{400, 200}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				st := tt.statuses[min(int(n)-1, len(tt.statuses)-1)]
				if st == 429 {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(st)
				w.Write([]byte(`{"ok":true}`))
			}))
			defer srv.Close()
			var out struct{ OK bool }
			err := PostJSON(t.Context(), srv.Client(), srv.URL, nil, map[string]string{"q": "x"}, &out, fastRetry)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var he *HTTPError
			if tt.wantErr && !errors.As(err, &he) {
				t.Errorf("err = %v, want an *HTTPError", err)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestPostJSONUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var out any
	err := PostJSON(t.Context(), http.DefaultClient, url, nil, 1, &out, fastRetry)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if !strings.Contains(err.Error(), url) {
		t.Errorf("error %q does not name the server", err)
	}
}
