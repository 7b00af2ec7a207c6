package bleve

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	bv "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/leakscope/leakscope/internal/index"
)

// Field names in the Bleve documents. They are persisted in the index.
const (
	fKind         = "kind"
	fPath         = "path"
	fPaths        = "paths"
	fPathText     = "pathtext"
	fTitle        = "title"
	fText         = "text"
	fTranslation  = "translation"
	fLang         = "lang"
	fMIME         = "mime"
	fType         = "type"
	fDate         = "date"
	fYear         = "year"
	fYearNum      = "yearnum"
	fEntity       = "entity"
	fCountry      = "country"
	fSender       = "sender"
	fConversation = "conversation"
	fSource       = "src"
)

// textFields are searched by a term without a field, with their boosts.
var textFields = []struct {
	name  string
	boost float64
}{{fTitle, 2}, {fText, 1}, {fTranslation, 1}, {fPathText, 0.5}}

// batchSize is how many units Add sends to Bleve at once.
const batchSize = 1000

// createSegment makes a new, empty Bleve index in dir.
func createSegment(dir string) (bv.Index, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create segment %s: %w", filepath.Base(dir), err)
	}
	bi, err := bv.New(dir, newMapping())
	if err != nil {
		return nil, fmt.Errorf("create segment %s: %w", filepath.Base(dir), err)
	}
	return bi, nil
}

// openSegment opens the closed Bleve index in dir read-only. Scorch then
// opens its bolt file with a shared lock (LOCK_SH), so any number of
// processes may read one segment at once; only an open for writing takes
// the exclusive lock, and no one opens a published segment for writing.
func openSegment(dir string) (bv.Index, error) {
	bi, err := bv.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open segment %s: %w", filepath.Base(dir), err)
	}
	return bi, nil
}

func newMapping() mapping.IndexMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := bv.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.Store = store
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bv.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bv.NewKeywordFieldMapping()
		f.Store = true
		f.Index = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	dm := bv.NewDocumentStaticMapping()
	for name, f := range map[string]*mapping.FieldMapping{
		fTitle: text(true), fText: text(true), fTranslation: text(true), fPathText: text(false),
		fKind: kw(true), fPath: kw(true), fConversation: kw(true),
		fSource: stored(),
		fPaths:  kw(false), fLang: kw(false), fMIME: kw(false), fType: kw(false), fYear: kw(false),
		fEntity: kw(false), fCountry: kw(false), fSender: kw(false),
	} {
		dm.AddFieldMappingsAt(name, f)
	}
	date := bv.NewDateTimeFieldMapping()
	date.IncludeInAll = false
	dm.AddFieldMappingsAt(fDate, date)
	num := bv.NewNumericFieldMapping()
	num.IncludeInAll = false
	dm.AddFieldMappingsAt(fYearNum, num)

	im := bv.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = AnalyzerName
	im.DefaultField = fText
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// addDocs indexes docs into bi in batches of batchSize.
func addDocs(ctx context.Context, bi bv.Index, docs []index.Doc) error {
	b := bi.NewBatch()
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.ID == "" {
			return fmt.Errorf("index add: document %d has no id", i)
		}
		m, err := bleveDoc(d)
		if err != nil {
			return fmt.Errorf("index add %s: %w", d.ID, err)
		}
		if err := b.Index(d.ID, m); err != nil {
			return fmt.Errorf("index add %s: %w", d.ID, err)
		}
		if b.Size() >= batchSize {
			if err := bi.Batch(b); err != nil {
				return fmt.Errorf("index add: %w", err)
			}
			b.Reset()
		}
	}
	if b.Size() > 0 {
		if err := bi.Batch(b); err != nil {
			return fmt.Errorf("index add: %w", err)
		}
	}
	return nil
}

