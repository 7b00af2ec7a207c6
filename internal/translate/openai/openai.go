// Package openai translates through any OpenAI-compatible chat completions
// endpoint (Ollama, vLLM, a llama.cpp server) that the analyst runs.
//
// # Batch
//
// A batch of segments is sent as one JSON array in one chat request; the
// model is asked for a JSON array of the same length. Answers that do not
// parse (prose around the array, numbered lines, a wrong count) are salvaged
// where possible, and otherwise the batch is split in halves and retried,
// down to single segments whose whole answer is the translation.
package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/translate"
)

// Options configure New.
type Options struct {
	BaseURL     string          // e.g. http://127.0.0.1:11434/v1 (Ollama); /chat/completions is appended
	Model       string          // model name as the server knows it
	APIKey      string          // sent as a Bearer token when set
	BatchSize   int             // segments per request, default 8
	Timeout     time.Duration   // per request, default 5 minutes
	Retry       translate.Retry // zero value: translate.DefaultRetry
	Temperature float64         // default 0
	Client      *http.Client    // nil: a client with Timeout
}

// Translator is an OpenAI-compatible chat client, safe for concurrent use.
type Translator struct {
	opts   Options
	client *http.Client
}

var _ translate.Translator = (*Translator)(nil)

// New returns a client for opts.BaseURL and opts.Model.
func New(opts Options) (*Translator, error) {
	if opts.BaseURL == "" || opts.Model == "" {
		return nil, fmt.Errorf("openai: base URL and model are required")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 8
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Minute
	}
	if opts.Retry.Attempts == 0 {
		opts.Retry = translate.DefaultRetry
	}
	c := opts.Client
	if c == nil {
		c = &http.Client{Timeout: opts.Timeout}
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	return &Translator{opts: opts, client: c}, nil
}

// Name implements translate.Translator: "openai:" and the model, since two
// models give two translations worth keeping apart in the cache.
func (t *Translator) Name() string { return "openai:" + t.opts.Model }

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []message `json:"messages"`
	Temperature float64   `json:"temperature"`
	Stream      bool      `json:"stream"`
}

type chatResponse struct {
	Choices []struct {
		Message message `json:"message"`
	} `json:"choices"`
}

var langNames = map[string]string{
	"zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese", "zh": "Chinese", "ja": "Japanese",
	"ko": "Korean", "ru": "Russian", "ar": "Arabic", "ur": "Urdu", "hi": "Hindi", "th": "Thai", "vi": "Vietnamese",
	"fr": "French", "es": "Spanish", "de": "German", "fa": "Persian",
}

// Prompt returns the system prompt for n segments in srcLang.
func Prompt(srcLang string, n int) string {
	from := langNames[srcLang]
	if from == "" {
		from = "the source language"
	}
	return fmt.Sprintf("You are a translation engine. Translate each string of the JSON array the user sends from %s into English. "+
		"Reply with only a JSON array of exactly %d strings: element i is the English translation of input element i. "+
		"Keep line breaks inside a string, keep names, numbers, dates, IP addresses, domains, hashes and identifiers as written. "+
		"Do not add notes or explanations.", from, n)
}

// Translate implements translate.Translator.
func (t *Translator) Translate(ctx context.Context, srcLang string, segments []string) ([]string, error) {
	out := make([]string, 0, len(segments))
	for start := 0; start < len(segments); start += t.opts.BatchSize {
		batch := segments[start:min(start+t.opts.BatchSize, len(segments))]
		got, err := t.translateBatch(ctx, srcLang, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func (t *Translator) translateBatch(ctx context.Context, srcLang string, batch []string) ([]string, error) {
	content, err := t.complete(ctx, srcLang, batch)
	if err != nil {
		return nil, err
	}
	if got, ok := ParseAnswer(content, len(batch)); ok {
		return got, nil
	}
	if len(batch) == 1 {
		return []string{cleanAnswer(content)}, nil
	}
	half := len(batch) / 2
	a, err := t.translateBatch(ctx, srcLang, batch[:half])
	if err != nil {
		return nil, err
	}
	b, err := t.translateBatch(ctx, srcLang, batch[half:])
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

func (t *Translator) complete(ctx context.Context, srcLang string, batch []string) (string, error) {
	user, err := json.Marshal(batch)
	if err != nil {
		return "", fmt.Errorf("openai: %w", err)
	}
	req := chatRequest{
		Model:       t.opts.Model,
		Temperature: t.opts.Temperature,
		Messages: []message{
			{Role: "system", Content: Prompt(srcLang, len(batch))},
			{Role: "user", Content: string(user)},
		},
	}
	var header map[string]string
	if t.opts.APIKey != "" {
		header = map[string]string{"Authorization": "Bearer " + t.opts.APIKey}
	}
	var resp chatResponse
	if err := translate.PostJSON(ctx, t.client, t.opts.BaseURL+"/chat/completions", header, req, &resp, t.opts.Retry); err != nil {
		return "", fmt.Errorf("openai: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("openai: answer without choices")
	}
	return resp.Choices[0].Message.Content, nil
}

var (
	thinkRE    = regexp.MustCompile(`(?s)<think>.*?</think>`)
	fenceRE    = regexp.MustCompile("(?s)^```[a-zA-Z]*\\s*(.*?)\\s*```$")
	numberedRE = regexp.MustCompile(`^\s*(?:\[(\d+)\]|(\d+)[.):])\s*(.*)$`)
)

// cleanAnswer removes reasoning blocks and code fences around an answer.
func cleanAnswer(s string) string {
	s = strings.TrimSpace(thinkRE.ReplaceAllString(s, ""))
	if m := fenceRE.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	return strings.TrimSpace(s)
}

// ParseAnswer extracts n translations from a model's answer: a JSON array
// (possibly fenced or surrounded by prose), or n numbered lines ("1. ...",
// "2) ...", "[3] ..."), or exactly n plain lines. It reports false when
// none of these gives n strings.
func ParseAnswer(content string, n int) ([]string, bool) {
	s := cleanAnswer(content)
	if i, j := strings.IndexByte(s, '['), strings.LastIndexByte(s, ']'); i >= 0 && j > i {
		var arr []string
		if err := json.Unmarshal([]byte(s[i:j+1]), &arr); err == nil && len(arr) == n {
			return arr, true
		}
		var obj struct {
			Translations []string `json:"translations"`
		}
		if k, l := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}'); k >= 0 && k < i && l > k {
			if err := json.Unmarshal([]byte(s[k:l+1]), &obj); err == nil && len(obj.Translations) == n {
				return obj.Translations, true
			}
		}
	}
	lines := strings.Split(s, "\n")
	numbered := make([]string, n)
	found := 0
	for _, l := range lines {
		m := numberedRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		num := m[1] + m[2]
		var k int
		if _, err := fmt.Sscanf(num, "%d", &k); err != nil || k < 1 || k > n || numbered[k-1] != "" {
			continue
		}
		numbered[k-1] = strings.TrimSpace(m[3])
		found++
	}
	if found == n {
		return numbered, true
	}
	var plain []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			plain = append(plain, strings.TrimSpace(l))
		}
	}
	if len(plain) == n {
		return plain, true
	}
	return nil, false
}
