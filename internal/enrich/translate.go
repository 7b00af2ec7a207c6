package enrich

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unicode"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/translate"
	"github.com/leakscope/leakscope/internal/translate/gloss"
	"github.com/leakscope/leakscope/internal/translate/libre"
	"github.com/leakscope/leakscope/internal/translate/openai"
)

// NewTranslator builds the translator the case is configured for, behind
// the case's translation cache. backend overrides the case config when
// set. The returned warning (CC-CEDICT missing) is worth one line to the
// user, not an error.
func NewTranslator(c *casedir.Case, backend string, log *slog.Logger) (translate.Translator, error, error) {
	if backend == "" {
		backend = c.Config.Translator
	}
	var t translate.Translator
	var warn error
	switch backend {
	case "", "gloss":
		t, warn = defaultGloss(log), gloss.DictionaryWarning()
	case "libretranslate":
		if c.Config.TranslatorURL == "" {
			return nil, nil, fmt.Errorf("translator libretranslate: set translator_url in %s/case.json", c.Dir)
		}
		l, err := libre.New(libre.Options{URL: c.Config.TranslatorURL})
		if err != nil {
			return nil, nil, err
		}
		t = l
	case "openai":
		if c.Config.TranslatorURL == "" || c.Config.TranslatorModel == "" {
			return nil, nil, fmt.Errorf("translator openai: set translator_url and translator_model in %s/case.json", c.Dir)
		}
		o, err := openai.New(openai.Options{BaseURL: c.Config.TranslatorURL, Model: c.Config.TranslatorModel})
		if err != nil {
			return nil, nil, err
		}
		t = o
	default:
		return nil, nil, fmt.Errorf("unknown translator %q (gloss, libretranslate, openai)", backend)
	}
	return translate.Cached(t, revisionedCache{c.Store.TranslationCache()}), warn, nil
}

// revisionedCache keys the gloss's cached segments by its Revision, so
// that an upgraded gloss glosses again instead of serving the gists of
// the old rules. Other backends (a self-hosted model) keep their key: their
// translations do not change with leakscope's version.
type revisionedCache struct{ c translate.Cache }

func cacheKey(backend string) string {
	if backend == gloss.Name || backend == gloss.NameNoDict {
		return fmt.Sprintf("%s#r%d", backend, gloss.Revision)
	}
	return backend
}

func (r revisionedCache) Get(backend, srcLang, seg string) (string, bool, error) {
	return r.c.Get(cacheKey(backend), srcLang, seg)
}

func (r revisionedCache) Put(backend, srcLang, seg, tr string) error {
	return r.c.Put(cacheKey(backend), srcLang, seg, tr)
}

// glossOnce loads the gloss translator's dictionaries once per process and
// only when a segment is first translated: they take most of a second to
// load, and a command that adds an English file or re-combines the
// register with cached translations needs them not at all.
var (
	glossOnce sync.Once
	glosser   *gloss.Glosser
	glossErr  error
)

// lazyGloss is the gloss translator, loaded on first use.
type lazyGloss struct{ log *slog.Logger }

func defaultGloss(log *slog.Logger) translate.Translator { return lazyGloss{log} }

// Name is the backend's cache key, which depends on whether CC-CEDICT is
// there (gloss.Glosser.Name), known before loading it.
func (lazyGloss) Name() string {
	if gloss.DictionaryWarning() != nil {
		return gloss.NameNoDict
	}
	return gloss.Name
}

func (l lazyGloss) Translate(ctx context.Context, srcLang string, segs []string) ([]string, error) {
	glossOnce.Do(func() { glosser, glossErr = gloss.New(gloss.Options{Logger: l.log}) })
	if glossErr != nil {
		return nil, glossErr
	}
	return glosser.Translate(ctx, srcLang, segs)
}

// Translate translates every document that is not in English, line by
// line (a line is the natural segment of chats, tables and OCR), and
// stores the English text aligned line for line with the original.
type Translate struct {
	T translate.Translator
}

var _ ingest.Stage = (*Translate)(nil)

func (t *Translate) Name() string { return "translate" }

// Version follows the gloss's Revision, so that a new gloss re-translates
// every document (a self-hosted backend's cached segments are kept and
// served again at no cost).
func (t *Translate) Version() int { return 1 + gloss.Revision }

func (t *Translate) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	info, err := c.Store.Document(ctx, d.Info.ID)
	if err != nil {
		return err
	}
	if !hasProse(info) {
		return nil
	}
	src := info.Language
	if src == "" {
		src = lang.Detect(d.Text)
	}
	if src == "en" || src == "" && !needsTranslation(d.Text) {
		return nil
	}
	out, err := TranslateText(ctx, t.T, src, d.Text)
	if err != nil {
		return err
	}
	return c.Store.PutTranslation(ctx, d.Info.ID, t.T.Name(), out)
}

// TranslateText translates text line by line, keeping line structure;
// lines without anything to translate pass through unchanged.
func TranslateText(ctx context.Context, t translate.Translator, src, text string) (string, error) {
	lines := strings.Split(text, "\n")
	var segs []string
	var idx []int
	for i, l := range lines {
		if needsTranslation(l) {
			segs = append(segs, l)
			idx = append(idx, i)
		}
	}
	if len(segs) == 0 {
		return text, nil
	}
	got, err := t.Translate(ctx, src, segs)
	if err != nil {
		return "", err
	}
	for j, i := range idx {
		lines[i] = strings.ReplaceAll(got[j], "\n", " ")
	}
	return strings.Join(lines, "\n"), nil
}

// needsTranslation reports whether s has letters outside Latin script.
func needsTranslation(s string) bool {
	for _, r := range s {
		if r > 0x24f && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// TranslateSegments translates independent segments (chat messages,
// snippets), detecting each one's language; segments with nothing to
// translate come back unchanged.
func TranslateSegments(ctx context.Context, t translate.Translator, segs []string) ([]string, error) {
	out := make([]string, len(segs))
	byLang := map[string][]int{}
	for i, s := range segs {
		out[i] = s
		if needsTranslation(s) {
			l := lang.Detect(s)
			byLang[l] = append(byLang[l], i)
		}
	}
	for l, idx := range byLang {
		in := make([]string, len(idx))
		for j, i := range idx {
			in[j] = segs[i]
		}
		got, err := t.Translate(ctx, l, in)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			out[i] = got[j]
		}
	}
	return out, nil
}