// bleveDoc is the Bleve document of d. Besides the searched fields it
// stores fSource, d as JSON without its text and translation (stored on
// their own), so that a merge can rebuild the unit from the segment alone.
func bleveDoc(d index.Doc) (map[string]any, error) {
	kind := d.Kind
	if kind == "" {
		kind = index.KindDocument
	}
	paths := d.Paths
	if d.Path != "" && !contains(paths, d.Path) {
		paths = append([]string{d.Path}, paths...)
	}
	path := d.Path
	if path == "" && len(paths) > 0 {
		path = paths[0]
	}
	m := map[string]any{
		fKind:        kind,
		fPath:        path,
		fPaths:       paths,
		fPathText:    strings.Join(paths, "\n"),
		fTitle:       d.Title,
		fText:        d.Text,
		fTranslation: d.Translation,
		fMIME:        d.MIME,
		fType:        index.TypeOf(d.MIME, kind),
	}
	if d.Lang != "" {
		m[fLang] = CanonicalLang(d.Lang)
	}
	year := d.Year
	if !d.Date.IsZero() {
		m[fDate] = d.Date.UTC()
		if year == 0 {
			year = d.Date.Year()
		}
	}
	if year > 0 {
		m[fYear] = strconv.Itoa(year)
		m[fYearNum] = float64(year)
	}
	if len(d.Entities) > 0 {
		m[fEntity] = d.Entities
	}
	if len(d.Countries) > 0 {
		cs := make([]string, len(d.Countries))
		for i, c := range d.Countries {
			cs[i] = strings.ToUpper(c)
		}
		m[fCountry] = cs
	}
	if d.Sender != "" {
		m[fSender] = d.Sender
	}
	if d.Conversation != "" {
		m[fConversation] = d.Conversation
	}
	src := d
	src.Text, src.Translation = "", ""
	b, err := json.Marshal(src)
	if err != nil {
		return nil, err
	}
	m[fSource] = string(b)
	return m, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// CanonicalLang writes a BCP 47 tag in its usual case: zh-hans is zh-Hans.
func CanonicalLang(tag string) string {
	parts := strings.Split(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"), "-")
	for i, p := range parts {
		switch {
		case i == 0:
			parts[i] = strings.ToLower(p)
		case len(p) == 4:
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		default:
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, "-")
}

// searchRequest validates q and turns it into a Bleve request, with the
// parsed node (filters included) for a fallback.
func searchRequest(q index.Query, po index.ParseOptions) (index.Query, index.Node, *bv.SearchRequest, error) {
	q, err := q.Validate()
	if err != nil {
		return q, nil, nil, err
	}
	node, err := index.ParseWith(q.Text, po)
	if err != nil {
		return q, nil, nil, err
	}
	if fn, err := index.FilterNode(q.Filters); err != nil {
		return q, nil, nil, err
	} else if fn != nil {
		node = index.And{Nodes: []index.Node{node, fn}}
	}
	req, err := requestFor(q, node)
	return q, node, req, err
}

// requestFor is the Bleve request of node under q's paging, order and
// facets.
func requestFor(q index.Query, node index.Node) (*bv.SearchRequest, error) {
	bq, err := translate(node)
	if err != nil {
		return nil, err
	}
	if bq == nil {
		bq = bv.NewMatchAllQuery()
	}
	req := bv.NewSearchRequestOptions(bq, q.Limit, q.Offset, false)
	req.Fields = []string{fPath, fKind, fConversation, fTitle, fText, fTranslation, fSource}
	req.IncludeLocations = q.Highlight
	// Ties (equal scores, common across segments and for filters only)
	// are broken by ID, so pages do not overlap whatever the segment
	// layout.
	switch q.Sort {
	case index.SortNewest, index.SortOldest:
		req.SortByCustom(search.SortOrder{
			&search.SortField{Field: fDate, Type: search.SortFieldAsDate, Desc: q.Sort == index.SortNewest, Missing: search.SortFieldMissingLast},
			&search.SortScore{Desc: true},
			&search.SortDocID{},
		})
	default:
		req.SortBy([]string{"-_score", "_id"})
	}
	for _, f := range q.Facets {
		req.AddFacet(f, bv.NewFacetRequest(f, q.FacetSize))
	}
	return req, nil
}

// result converts a Bleve result.
func result(res *bv.SearchResult, q index.Query) index.Result {
	out := index.Result{Total: res.Total, Hits: make([]index.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		hit := index.Hit{
			ID:                 h.ID,
			Path:               str(h.Fields[fPath]),
			Score:              h.Score,
			Kind:               str(h.Fields[fKind]),
			Conversation:       str(h.Fields[fConversation]),
			Title:              str(h.Fields[fTitle]),
			Snippet:            snippet(h, q.Highlight, fText, fTitle),
			TranslationSnippet: snippet(h, q.Highlight, fTranslation),
		}
		// The date and sender come from the stored source, which every
		// segment written since merges exist has; older units show none.
		var src index.Doc
		if s := str(h.Fields[fSource]); s != "" && json.Unmarshal([]byte(s), &src) == nil {
			hit.Date, hit.Sender = src.Date.UTC(), src.Sender
		}
		out.Hits = append(out.Hits, hit)
	}
	if len(q.Facets) > 0 {
		out.Facets = make(map[string][]index.FacetCount, len(q.Facets))
		for _, f := range q.Facets {
			fr := res.Facets[f]
			counts := []index.FacetCount{}
			if fr != nil && fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					counts = append(counts, index.FacetCount{Value: t.Term, Count: t.Count})
				}
			}
			out.Facets[f] = counts
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// translate turns the parsed query into a Bleve query; nil means "no
// constraint" (a term that analyses to nothing, such as "-").
func translate(n index.Node) (query.Query, error) {
	switch n := n.(type) {
	case index.All:
		return nil, nil
	case index.And:
		var must, not []query.Query
		for _, c := range n.Nodes {
			if neg, ok := c.(index.Not); ok {
				q, err := translate(neg.Node)
				if err != nil {
					return nil, err
				}
				if q == nil {
					return bv.NewMatchNoneQuery(), nil
				}
				not = append(not, q)
				continue
			}
			q, err := translate(c)
			if err != nil {
				return nil, err
			}
			if q != nil {
				must = append(must, q)
			}
		}
		if len(not) == 0 {
			switch len(must) {
			case 0:
				return nil, nil
			case 1:
				return must[0], nil
			}
			return bv.NewConjunctionQuery(must...), nil
		}
		if len(must) == 0 {
			must = []query.Query{bv.NewMatchAllQuery()}
		}
		bq := bv.NewBooleanQuery()
		bq.AddMust(must...)
		bq.AddMustNot(not...)
		return bq, nil
	case index.Or:
		var should []query.Query
		for _, c := range n.Nodes {
			q, err := translate(c)
			if err != nil {
				return nil, err
			}
			if q == nil {
				return nil, nil // one side matches everything
			}
			should = append(should, q)
		}
		return bv.NewDisjunctionQuery(should...), nil
	case index.Not:
		return translate(index.And{Nodes: []index.Node{n}})
	case index.DateRange:
		t, f := true, false
		q := bv.NewDateRangeInclusiveQuery(n.From, n.To, &t, &f)
		q.SetField(fDate)
		return q, nil
	case index.YearRange:
		var lo, hi *float64
		if n.From > 0 {
			v := float64(n.From)
			lo = &v
		}
		if n.To > 0 {
			v := float64(n.To)
			hi = &v
		}
		t := true
		q := bv.NewNumericRangeInclusiveQuery(lo, hi, &t, &t)
		q.SetField(fYearNum)
		return q, nil
	case index.Term:
		return termQuery(n)
	}
	return nil, fmt.Errorf("index: unknown query node %T", n)
}

func termQuery(t index.Term) (query.Query, error) {
	switch t.Field {
	case "":
		var qs []query.Query
		for _, f := range textFields {
			q := textQuery(f.name, t)
			if q == nil {
				return nil, nil
			}
			if b, ok := q.(query.BoostableQuery); ok {
				b.SetBoost(f.boost)
			}
			qs = append(qs, q)
		}
		return bv.NewDisjunctionQuery(qs...), nil
	case "text", "translation", "title":
		return textQuery(t.Field, t), nil
	case "path":
		v := t.Value
		if !t.Wildcard {
			v = "*" + escapeWildcard(v) + "*"
		}
		return wildcard(fPaths, v), nil
	case "lang":
		v := CanonicalLang(t.Value)
		if t.Wildcard {
			return wildcard(fLang, v), nil
		}
		if !strings.Contains(v, "-") {
			return bv.NewDisjunctionQuery(term(fLang, v), wildcard(fLang, v+"-*")), nil
		}
		return term(fLang, v), nil
	case "type":
		return keywordQuery(fType, strings.ToLower(t.Value), t.Wildcard), nil
	case "country":
		return keywordQuery(fCountry, strings.ToUpper(t.Value), t.Wildcard), nil
	case "entity":
		v := t.Value
		if kind, val, ok := strings.Cut(v, ":"); ok {
			v = strings.ToLower(kind) + ":" + val
			return keywordQuery(fEntity, v, t.Wildcard), nil
		}
		if !t.Wildcard {
			v = "*:" + escapeWildcard(v)
		}
		return wildcard(fEntity, v), nil
	case "id":
		if t.Wildcard {
			return nil, &index.QueryError{Pos: -1, Msg: "id: wildcards are not supported"}
		}
		return bv.NewDocIDQuery([]string{t.Value}), nil
	case "sender", "conversation", "kind", "mime":
		return keywordQuery(t.Field, t.Value, t.Wildcard), nil
	}
	return nil, &index.QueryError{Pos: -1, Msg: "unknown field " + t.Field}
}

func keywordQuery(field, v string, wild bool) query.Query {
	if wild {
		return wildcard(field, v)
	}
	return term(field, v)
}

func term(field, v string) query.Query {
	q := bv.NewTermQuery(v)
	q.SetField(field)
	return q
}

func wildcard(field, v string) query.Query {
	q := bv.NewWildcardQuery(v)
	q.SetField(field)
	return q
}

// escapeWildcard keeps literal * and ? from acting as wildcards; Bleve has
// no escape, so they become "any one character".
func escapeWildcard(s string) string {
	return strings.NewReplacer("*", "?").Replace(s)
}

// textQuery searches one analysed field. A word or phrase is a phrase
// query over its analysed terms (so a CJK string is matched as a run of
// bigrams); a single CJK character, which the index holds only inside
// bigrams, matches any bigram that starts or ends with it; a pattern is a
// wildcard over folded terms.
func textQuery(field string, t index.Term) query.Query {
	if t.Wildcard {
		v := string(foldPattern(t.Value))
		if strings.Trim(v, "*?") == "" {
			return nil
		}
		return wildcard(field, v)
	}
	toks := textAnalyzer{}.Analyze([]byte(t.Value))
	if len(toks) == 0 {
		return nil
	}
	if len(toks) == 1 && toks[0].Type == analysis.Ideographic && utf8.RuneCount(toks[0].Term) == 1 {
		c := string(toks[0].Term)
		return bv.NewDisjunctionQuery(term(field, c), wildcard(field, c+"?"), wildcard(field, "?"+c))
	}
	// No analyzer is named: each segment analyses the query with the one
	// its mapping gives the field, so segments of an older analyzer still
	// match until a reindex rebuilds them.
	q := bv.NewMatchPhraseQuery(t.Value)
	q.SetField(field)
	return q
}

// foldPattern folds a wildcard pattern as the analyzer folds words,
// keeping * and ?.
func foldPattern(p string) []byte {
	var out []byte
	for _, seg := range strings.SplitAfter(p, "") {
		r, _ := utf8.DecodeRuneInString(seg)
		switch {
		case r == '*' || r == '?':
			out = append(out, byte(r))
		case isCJK(r):
			out = utf8.AppendRune(out, foldHan(r))
		default:
			out = append(out, foldWord([]byte(seg))...)
		}
	}
	return out
}
