package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/leak"
)

// API bounds. A request outside them is a 400, not silently clamped, so a
// client learns its mistake.
const (
	maxSearchLimit = 200
	maxListLimit   = 1000
	maxOffset      = 10_000
)

// intParam reads an integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be an integer in %d..%d: %w", name, lo, hi, ErrInvalid)
	}
	return n, nil
}

// idPattern accepts a document ID (64 hex digits) and nothing else, so
// that no path trickery reaches a Backend.
var idPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// convPattern accepts conversation IDs: printable, no slashes or dots only.
var convPattern = regexp.MustCompile(`^[\p{L}\p{N}_\-.:#@]{1,200}$`)

func docID(r *http.Request) (string, error) {
	id := strings.ToLower(r.PathValue("id"))
	if !idPattern.MatchString(id) {
		return "", fmt.Errorf("document id must be 64 hex digits: %w", ErrInvalid)
	}
	return id, nil
}

func convID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !convPattern.MatchString(id) || strings.Trim(id, ".") == "" {
		return "", fmt.Errorf("bad conversation id: %w", ErrInvalid)
	}
	return id, nil
}

func writeJSON(w http.ResponseWriter, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(buf.Bytes())
	return err
}

// searchQuery builds an index.Query from the request parameters shared by
// the API and the search page: q, offset, limit, facet (repeatable or
// comma-separated), filter (repeatable field:value), highlight, sort
// (relevance, date, date-asc; the index rejects others as a bad query).
func searchQuery(r *http.Request, defFacets bool) (index.Query, error) {
	v := r.URL.Query()
	q := index.Query{Text: v.Get("q"), Highlight: v.Get("highlight") != "0" && v.Get("highlight") != "false", Sort: v.Get("sort")}
	if q.Sort == index.SortRelevance {
		q.Sort = ""
	}
	var err error
	if q.Offset, err = intParam(r, "offset", 0, 0, maxOffset); err != nil {
		return q, err
	}
	if q.Limit, err = intParam(r, "limit", 20, 1, maxSearchLimit); err != nil {
		return q, err
	}
	for _, f := range v["facet"] {
		for _, name := range strings.Split(f, ",") {
			if name = strings.TrimSpace(name); name != "" {
				q.Facets = append(q.Facets, name)
			}
		}
	}
	if len(q.Facets) == 0 && defFacets {
		q.Facets = index.Facets
	}
	for _, f := range v["filter"] {
		name, val, ok := strings.Cut(f, ":")
		if !ok || val == "" {
			return q, fmt.Errorf("filter must be field:value: %w", ErrInvalid)
		}
		if q.Filters == nil {
			q.Filters = map[string][]string{}
		}
		q.Filters[name] = append(q.Filters[name], val)
	}
	return q, nil
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := searchQuery(r, false)
	if err != nil {
		return err
	}
	res, err := s.be.Search(r.Context(), q)
	if err != nil {
		return err
	}
	s.auditf(r, "search", "q", q.Text, "filters", q.Filters, "total", res.Total)
	if res.Hits == nil {
		res.Hits = []index.Hit{}
	}
	return writeJSON(w, res)
}

// maxBatchAPITerms bounds the terms of one GET /api/v1/search/batch: a
// URL carries a watch list of dozens, not the CLI's file of thousands.
const maxBatchAPITerms = 200

