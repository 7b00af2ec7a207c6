package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Translator translates segments of one source language into English.
// Implementations return exactly one translation per segment, in order, and
// are safe for concurrent use.
type Translator interface {
	// Name is the stable backend name stored in the cache ("gloss",
	// "libretranslate", "openai:<model>").
	Name() string
	// Translate translates segments written in srcLang (a BCP 47 tag, "" if
	// unknown) into English.
	Translate(ctx context.Context, srcLang string, segments []string) ([]string, error)
}

// Cache stores translations by (backend, source language, segment hash).
type Cache interface {
	// Get returns the cached translation of seg, and whether there was one.
	Get(backend, srcLang, seg string) (string, bool, error)
	// Put stores the translation of seg, replacing an older one.
	Put(backend, srcLang, seg, translation string) error
}

// SegmentHash is the cache key of a segment: the hex SHA-256 of its bytes.
func SegmentHash(seg string) string {
	h := sha256.Sum256([]byte(seg))
	return hex.EncodeToString(h[:])
}

// DefaultBatch is the number of segments Cached sends to its backend at once.
const DefaultBatch = 32

// CachedTranslator sends only the segments its cache does not know to the
// backend and stores what comes back.
type CachedTranslator struct {
	t     Translator
	c     Cache
	batch int
}

var _ Translator = (*CachedTranslator)(nil)

// Cached wraps t with cache c. Identical segments in one call are sent once;
// misses go to t in batches of DefaultBatch.
func Cached(t Translator, c Cache) *CachedTranslator {
	return &CachedTranslator{t: t, c: c, batch: DefaultBatch}
}

// WithBatch sets the batch size (n < 1 means one segment per call).
func (ct *CachedTranslator) WithBatch(n int) *CachedTranslator {
	ct.batch = max(n, 1)
	return ct
}

// Name is the backend's name: the cache is transparent.
func (ct *CachedTranslator) Name() string { return ct.t.Name() }

// Translate returns cached translations and translates the rest.
func (ct *CachedTranslator) Translate(ctx context.Context, srcLang string, segments []string) ([]string, error) {
	name := ct.t.Name()
	out := make([]string, len(segments))
	need := map[string][]int{} // segment -> indexes waiting for it
	var order []string
	for i, s := range segments {
		if idx, ok := need[s]; ok {
			need[s] = append(idx, i)
			continue
		}
		tr, ok, err := ct.c.Get(name, srcLang, s)
		if err != nil {
			return nil, fmt.Errorf("translate cache get: %w", err)
		}
		if ok {
			out[i] = tr
			continue
		}
		need[s] = []int{i}
		order = append(order, s)
	}
	for start := 0; start < len(order); start += ct.batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := order[start:min(start+ct.batch, len(order))]
		got, err := ct.t.Translate(ctx, srcLang, batch)
		if err != nil {
			return nil, fmt.Errorf("translate %s: %w", name, err)
		}
		if len(got) != len(batch) {
			return nil, fmt.Errorf("translate %s: %d translations for %d segments", name, len(got), len(batch))
		}
		for j, s := range batch {
			if err := ct.c.Put(name, srcLang, s, got[j]); err != nil {
				return nil, fmt.Errorf("translate cache put: %w", err)
			}
			for _, i := range need[s] {
				out[i] = got[j]
			}
		}
	}
	return out, nil
}
