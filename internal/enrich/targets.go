package enrich

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/leakscope/leakscope/internal/alias"
	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
	"github.com/leakscope/leakscope/internal/translate"
)

// The target register is built in two steps. The targets stage observes
// each document once (its target tables and organisation mentions,
// target.Observe) and stores the observation with the document. Then
// UpdateTargets combines every stored observation (target.Combine), which
// reads no text; only the evidence search, for documents that write a
// target's spelling without a mention there, reads texts, and only those
// of documents that changed since the last combine, or every text once
// for a spelling never searched before. Readers (LoadTargets) only read
// the stored register.
const (
	// StageTargets is the per-document stage and the name of its results.
	StageTargets = "targets"
	// ObserveVersion changes when target.Observe's rules change, so that
	// every document is observed again.
	ObserveVersion = 4
	// TargetsVersion changes when target.Combine's rules or the stored
	// register's shape change.
	TargetsVersion = 7
)

// ErrNotAnalysed is returned by LoadTargets and LoadChats for a case whose
// analyses were never computed at the current version (ingested with
// --no-enrich, or by an older leakscope): `leakscope analyse` computes them.
var ErrNotAnalysed = errors.New("the case-wide analyses are not computed yet (run 'leakscope analyse')")

// Targets is the per-document targets stage.
type Targets struct{}

var _ ingest.Stage = Targets{}

func (Targets) Name() string { return StageTargets }
func (Targets) Version() int { return ObserveVersion }

// Process observes one document and stores the observation. The entities
// stage does this itself (it has the scan at hand); this stage observes
// what it did not: every document after ObserveVersion changes, and cases
// from before the two were joined.
func (Targets) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	// The same capped scan as the entities stage, for the same reason.
	ms, _ := registry.ScanCapped([]byte(d.Text), entity.Caps{})
	return observe(ctx, c, d, reuseScan(d.Text, ms))
}

// observe stores the target observation of d; scan nil is the entity
// registry's scan.
func observe(ctx context.Context, c *casedir.Case, d *ingest.StageDoc, scan func([]byte) []entity.Match) error {
	obs := target.Observe(targetDoc(d.Info, d.Text, d.Pages), target.Options{Fold: lang.Fold, Scan: scan})
	return c.Store.PutDocResult(ctx, d.Info.ID, StageTargets, ObserveVersion, obs)
}

// targetDoc is a stored document as package target reads it, with its
// pages (spreadsheet sheets) split out.
func targetDoc(d store.DocInfo, text string, pages []store.Page) target.Doc {
	td := target.Doc{Text: text, MIME: d.MIME}
	for _, p := range pages {
		if p.Start >= 0 && p.End <= len(text) && p.Start <= p.End {
			td.Pages = append(td.Pages, target.Page{Label: p.Label, Text: text[p.Start:p.End]})
		}
	}
	return td
}

// storedTargets is the register as readers load it.
type storedTargets struct {
	Seq     int64           `json:"seq"`               // the last per-document result combined
	Aliases string          `json:"aliases,omitempty"` // the alias memory combined with (caseAliases)
	Targets []target.Target `json:"targets"`
}

// caseAliases reads the case's alias memory (package alias) and returns
// its groups and a fingerprint, so that an edited glossary recombines the
// register even when no document changed.
func caseAliases(c *casedir.Case) ([][]string, string, error) {
	m, err := alias.Load(c.Dir)
	if err != nil {
		return nil, "", err
	}
	groups := m.Groups()
	if len(groups) == 0 {
		return nil, "", nil
	}
	b, err := json.Marshal(groups)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return groups, hex.EncodeToString(sum[:8]), nil
}

// evidenceCache is what the evidence search found so far, kept between
// combines: for each spelling searched, the first unit of each document
// that writes it, as of per-document result Seq; and the translation of
// each evidence snippet.
type evidenceCache struct {
	Seq          int64                                `json:"seq"`
	Hits         map[string]map[string]target.UnitHit `json:"hits"` // needle -> document ID -> hit
	Translations map[string]string                    `json:"translations"`
}

// LoadTargets returns the stored target register. It never computes:
// ErrNotAnalysed means no register at the current version is stored.
func LoadTargets(ctx context.Context, c *casedir.Case, log *slog.Logger) ([]target.Target, error) {
	var st storedTargets
	v, err := c.Store.Analysis(ctx, StageTargets, &st)
	if errors.Is(err, store.ErrNotFound) || err == nil && v != TargetsVersion {
		return []target.Target{}, ErrNotAnalysed
	}
	if err != nil {
		return nil, err
	}
	if st.Targets == nil {
		st.Targets = []target.Target{}
	}
	return st.Targets, nil
}

