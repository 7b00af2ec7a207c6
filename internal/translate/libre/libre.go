// Package libre translates through a self-hosted LibreTranslate server
// (POST /translate). Nothing leaves the machine unless URL points elsewhere.
//
// # Batch
//
// LibreTranslate accepts a list of strings in "q" and answers with a list
// in "translatedText"; a batch is one such request.
package libre

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/translate"
)

// Name is the backend name stored in the translation cache.
const Name = "libretranslate"

// Options configure New.
type Options struct {
	URL       string            // base URL, e.g. http://127.0.0.1:5000
	APIKey    string            // sent as api_key when set
	Target    string            // target language, default "en"
	BatchSize int               // segments per request, default 16
	Timeout   time.Duration     // per request, default 2 minutes
	Retry     translate.Retry   // zero value: translate.DefaultRetry
	LangMap   map[string]string // BCP 47 -> server code overrides
	Client    *http.Client      // nil: a client with Timeout
}

// Translator is a LibreTranslate client, safe for concurrent use.
type Translator struct {
	opts   Options
	client *http.Client
}

var _ translate.Translator = (*Translator)(nil)

// New returns a client for the server at opts.URL.
func New(opts Options) (*Translator, error) {
	if opts.URL == "" {
		return nil, fmt.Errorf("libretranslate: no server URL")
	}
	if opts.Target == "" {
		opts.Target = "en"
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 16
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Retry.Attempts == 0 {
		opts.Retry = translate.DefaultRetry
	}
	c := opts.Client
	if c == nil {
		c = &http.Client{Timeout: opts.Timeout}
	}
	opts.URL = strings.TrimRight(opts.URL, "/")
	return &Translator{opts: opts, client: c}, nil
}

// Name implements translate.Translator.
func (t *Translator) Name() string { return Name }

// defaultCodes maps BCP 47 tags to LibreTranslate's language codes
// (Argos models: "zh" simplified, "zt" traditional).
var defaultCodes = map[string]string{"": "auto", "zh-Hans": "zh", "zh-Hant": "zt", "zh": "zh"}

func (t *Translator) code(tag string) string {
	if c, ok := t.opts.LangMap[tag]; ok {
		return c
	}
	if c, ok := defaultCodes[tag]; ok {
		return c
	}
	base, _, _ := strings.Cut(tag, "-")
	return base
}

type request struct {
	Q      []string `json:"q"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Format string   `json:"format"`
	APIKey string   `json:"api_key,omitempty"`
}

type response struct {
	TranslatedText []string `json:"translatedText"`
	Error          string   `json:"error"`
}

// Translate implements translate.Translator, one request per batch.
func (t *Translator) Translate(ctx context.Context, srcLang string, segments []string) ([]string, error) {
	out := make([]string, 0, len(segments))
	for start := 0; start < len(segments); start += t.opts.BatchSize {
		batch := segments[start:min(start+t.opts.BatchSize, len(segments))]
		var resp response
		req := request{Q: batch, Source: t.code(srcLang), Target: t.opts.Target, Format: "text", APIKey: t.opts.APIKey}
		if err := translate.PostJSON(ctx, t.client, t.opts.URL+"/translate", nil, req, &resp, t.opts.Retry); err != nil {
			return nil, fmt.Errorf("libretranslate: %w", err)
		}
		if resp.Error != "" {
			return nil, fmt.Errorf("libretranslate: server error: %s", resp.Error)
		}
		if len(resp.TranslatedText) != len(batch) {
			return nil, fmt.Errorf("libretranslate: %d translations for %d segments", len(resp.TranslatedText), len(batch))
		}
		out = append(out, resp.TranslatedText...)
	}
	return out, nil
}