// apiSearchBatch runs the repeatable term parameter through
// index.SearchBatch (what `leakscope search --batch` runs), with the other
// parameters of /api/v1/search applied to each term, and answers JSON or,
// with format=csv, a CSV download.
func (s *Server) apiSearchBatch(w http.ResponseWriter, r *http.Request) error {
	q, err := searchQuery(r, false)
	if err != nil {
		return err
	}
	if q.Text != "" {
		return fmt.Errorf("batch search takes term=, not q=: %w", ErrInvalid)
	}
	var terms []string
	for _, t := range r.URL.Query()["term"] {
		if t = strings.TrimSpace(t); t != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 || len(terms) > maxBatchAPITerms {
		return fmt.Errorf("batch search needs 1..%d term parameters: %w", maxBatchAPITerms, ErrInvalid)
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		return fmt.Errorf("format must be json or csv: %w", ErrInvalid)
	}
	rs, err := index.SearchBatch(r.Context(), s.be, q, terms)
	if err != nil {
		return err
	}
	s.auditf(r, "search_batch", "terms", len(terms), "filters", q.Filters)
	if format == "csv" {
		var buf bytes.Buffer
		if err := index.WriteBatchCSV(&buf, rs); err != nil {
			return fmt.Errorf("batch csv: %w", err)
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="search-batch.csv"`)
		_, err := w.Write(buf.Bytes())
		return err
	}
	return writeJSON(w, struct {
		Terms []index.TermResult `json:"terms"`
	}{rs})
}

// docEndpoint serves one JSON resource of a document (metadata, text,
// translation), recording the view in the audit log as action.
func docEndpoint[T any](s *Server, action string, get func(context.Context, string) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := docID(r)
		if err != nil {
			return err
		}
		v, err := get(r.Context(), id)
		if err != nil {
			return err
		}
		s.auditf(r, action, "doc", id)
		return writeJSON(w, v)
	}
}

func entityFilter(r *http.Request) (EntityFilter, error) {
	f := EntityFilter{Type: r.URL.Query().Get("type"), Value: r.URL.Query().Get("q")}
	if f.Type != "" && !slices.Contains(leak.Kinds, leak.Kind(f.Type)) {
		return f, fmt.Errorf("unknown entity type %q: %w", truncate(f.Type, 40), ErrInvalid)
	}
	var err error
	if f.Offset, err = intParam(r, "offset", 0, 0, maxOffset); err != nil {
		return f, err
	}
	if f.Limit, err = intParam(r, "limit", 100, 1, maxListLimit); err != nil {
		return f, err
	}
	return f, nil
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) error {
	f, err := entityFilter(r)
	if err != nil {
		return err
	}
	es, err := s.be.Entities(r.Context(), f)
	if err != nil {
		return err
	}
	if es == nil {
		es = []Entity{}
	}
	s.auditf(r, "list_entities", "type", f.Type)
	return writeJSON(w, es)
}

// targetSorts are the columns the target table sorts by.
var targetSorts = map[string]func(a, b Target) int{
	"name":       func(a, b Target) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) },
	"country":    func(a, b Target) int { return strings.Compare(a.Country, b.Country) },
	"sector":     func(a, b Target) int { return strings.Compare(a.Sector, b.Sector) },
	"volume":     func(a, b Target) int { return cmpInt(a.VolumeBytes, b.VolumeBytes) },
	"records":    func(a, b Target) int { return cmpInt(a.Records, b.Records) },
	"first_seen": func(a, b Target) int { return strings.Compare(a.FirstSeen, b.FirstSeen) },
	"confidence": func(a, b Target) int { return cmpFloat(a.Confidence, b.Confidence) },
	"evidence":   func(a, b Target) int { return len(a.Evidence) - len(b.Evidence) },
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// targetList loads the targets, filtered (country, sector, q) and sorted
// (sort, dir) as the request asks.
func (s *Server) targetList(r *http.Request) ([]Target, string, string, error) {
	v := r.URL.Query()
	sortBy, dir := v.Get("sort"), v.Get("dir")
	if sortBy == "" {
		sortBy = "name"
	}
	if dir == "" {
		dir = "asc"
	}
	cmp, ok := targetSorts[sortBy]
	if !ok || (dir != "asc" && dir != "desc") {
		return nil, "", "", fmt.Errorf("sort must be one of name, country, sector, volume, records, first_seen, confidence, evidence and dir asc or desc: %w", ErrInvalid)
	}
	ts, err := s.be.Targets(r.Context())
	if err != nil {
		return nil, "", "", err
	}
	country, sector, q := strings.ToUpper(v.Get("country")), v.Get("sector"), strings.ToLower(v.Get("q"))
	out := make([]Target, 0, len(ts))
	for _, t := range ts {
		if country != "" && t.Country != country || sector != "" && t.Sector != sector {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(t.Name+" "+strings.Join(t.Aliases, " ")), q) {
			continue
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b Target) int {
		c := cmp(a, b)
		if dir == "desc" {
			c = -c
		}
		return c
	})
	return out, sortBy, dir, nil
}

func (s *Server) apiTargets(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		return fmt.Errorf("format must be json or csv: %w", ErrInvalid)
	}
	ts, _, _, err := s.targetList(r)
	if err != nil {
		return err
	}
	s.auditf(r, "list_targets", "format", format)
	if format == "csv" {
		return writeTargetsCSV(w, ts)
	}
	return writeJSON(w, ts)
}

// writeTargetsCSV exports targets; cells that a spreadsheet would run as
// a formula are prefixed with a quote (CSV injection).
func writeTargetsCSV(w http.ResponseWriter, ts []Target) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"name", "aliases", "country", "sector", "data_types", "volume_bytes", "records", "first_seen", "last_seen", "confidence", "evidence"})
	for _, t := range ts {
		var ev []string
		for _, e := range t.Evidence {
			ev = append(ev, e.Path)
		}
		row := []string{t.Name, strings.Join(t.Aliases, "; "), t.Country, t.Sector, strings.Join(t.DataTypes, "; "),
			strconv.FormatInt(t.VolumeBytes, 10), strconv.FormatInt(t.Records, 10), t.FirstSeen, t.LastSeen,
			strconv.FormatFloat(t.Confidence, 'f', 2, 64), strings.Join(ev, "; ")}
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="targets.csv"`)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) apiChats(w http.ResponseWriter, r *http.Request) error {
	c, err := s.be.Chats(r.Context())
	if err != nil {
		return err
	}
	if c.Conversations == nil {
		c.Conversations = []ConversationSummary{}
	}
	if c.Participants == nil {
		c.Participants = []Participant{}
	}
	s.auditf(r, "list_chats")
	return writeJSON(w, c)
}

func (s *Server) apiConversation(w http.ResponseWriter, r *http.Request) error {
	id, err := convID(r)
	if err != nil {
		return err
	}
	c, err := s.be.Conversation(r.Context(), id)
	if err != nil {
		return err
	}
	s.auditf(r, "view_chat", "conversation", id)
	return writeJSON(w, c)
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.be.Stats(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, st)
}

// inlineImages are the types shown in the browser; everything else is a
// download. SVG is not among them: it can carry script.
var inlineImages = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
}

// handleBlob serves an original: an image of a sniffed raster type inline
// (for previews), anything else as an attachment with a neutral type, so
// that no leaked file is ever rendered as a page of ours.
func (s *Server) handleBlob(w http.ResponseWriter, r *http.Request) error {
	id, err := docID(r)
	if err != nil {
		return err
	}
	b, err := s.be.Blob(r.Context(), id)
	if err != nil {
		return err
	}
	defer b.Close()
	download := r.URL.Query().Get("download") == "1"
	name := b.Name
	if name == "" {
		name = id[:12]
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if inlineImages[b.MIME] && !download {
		w.Header().Set("Content-Type", b.MIME)
		w.Header().Set("Content-Disposition", "inline")
		s.auditf(r, "preview", "doc", id)
	} else {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		s.auditf(r, "download", "doc", id)
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox")
	http.ServeContent(w, r, "", b.ModTime, b)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