// maxHitsPerNeedle bounds what the evidence cache keeps of one spelling:
// the documents first in ID order, which are the ones evidence is taken
// from (a target keeps at most target.Options.MaxEvidence paths, 50 by
// default), so that a spelling found in thousands of documents (a common
// word that is also an alias) does not grow the cache without bound.
const maxHitsPerNeedle = 200

// UpdateTargets combines the stored observations into the register and
// stores it, when any changed since the last combine (or force). It is
// for writers: the caller holds the case's write lock.
func UpdateTargets(ctx context.Context, c *casedir.Case, force bool, log *slog.Logger) ([]target.Target, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	seq, err := c.Store.ResultSeq(ctx, StageTargets)
	if err != nil {
		return nil, err
	}
	var prev storedTargets
	v, err := c.Store.Analysis(ctx, StageTargets, &prev)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	aliases, aliasSum, aerr := caseAliases(c)
	if aerr != nil {
		return nil, aerr
	}
	if !force && err == nil && v == TargetsVersion && prev.Seq == seq && prev.Aliases == aliasSum {
		return prev.Targets, nil
	}
	obs, err := loadObservations(ctx, c)
	if err != nil {
		return nil, err
	}
	var cache evidenceCache
	if _, err := c.Store.Analysis(ctx, "targets-evidence", &cache); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if cache.Hits == nil {
		cache.Hits = map[string]map[string]target.UnitHit{}
	}
	if cache.Translations == nil {
		cache.Translations = map[string]string{}
	}
	opts := target.Options{Fold: lang.Fold, Log: log, Aliases: aliases}
	// Documents observed again since the cache was made: their hits for
	// every cached spelling are searched again.
	changed, err := c.Store.ChangedDocResults(ctx, StageTargets, cache.Seq)
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 && len(cache.Hits) > 0 {
		needles := slices.Sorted(mapKeys(cache.Hits))
		for _, n := range needles {
			for _, id := range changed {
				delete(cache.Hits[n], id.String())
			}
		}
		if err := searchEvidence(ctx, c, needles, changed, cache.Hits, opts); err != nil {
			return nil, err
		}
	}
	cache.Seq = seq
	order := map[string]int{}
	for i, o := range obs {
		order[o.Doc] = i
	}
	// Combine asks for each target's spellings; those never searched are
	// collected, searched in one pass over every text, and the combine
	// runs again with every answer at hand. Once every spelling is cached
	// (a case that only grows) one combine does.
	var missing []string
	find := func(needles []string) []target.EvidenceHit {
		perDoc := map[string]map[int]target.UnitHit{}
		for ni, n := range needles {
			hits, ok := cache.Hits[n]
			if !ok {
				missing = append(missing, n)
				continue
			}
			for doc, h := range hits {
				if perDoc[doc] == nil {
					perDoc[doc] = map[int]target.UnitHit{}
				}
				perDoc[doc][ni] = h
			}
		}
		var out []target.EvidenceHit
		for doc, hs := range perDoc {
			i, ok := order[doc]
			if !ok {
				continue // no longer an extracted document
			}
			if h, ok := target.FirstHit(hs); ok {
				out = append(out, target.EvidenceHit{Doc: doc, Paths: obs[i].Paths, Snippet: h.Snippet})
			}
		}
		slices.SortFunc(out, func(a, b target.EvidenceHit) int { return order[a.Doc] - order[b.Doc] })
		return out
	}
	t, _, err := NewTranslator(c, "", log)
	if err != nil {
		return nil, err
	}
	opts.Translate = func(s string) string {
		if tr, ok := cache.Translations[s]; ok {
			return tr
		}
		out, err := TranslateSegments(ctx, t, []string{s})
		tr := ""
		if err == nil && len(out) == 1 && out[0] != s {
			tr = out[0]
		}
		cache.Translations[s] = tr
		return tr
	}
	ts := target.Combine(obs, find, opts)
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		for _, n := range missing {
			cache.Hits[n] = map[string]target.UnitHit{}
		}
		if err := searchEvidence(ctx, c, missing, nil, cache.Hits, opts); err != nil {
			return nil, err
		}
		missing = nil
		ts = target.Combine(obs, find, opts)
	}
	if ts == nil {
		ts = []target.Target{}
	}
	// Keep only the translations of snippets still shown.
	used := map[string]string{}
	for _, tg := range ts {
		for _, e := range tg.Evidence {
			used[e.Snippet] = cache.Translations[e.Snippet]
		}
	}
	cache.Translations = used
	if err := c.Store.PutAnalysis(ctx, "targets-evidence", TargetsVersion, cache); err != nil {
		return nil, err
	}
	return ts, c.Store.PutAnalysis(ctx, StageTargets, TargetsVersion, storedTargets{Seq: seq, Aliases: aliasSum, Targets: ts})
}

