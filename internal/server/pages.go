package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/leak"
)

//go:embed templates/*.html static
var assets embed.FS

// pageNames are the pages; each is templates/<name>.html with layout.html.
var pageNames = []string{"search", "document", "targets", "overview", "timeline", "entities", "chats", "chat", "graph", "login", "error"}

var funcs = template.FuncMap{
	"visible": index.Visible,
	"bytes":   humanBytes,
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
	"join": strings.Join,
	"mul":  func(a, b int) int { return a * b },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	},
	"kinds": func() []leak.Kind { return leak.Kinds },
	// clip shortens s to n characters with an ellipsis, for labels in
	// drawings (the full text is in the element's title).
	"clip": func(n int, s string) string {
		if r := []rune(s); len(r) > n {
			return string(r[:n-1]) + "…"
		}
		return s
	},
	"add":  func(a, b int) int { return a + b },
	"add1": func(a, b float64) float64 { return a + b },
	"mod": func(a, b int) int {
		if b == 0 {
			return 0
		}
		return a % b
	},
	"pct": func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" },
	"short": func(id string) string {
		if len(id) > 12 {
			return id[:12]
		}
		return id
	},
}

func parsePages() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data map[string]any) error {
	return s.renderStatus(w, r, http.StatusOK, name, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, code int, name string, data map[string]any) error {
	data["Case"] = s.opts.CaseName
	data["User"] = userFrom(r.Context())
	data["Auth"] = s.authEnabled()
	data["CSRF"] = s.csrfToken(w, r)
	data["Path"] = r.URL.Path
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if code != http.StatusOK {
		w.WriteHeader(code)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// facetView is one facet value with the link that toggles it.
type facetView struct {
	Value  string
	Count  int
	Active bool
	Link   string
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := searchQuery(r, true)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Search", "Q": q.Text}
	active := map[string]bool{}
	for _, f := range r.URL.Query()["filter"] {
		active[f] = true
	}
	if q.Text == "" && len(q.Filters) == 0 {
		// The empty page still shows the facets of the whole case.
		q.Limit = 20
	}
	res, err := s.be.Search(r.Context(), q)
	if err != nil {
		if code, msg := statusOf(err); code == http.StatusBadRequest {
			data["QueryError"] = msg
			return s.render(w, r, "search", data)
		}
		return err
	}
	s.auditf(r, "search", "q", q.Text, "filters", q.Filters, "total", res.Total)
	type hitView struct {
		index.Hit
		SnippetHTML     template.HTML
		TranslationHTML template.HTML
		Link            string
	}
	var hits []hitView
	for _, h := range res.Hits {
		// Both escaped by index.Snippet.
		hv := hitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), TranslationHTML: template.HTML(h.TranslationSnippet)}
		docid, _, _ := strings.Cut(h.ID, "#")
		hv.Link = "/doc/" + docid
		if h.Kind == index.KindMessage && h.Conversation != "" {
			hv.Link = "/chats/" + url.PathEscape(h.Conversation) + "#" + url.QueryEscape(h.ID)
		}
		hits = append(hits, hv)
	}
	var facets []struct {
		Name   string
		Values []facetView
	}
	for _, name := range index.Facets {
		var vals []facetView
		for _, fc := range res.Facets[name] {
			key := name + ":" + fc.Value
			vals = append(vals, facetView{Value: fc.Value, Count: fc.Count, Active: active[key], Link: toggleFilter(r.URL.Query(), key)})
		}
		if len(vals) > 0 {
			facets = append(facets, struct {
				Name   string
				Values []facetView
			}{name, vals})
		}
	}
	data["Result"] = res
	data["Hits"] = hits
	data["Facets"] = facets
	data["Took"] = res.Took.Round(time.Millisecond / 10).String()
	if q.Offset > 0 {
		data["Prev"] = pageLink(r.URL.Query(), max(0, q.Offset-q.Limit))
	}
	if uint64(q.Offset+q.Limit) < res.Total && q.Offset+q.Limit <= maxOffset {
		data["Next"] = pageLink(r.URL.Query(), q.Offset+q.Limit)
	}
	data["From"] = q.Offset + 1
	data["To"] = q.Offset + len(hits)
	return s.render(w, r, "search", data)
}

func toggleFilter(v url.Values, key string) string {
	v = cloneValues(v)
	fs := v["filter"]
	if i := slices.Index(fs, key); i >= 0 {
		fs = slices.Delete(fs, i, i+1)
	} else {
		fs = append(fs, key)
	}
	v["filter"] = fs
	v.Del("offset")
	return "/?" + v.Encode()
}

func pageLink(v url.Values, offset int) string {
	v = cloneValues(v)
	v.Set("offset", strconv.Itoa(offset))
	return "/?" + v.Encode()
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// maxSrcdoc bounds the leaked HTML put in a sandboxed preview frame.
const maxSrcdoc = 512 << 10

func (s *Server) pageDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := docID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.be.Document(ctx, id)
	if err != nil {
		return err
	}
	s.auditf(r, "view_document", "doc", id)
	data := map[string]any{"Title": "Document " + id[:12], "Doc": d}
	if len(d.Paths) > 0 {
		data["Title"] = index.Visible(d.Paths[0])
	}
	var text *Text
	if t, err := s.be.Text(ctx, id); err == nil {
		text = &t
		data["Text"] = t
		data["TextHTML"] = highlightEntities(t.Text, d.Entities)
	} else if code, _ := statusOf(err); code != http.StatusNotFound {
		return err
	}
	if pages, more := previewPages(d, text); len(pages) > 0 {
		data["Pages"], data["MorePages"] = pages, more
	}
	if d.Translated {
		if t, err := s.be.Translation(ctx, id); err == nil {
			data["Translation"] = t
		} else if code, _ := statusOf(err); code != http.StatusNotFound {
			return err
		}
	}
	if inlineImages[d.MIME] {
		data["Image"] = "/doc/" + id + "/blob"
	}
	if d.MIME == "text/html" && d.Size <= maxSrcdoc {
		if b, err := s.be.Blob(ctx, id); err == nil {
			raw, _ := io.ReadAll(io.LimitReader(b, maxSrcdoc))
			b.Close()
			data["Srcdoc"] = string(raw) // an attribute value: html/template escapes it
		}
	}
	var ents []DocEntity
	seen := map[string]bool{}
	for _, e := range d.Entities {
		if k := e.Type + ":" + e.Value; !seen[k] {
			seen[k] = true
			ents = append(ents, e)
		}
	}
	data["Entities"] = ents
	return s.render(w, r, "document", data)
}

// highlightEntities escapes text and wraps each entity span in a <mark>
// with its type as class. Overlapping or out-of-range spans are skipped.
func highlightEntities(text string, ents []DocEntity) template.HTML {
	es := slices.Clone(ents)
	slices.SortFunc(es, func(a, b DocEntity) int { return a.Start - b.Start })
	var b strings.Builder
	pos := 0
	for _, e := range es {
		if e.Start < pos || e.End > len(text) || e.Start >= e.End {
			continue
		}
		b.WriteString(escapeVisible(text[pos:e.Start]))
		fmt.Fprintf(&b, `<mark class="ent ent-%s" title="%s">`, template.HTMLEscapeString(e.Type), template.HTMLEscapeString(e.Type+": "+e.Value))
		b.WriteString(escapeVisible(text[e.Start:e.End]))
		b.WriteString("</mark>")
		pos = e.End
	}
	b.WriteString(escapeVisible(text[pos:]))
	return template.HTML(b.String())
}

// escapeVisible HTML-escapes s keeping line breaks and showing invisible
// characters.
func escapeVisible(s string) string {
	return template.HTMLEscapeString(index.Visible(s))
}

func (s *Server) pageTargets(w http.ResponseWriter, r *http.Request) error {
	ts, sortBy, dir, err := s.targetList(r)
	if err != nil {
		return err
	}
	s.auditf(r, "list_targets")
	cols := []struct{ Key, Label string }{
		{"name", "Target"}, {"country", "Country"}, {"sector", "Sector"}, {"volume", "Volume"},
		{"records", "Records"}, {"first_seen", "First seen"}, {"confidence", "Confidence"}, {"evidence", "Evidence"},
	}
	type colView struct{ Key, Label, Link, Arrow string }
	var cv []colView
	for _, c := range cols {
		v := cloneValues(r.URL.Query())
		v.Set("sort", c.Key)
		d, arrow := "asc", ""
		if c.Key == sortBy {
			if dir == "asc" {
				d, arrow = "desc", "▲"
			} else {
				arrow = "▼"
			}
		}
		v.Set("dir", d)
		cv = append(cv, colView{c.Key, c.Label, "/targets?" + v.Encode(), arrow})
	}
	csvq := cloneValues(r.URL.Query())
	csvq.Set("format", "csv")
	// The map shows every target, whatever the filter, so that another
	// country is one click away.
	all, err := s.be.Targets(r.Context())
	if err != nil {
		return err
	}
	active := strings.ToUpper(r.URL.Query().Get("country"))
	return s.render(w, r, "targets", map[string]any{
		"Title": "Targets", "Targets": ts, "Cols": cv, "CSV": "/api/v1/targets?" + csvq.Encode(),
		"Filter": r.URL.Query().Get("q"), "Map": s.world.choropleth(all, "/targets", r.URL.Query(), active),
		"Total": len(all),
	})
}

func (s *Server) pageOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.be.Stats(ctx)
	if err != nil {
		return err
	}
	ts, err := s.be.Targets(ctx)
	if err != nil {
		return err
	}
	sectors, years := map[string]int{}, map[string]int{}
	for _, t := range ts {
		sectors[orUnknown(t.Sector)]++
		y := "unknown"
		if len(t.FirstSeen) >= 4 {
			y = t.FirstSeen[:4]
		}
		years[y]++
	}
	docYears := map[string]int{}
	if res, err := s.be.Search(ctx, index.Query{Facets: []string{index.FacetYear}, FacetSize: 50, Limit: 1}); err == nil {
		for _, fc := range res.Facets[index.FacetYear] {
			docYears[fc.Value] = fc.Count
		}
	}
	return s.render(w, r, "overview", map[string]any{
		"Title": "Overview", "Stats": st,
		"Sectors":   barChart(sectors, false),
		"Years":     columnChart(years),
		"DocYears":  columnChart(docYears),
		"Languages": barChart(st.Languages, false),
		"Types":     barChart(st.Types, false),
		"Map":       s.world.choropleth(ts, "/targets", nil, ""),
	})
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (s *Server) pageEntities(w http.ResponseWriter, r *http.Request) error {
	f, err := entityFilter(r)
	if err != nil {
		return err
	}
	es, err := s.be.Entities(r.Context(), f)
	if err != nil {
		return err
	}
	s.auditf(r, "list_entities", "type", f.Type)
	return s.render(w, r, "entities", map[string]any{"Title": "Entities", "Entities": es, "Type": f.Type, "Q": f.Value})
}

func (s *Server) pageChats(w http.ResponseWriter, r *http.Request) error {
	c, err := s.be.Chats(r.Context())
	if err != nil {
		return err
	}
	s.auditf(r, "list_chats")
	return s.render(w, r, "chats", map[string]any{"Title": "Chats", "Chats": c})
}

func (s *Server) pageConversation(w http.ResponseWriter, r *http.Request) error {
	id, err := convID(r)
	if err != nil {
		return err
	}
	c, err := s.be.Conversation(r.Context(), id)
	if err != nil {
		return err
	}
	s.auditf(r, "view_chat", "conversation", id)
	title := c.Title
	if title == "" {
		title = strings.Join(c.Participants, ", ")
	}
	type msgView struct {
		Message
		Mine    bool
		NewDay  string
		Initial string
	}
	var msgs []msgView
	lastDay := ""
	for _, m := range c.Messages {
		mv := msgView{Message: m, Mine: c.Owner != "" && m.Sender == c.Owner}
		if day := m.Time.Format("2006-01-02"); day != lastDay && !m.Time.IsZero() {
			mv.NewDay, lastDay = day, day
		}
		if rs := []rune(m.Sender); len(rs) > 0 {
			mv.Initial = string(rs[0])
		}
		msgs = append(msgs, mv)
	}
	return s.render(w, r, "chat", map[string]any{"Title": title, "Conv": c, "Messages": msgs})
}

func (s *Server) pageGraph(w http.ResponseWriter, r *http.Request) error {
	c, err := s.be.Chats(r.Context())
	if err != nil {
		return err
	}
	links, err := s.be.TargetLinks(r.Context())
	if err != nil {
		return err
	}
	s.auditf(r, "view_graph")
	return s.render(w, r, "graph", map[string]any{"Title": "Graphs", "Graph": talkGraph(c), "TG": s.whoTargetsWhat(links)})
}
