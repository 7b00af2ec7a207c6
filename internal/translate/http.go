package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// ErrUnreachable is returned (wrapped) when an HTTP backend cannot be reached
// at all: connection refused, DNS failure, timeout after every retry.
var ErrUnreachable = errors.New("translation server unreachable")

// HTTPError is a non-2xx answer of an HTTP backend.
type HTTPError struct {
	Status int
	Body   string // first 512 bytes of the response body

	retryAfter time.Duration
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("http status %d: %s", e.Status, e.Body)
}

// Retry is the retry policy of the HTTP backends: Attempts tries in all,
// waiting Base, 2*Base, 4*Base ... (at most Max, or what Retry-After says)
// between them. Only network errors, 429 and 5xx are retried.
type Retry struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// DefaultRetry is 4 attempts, waiting 0.5 s, 1 s, 2 s.
var DefaultRetry = Retry{Attempts: 4, Base: 500 * time.Millisecond, Max: 10 * time.Second}

// maxResponse bounds the response body read from a backend.
const maxResponse = 32 << 20

// PostJSON posts body as JSON to url and decodes the JSON answer into out,
// retrying per r. header adds request headers (Authorization). Each attempt
// is bounded by client's timeout; ctx bounds them all.
func PostJSON(ctx context.Context, client *http.Client, url string, header map[string]string, body, out any, r Retry) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("post %s: encode: %w", url, err)
	}
	attempts := max(r.Attempts, 1)
	var last error
	for attempt := range attempts {
		if attempt > 0 {
			wait := r.Base << (attempt - 1)
			if r.Max > 0 && wait > r.Max {
				wait = r.Max
			}
			var he *HTTPError
			if errors.As(last, &he) && he.retryAfter > 0 {
				wait = min(he.retryAfter, max(r.Max, r.Base))
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		retry, err := postOnce(ctx, client, url, header, payload, out)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		last = err
		if !retry {
			return err
		}
	}
	var he *HTTPError
	if errors.As(last, &he) {
		return fmt.Errorf("post %s: after %d attempts: %w", url, attempts, last)
	}
	return fmt.Errorf("post %s: %w after %d attempts: %w", url, ErrUnreachable, attempts, last)
}

func postOnce(ctx context.Context, client *http.Client, url string, header map[string]string, payload []byte, out any) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return false, fmt.Errorf("post %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return true, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return true, fmt.Errorf("read response: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		he := &HTTPError{Status: resp.StatusCode, Body: string(data[:min(len(data), 512)])}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			he.retryAfter = time.Duration(s) * time.Second
		}
		return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500, he
	}
	if err := json.Unmarshal(data, out); err != nil {
		return false, fmt.Errorf("post %s: decode answer: %w", url, err)
	}
	return false, nil
}