// loadObservations reads every stored observation with its document's
// paths, in document ID order.
func loadObservations(ctx context.Context, c *casedir.Case) ([]target.DocObservation, error) {
	paths, err := c.Store.AllPathsByDoc(ctx)
	if err != nil {
		return nil, err
	}
	var obs []target.DocObservation
	err = c.Store.DocResults(ctx, StageTargets, ObserveVersion, func(r store.DocResult) error {
		ps := paths[r.Doc]
		if len(ps) == 0 {
			return nil
		}
		var o target.Observation
		if err := json.Unmarshal(r.Data, &o); err != nil {
			return fmt.Errorf("targets of %s: %w", r.Doc.Short(), err)
		}
		obs = append(obs, target.DocObservation{Doc: r.Doc.String(), Paths: ps, Observation: o})
		return nil
	})
	slices.SortFunc(obs, func(a, b target.DocObservation) int {
		switch {
		case a.Doc < b.Doc:
			return -1
		case a.Doc > b.Doc:
			return 1
		}
		return 0
	})
	return obs, err
}

// searchEvidence searches needles in the texts of docs (every extracted
// document when docs is nil) in one pass per text, adding what it finds
// to hits.
func searchEvidence(ctx context.Context, c *casedir.Case, needles []string, docs []leak.ID, hits map[string]map[string]target.UnitHit, opts target.Options) error {
	m := target.NewMatcher(needles, opts)
	scan := func(d store.DocInfo, text string) error {
		_, pages, err := c.Store.Text(ctx, d.ID)
		if err != nil {
			return err
		}
		for ni, h := range m.Find(target.Units(targetDoc(d, text, pages))) {
			hs := hits[needles[ni]]
			if hs == nil {
				hs = map[string]target.UnitHit{}
				hits[needles[ni]] = hs
			}
			hs[d.ID.String()] = h
		}
		return nil
	}
	defer func() {
		for _, n := range needles {
			hs := hits[n]
			if len(hs) <= maxHitsPerNeedle {
				continue
			}
			for _, doc := range slices.Sorted(mapKeys(hs))[maxHitsPerNeedle:] {
				delete(hs, doc)
			}
		}
	}()
	if docs == nil {
		return c.Store.ForEachText(ctx, scan)
	}
	for _, id := range docs {
		d, err := c.Store.Document(ctx, id)
		if err != nil {
			return err
		}
		if d.Status == leak.StatusPending {
			continue // reset by --retry-failed: its stages run again
		}
		text, _, err := c.Store.Text(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := scan(d, text); err != nil {
			return err
		}
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Check runs an exposure check of watch against every document.
func Check(ctx context.Context, c *casedir.Case, watch []target.WatchEntry) ([]target.Hit, error) {
	var hits []target.Hit
	var walkErr error
	docs := func(yield func(target.Doc) bool) {
		stop := errors.New("stop")
		err := c.Store.ForEachText(ctx, func(d store.DocInfo, text string) error {
			paths, err := c.Store.AllPaths(ctx, d.ID)
			if err != nil || len(paths) == 0 {
				return err
			}
			_, pages, err := c.Store.Text(ctx, d.ID)
			if err != nil {
				return err
			}
			_, tr, _ := c.Store.Translation(ctx, d.ID, "")
			td := targetDoc(d, text, pages)
			td.Translation = tr
			for _, p := range paths {
				td.Path = p
				if !yield(td) {
					return stop
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			walkErr = err
		}
	}
	hits = target.Check(docs, watch, target.Options{Fold: lang.Fold})
	return hits, walkErr
}

// Stages are the enrichment stages in the order they run after
// extraction: language, translation with t, entities, the per-document
// analyses (targets, chats), then ix (the index stage, or nil for none).
func Stages(t translate.Translator, ix ingest.Stage) []ingest.Stage {
	ss := []ingest.Stage{Lang{}, &Translate{T: t}, Entities{}, Targets{}, NewChatParse()}
	if ix != nil {
		ss = append(ss, ix)
	}
	return ss
}

// Analyse brings the case-wide analyses up to date after the stages ran:
// the register and the chats are combined from the per-document results
// when any changed (or force), the who-targets-what links and the
// timeline follow them, and the chat messages that changed are indexed in
// x with their translation by t.
func Analyse(ctx context.Context, c *casedir.Case, x index.Index, t translate.Translator, force bool, log *slog.Logger) error {
	ts, err := UpdateTargets(ctx, c, force, log)
	if err != nil {
		return fmt.Errorf("targets: %w", err)
	}
	ch, err := UpdateChats(ctx, c, force)
	if err != nil {
		return fmt.Errorf("chats: %w", err)
	}
	if err := updateActivity(ctx, c, ts, ch, force); err != nil {
		return fmt.Errorf("links and timeline: %w", err)
	}
	if x == nil {
		return nil
	}
	if _, err := indexMessages(ctx, c, x, ch, t, log); err != nil {
		return fmt.Errorf("index messages: %w", err)
	}
	return nil
}
