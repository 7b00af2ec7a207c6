package caseview

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/server"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/tool"
	"github.com/leakscope/leakscope/internal/translate"
)

// Backend serves one open case to the web server. It is safe for
// concurrent use.
type Backend struct {
	c   *casedir.Case
	idx index.Index
	log *slog.Logger

	trOnce sync.Once
	tr     translate.Translator
	trErr  error

	mu    sync.Mutex // guards the caches below
	gen   string     // generation the caches were built for
	tgts  []server.Target
	chats *chatView
	stats *server.Stats
	msgTr map[string][]string // conversation ID -> message translations

	previews tool.Limiter // bounds concurrent page renderings
}

var _ server.Backend = (*Backend)(nil)

// New returns a Backend over c and its index idx. Neither is closed by the
// Backend; log may be nil.
func New(c *casedir.Case, idx index.Index, log *slog.Logger) *Backend {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Backend{c: c, idx: idx, log: log, previews: tool.NewLimiter(previewLimit)}
}

// notFound wraps store.ErrNotFound as server.ErrNotFound, so that the
// server answers 404, and passes other errors on.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: %w", what, server.ErrNotFound)
	}
	return err
}

// parseID reads a document ID; the server has checked its form already,
// so a failure here is a bad request from some other caller.
func parseID(id string) (leak.ID, error) {
	x, err := leak.ParseID(id)
	if err != nil {
		return x, fmt.Errorf("document id %q: %w", truncate(id, 70), server.ErrInvalid)
	}
	return x, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// Search runs q over the case index, and marks the result partial while
// documents of the case are not searchable yet (an ingest running beside
// serve, or one interrupted), so that the UI and the API do not present
// fewer hits as the complete answer.
func (b *Backend) Search(ctx context.Context, q index.Query) (index.Result, error) {
	res, err := b.idx.Search(ctx, q)
	if err != nil {
		return res, err
	}
	n, err := enrich.Unsearchable(ctx, b.c.Store)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	res.Partial, res.Pending = n > 0, n
	return res, nil
}

// Document returns a document with its provenance and entities.
func (b *Backend) Document(ctx context.Context, id string) (server.Document, error) {
	x, err := parseID(id)
	if err != nil {
		return server.Document{}, err
	}
	d, err := b.c.Store.Document(ctx, x)
	if err != nil {
		return server.Document{}, notFound(err, "document "+x.Short())
	}
	out := server.Document{
		ID: id, SHA256: id, MIME: d.MIME, Size: d.Size, Language: d.Language, OCR: d.OCR,
		Status: d.Status, Error: d.Error, Paths: d.Paths(), Title: enrich.DocTitle(d),
		Date: enrich.DocDate(d.Meta), Meta: d.Meta, Occurrences: []server.Occurrence{}, Entities: []server.DocEntity{},
	}
	if out.Paths == nil {
		out.Paths = []string{}
	}
	out.Flags = slices.Clone(d.Flags)
	for _, o := range d.Occs {
		for _, f := range o.Flags {
			if !slices.Contains(out.Flags, f) {
				out.Flags = append(out.Flags, f)
			}
		}
		out.Occurrences = append(out.Occurrences, server.Occurrence{
			Path: o.Path, Containers: Containers(o.Path), Commit: o.Commit, ModTime: o.ModTime, Size: o.Size,
		})
	}
	slices.SortFunc(out.Occurrences, func(a, b server.Occurrence) int { return strings.Compare(a.Path, b.Path) })
	if d.Status == leak.StatusOK {
		ms, err := b.c.Store.DocEntities(ctx, x)
		if err != nil {
			return out, err
		}
		for _, m := range ms {
			v := m.Norm
			if v == "" {
				v = m.Value
			}
			out.Entities = append(out.Entities, server.DocEntity{Type: string(m.Kind), Value: v, Start: m.Start, End: m.End})
		}
		_, _, err = b.c.Store.Translation(ctx, x, "")
		switch {
		case err == nil:
			out.Translated = true
		case !errors.Is(err, store.ErrNotFound):
			return out, err
		}
	}
	return out, nil
}

// Containers lists the containers of an occurrence path, outermost first:
// "a.tar.gz!/d/b.zip!/c.txt" is in "a.tar.gz" and "a.tar.gz!/d/b.zip".
func Containers(p string) []string {
	var out []string
	for i := 0; ; {
		j := strings.Index(p[i:], "!/")
		if j < 0 {
			return out
		}
		out = append(out, p[:i+j])
		i += j + 2
	}
}

// Text returns the extracted text of a document.
func (b *Backend) Text(ctx context.Context, id string) (server.Text, error) {
	x, err := parseID(id)
	if err != nil {
		return server.Text{}, err
	}
	d, err := b.c.Store.Document(ctx, x)
	if err != nil {
		return server.Text{}, notFound(err, "document "+x.Short())
	}
	text, pages, err := b.c.Store.Text(ctx, x)
	if err != nil {
		return server.Text{}, notFound(err, "text of "+x.Short())
	}
	out := server.Text{ID: id, Language: d.Language, Text: text, Source: d.Extractor,
		Truncated: slices.Contains(d.Flags, "text-truncated")}
	for i, p := range pages {
		if p.Start < 0 || p.End > len(text) || p.Start > p.End {
			continue
		}
		n := p.Number
		if n <= 0 {
			n = i + 1
		}
		out.Pages = append(out.Pages, server.Page{N: n, Start: p.Start, End: p.End, OCR: p.OCR})
	}
	if d.OCR && out.Source == "" {
		out.Source = "ocr"
	}
	return out, nil
}

// Translation returns the stored English translation of a document.
func (b *Backend) Translation(ctx context.Context, id string) (server.Text, error) {
	x, err := parseID(id)
	if err != nil {
		return server.Text{}, err
	}
	backend, text, err := b.c.Store.Translation(ctx, x, "")
	if err != nil {
		return server.Text{}, notFound(err, "translation of "+x.Short())
	}
	return server.Text{ID: id, Language: "en", Text: text, Source: backend}, nil
}

// Entities lists the case's entities, most mentioned first.
func (b *Backend) Entities(ctx context.Context, f server.EntityFilter) ([]server.Entity, error) {
	es, err := b.c.Store.Entities(ctx, f.Type)
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(f.Value)
	out := []server.Entity{}
	skip := f.Offset
	for _, e := range es {
		if want != "" && !strings.Contains(strings.ToLower(e.Value), want) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, server.Entity{Type: e.Type, Value: e.Value, Count: e.Count, Paths: e.Paths})
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out, nil
}

// refresh drops the caches when the case changed since they were built.
// It must be called with b.mu held.
func (b *Backend) refresh(ctx context.Context) error {
	gen, err := b.c.Store.Generation(ctx)
	if err != nil {
		return err
	}
	// The analyses are stored after the stages that feed them: a register
	// combined since the last look is a change too.
	for _, name := range []string{enrich.StageTargets, enrich.StageChats} {
		stamp, _, err := b.c.Store.AnalysisStamp(ctx, name)
		if err != nil {
			return err
		}
		gen += fmt.Sprintf("/%d", stamp)
	}
	if gen != b.gen {
		b.gen, b.tgts, b.chats, b.stats, b.msgTr = gen, nil, nil, nil, nil
	}
	return nil
}

// Targets returns the target register, with each evidence path resolved
// to its document for links.
func (b *Backend) Targets(ctx context.Context) ([]server.Target, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.targets(ctx)
}

func (b *Backend) targets(ctx context.Context) ([]server.Target, error) {
	if err := b.refresh(ctx); err != nil {
		return nil, err
	}
	if b.tgts != nil {
		return slices.Clone(b.tgts), nil
	}
	ts, err := enrich.LoadTargets(ctx, b.c, b.log)
	if errors.Is(err, enrich.ErrNotAnalysed) {
		// Nothing computed yet (an ingest is running, or the case was
		// ingested without enrichment): an empty register, not an error.
		err = nil
	}
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	out := make([]server.Target, 0, len(ts))
	for _, t := range ts {
		st := server.Target{Name: t.Name, Aliases: t.Aliases, Country: t.Country, Sector: t.Sector,
			DataTypes: t.DataTypes, VolumeBytes: t.VolumeBytes, Records: t.Records, FirstSeen: t.FirstSeen,
			LastSeen: t.LastSeen, Confidence: t.Confidence, Evidence: []server.Evidence{}}
		if st.Aliases == nil {
			st.Aliases = []string{}
		}
		if st.DataTypes == nil {
			st.DataTypes = []string{}
		}
		for _, e := range t.Evidence {
			id, ok := ids[e.Path]
			if !ok {
				if x, err := b.c.Store.Resolve(ctx, e.Path); err == nil {
					id = x.String()
				} else if !errors.Is(err, store.ErrNotFound) {
					return nil, err
				}
				ids[e.Path] = id
			}
			st.Evidence = append(st.Evidence, server.Evidence{Path: e.Path, Snippet: e.Snippet, Translation: e.Translation, DocID: id})
		}
		out = append(out, st)
	}
	b.tgts = out
	return slices.Clone(out), nil
}

// chatView is the chat analysis with the message unit IDs.
type chatView struct {
	ch  *enrich.Chats
	ids [][]string
}

func (b *Backend) chatsLocked(ctx context.Context) (*chatView, error) {
	if err := b.refresh(ctx); err != nil {
		return nil, err
	}
	if b.chats != nil {
		return b.chats, nil
	}
	ch, err := enrich.LoadChats(ctx, b.c)
	if errors.Is(err, enrich.ErrNotAnalysed) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	b.chats = &chatView{ch: ch, ids: enrich.MessageIDs(ch)}
	return b.chats, nil
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func (cv *chatView) summary(ci int) server.ConversationSummary {
	v := cv.ch.Conversations[ci]
	s := server.ConversationSummary{ID: v.ID, Source: v.Source, Title: v.Title, Participants: v.Participants}
	if ci < len(cv.ch.Stats.Conversations) && cv.ch.Stats.Conversations[ci].ID == v.ID {
		st := cv.ch.Stats.Conversations[ci]
		s.Messages, s.First, s.Last = st.Messages, parseTime(st.First), parseTime(st.Last)
	} else {
		s.Messages = len(v.Messages)
	}
	if s.Participants == nil {
		s.Participants = []string{}
	}
	return s
}

// Chats returns every conversation and the resolved participants.
func (b *Backend) Chats(ctx context.Context) (server.Chats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cv, err := b.chatsLocked(ctx)
	if err != nil {
		return server.Chats{}, err
	}
	out := server.Chats{Conversations: []server.ConversationSummary{}, Participants: []server.Participant{}}
	for ci := range cv.ch.Conversations {
		out.Conversations = append(out.Conversations, cv.summary(ci))
	}
	for _, p := range cv.ch.Stats.Participants {
		a := p.Aliases
		if a == nil {
			a = []string{}
		}
		out.Participants = append(out.Participants, server.Participant{Name: p.Name, Aliases: a, Messages: p.Messages})
	}
	return out, nil
}

// translator builds the case's translator once, on first use.
func (b *Backend) translator() (translate.Translator, error) {
	b.trOnce.Do(func() {
		var warn error
		b.tr, warn, b.trErr = enrich.NewTranslator(b.c, "", b.log)
		if warn != nil {
			b.log.Warn("translator", "warning", warn)
		}
	})
	return b.tr, b.trErr
}

// Conversation returns one conversation with its messages and their
// translations.
func (b *Backend) Conversation(ctx context.Context, id string) (server.Conversation, error) {
	b.mu.Lock()
	cv, err := b.chatsLocked(ctx)
	if err != nil {
		b.mu.Unlock()
		return server.Conversation{}, err
	}
	ci := slices.IndexFunc(cv.ch.Conversations, func(v enrich.ChatView) bool { return v.ID == id })
	english, haveTr := b.msgTr[id]
	b.mu.Unlock()
	if ci < 0 {
		return server.Conversation{}, fmt.Errorf("conversation %q: %w", truncate(id, 70), server.ErrNotFound)
	}
	v := cv.ch.Conversations[ci]
	if !haveTr {
		english = b.translateMessages(ctx, v)
		b.mu.Lock()
		if b.msgTr == nil {
			b.msgTr = map[string][]string{}
		}
		b.msgTr[id] = english
		b.mu.Unlock()
	}
	out := server.Conversation{ConversationSummary: cv.summary(ci), Messages: []server.Message{}}
	for mi, m := range v.Messages {
		msg := server.Message{ID: cv.ids[ci][mi], Time: parseTime(m.Time), Sender: m.Sender, Text: m.Text}
		if m.System && msg.Sender == "" {
			msg.Sender = "—"
		}
		if english != nil && english[mi] != m.Text {
			msg.Translation = english[mi]
		}
		if m.Outgoing && out.Owner == "" {
			out.Owner = m.Sender
		}
		out.Messages = append(out.Messages, msg)
	}
	// Sources list messages in order already; sort only when every
	// message has a time (a partial order would scramble a thread).
	if !slices.ContainsFunc(out.Messages, func(m server.Message) bool { return m.Time.IsZero() }) {
		slices.SortStableFunc(out.Messages, func(a, b server.Message) int { return a.Time.Compare(b.Time) })
	}
	return out, nil
}

// translateMessages translates a conversation's messages; a translator
// failure leaves them untranslated rather than failing the page.
func (b *Backend) translateMessages(ctx context.Context, v enrich.ChatView) []string {
	t, err := b.translator()
	if err != nil {
		b.log.Warn("translator unavailable", "err", err)
		return nil
	}
	texts := make([]string, len(v.Messages))
	for i, m := range v.Messages {
		texts[i] = m.Text
	}
	out, err := enrich.TranslateSegments(ctx, t, texts)
	if err != nil {
		b.log.Warn("translate conversation", "conversation", v.ID, "err", err)
		return nil
	}
	return out
}

// Stats counts documents, occurrences, languages, types, entities,
// targets and chats.
func (b *Backend) Stats(ctx context.Context) (server.Stats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(ctx); err != nil {
		return server.Stats{}, err
	}
	if b.stats != nil {
		return cloneStats(*b.stats), nil
	}
	cnt, err := b.c.Store.Counts(ctx)
	if err != nil {
		return server.Stats{}, err
	}
	st := server.Stats{Documents: int(cnt.Documents), Occurrences: int(cnt.Occurrences), Bytes: cnt.Bytes,
		Errors: int(cnt.Failed), Languages: map[string]int{}, Types: map[string]int{}}
	docs, err := b.c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return server.Stats{}, err
	}
	for _, d := range docs {
		if d.OCR {
			st.OCR++
		}
		if d.Language != "" {
			st.Languages[d.Language]++
		}
		st.Types[index.TypeOf(d.MIME, index.KindDocument)]++
	}
	es, err := b.c.Store.Entities(ctx, "")
	if err != nil {
		return server.Stats{}, err
	}
	st.Entities = len(es)
	ts, err := b.targets(ctx)
	if err != nil {
		return server.Stats{}, err
	}
	st.Targets = len(ts)
	cv, err := b.chatsLocked(ctx)
	if err != nil {
		return server.Stats{}, err
	}
	st.Conversations = len(cv.ch.Conversations)
	for _, c := range cv.ch.Stats.Conversations {
		st.Messages += c.Messages
	}
	b.stats = &st
	return cloneStats(st), nil
}

func cloneStats(s server.Stats) server.Stats {
	s.Languages = cloneMap(s.Languages)
	s.Types = cloneMap(s.Types)
	return s
}

func cloneMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Blob opens the original bytes of a document.
func (b *Backend) Blob(ctx context.Context, id string) (server.Blob, error) {
	x, err := parseID(id)
	if err != nil {
		return server.Blob{}, err
	}
	d, err := b.c.Store.Document(ctx, x)
	if err != nil {
		return server.Blob{}, notFound(err, "document "+x.Short())
	}
	f, err := b.c.Blobs.Open(x)
	if errors.Is(err, os.ErrNotExist) {
		return server.Blob{}, fmt.Errorf("original of %s: %w", x.Short(), server.ErrNotFound)
	}
	if err != nil {
		return server.Blob{}, fmt.Errorf("original of %s: %w", x.Short(), err)
	}
	out := server.Blob{ReadSeekCloser: f, MIME: d.MIME, Size: d.Size}
	if p := leak.PrimaryPath(d.Paths()); p != "" {
		out.Name = path.Base(lastSegment(p))
	}
	for _, o := range d.Occs {
		if o.ModTime.After(out.ModTime) {
			out.ModTime = o.ModTime
		}
	}
	return out, nil
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "!/"); i >= 0 {
		return p[i+2:]
	}
	return p
}
