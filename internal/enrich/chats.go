package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	goimage "image"
	"mime"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/store"
)

// Chats are built as the register is: the chats stage parses each
// document once (text logs, JSON exports, screenshots with their region
// re-reads by OCR, staff directories in spreadsheets) and stores what it
// found with the document; UpdateChats resolves people across every
// stored conversation, reading no text and running no OCR; LoadChats only
// reads the stored result.
const (
	// StageChats is the per-document stage and the name of its results.
	StageChats = "chats"
	// ChatParseVersion changes when a chat parser changes, so that every
	// document is parsed again.
	ChatParseVersion = 2
	// ChatsVersion changes when people resolution or the stored shape
	// changes.
	ChatsVersion = 6
)

// Chats is the case-wide chat analysis: every conversation found in text
// logs, JSON exports and OCR'd screenshots, with senders resolved to one
// person per human.
type Chats struct {
	Seq           int64         `json:"seq"` // the last per-document result resolved
	Stats         people.Stats  `json:"stats"`
	Conversations []ChatView    `json:"conversations"`
	Persons       []PersonView  `json:"persons"`
	Edges         []people.Edge `json:"edges"`
}

// ChatView is a conversation with resolved senders, for display.
type ChatView struct {
	ID           string        `json:"id"`
	Doc          string        `json:"doc"`
	Source       string        `json:"source"`
	Shape        string        `json:"shape"`
	Title        string        `json:"title"`
	Group        bool          `json:"group"`
	Participants []string      `json:"participants"`
	Messages     []MessageView `json:"messages"`
}

// MessageView is one message with its sender resolved.
type MessageView struct {
	Time       string  `json:"time,omitempty"`
	Sender     string  `json:"sender"`
	RawSender  string  `json:"raw_sender,omitempty"`
	Text       string  `json:"text"`
	OCR        bool    `json:"ocr,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	System     bool    `json:"system,omitempty"`
	Outgoing   bool    `json:"outgoing,omitempty"`
	Position   int     `json:"position"`
}

// PersonView is one person with activity figures.
type PersonView struct {
	Name      string   `json:"name"`
	Aliases   []string `json:"aliases"`
	Messages  int      `json:"messages"`
	First     string   `json:"first,omitempty"`
	Last      string   `json:"last,omitempty"`
	ByHour    [24]int  `json:"by_hour"`
	ByWeekday [7]int   `json:"by_weekday"`
}

// LoadChats returns the stored chat analysis. It never computes:
// ErrNotAnalysed means none at the current version is stored.
func LoadChats(ctx context.Context, c *casedir.Case) (*Chats, error) {
	var ch Chats
	v, err := c.Store.Analysis(ctx, StageChats, &ch)
	if errors.Is(err, store.ErrNotFound) || err == nil && v != ChatsVersion {
		return emptyChats(), ErrNotAnalysed
	}
	if err != nil {
		return nil, err
	}
	return &ch, nil
}

func emptyChats() *Chats {
	return &Chats{Conversations: []ChatView{}, Persons: []PersonView{}, Edges: []people.Edge{}}
}

// FlagChatSkipped marks a document whose chat parse skipped records
// (docChats.Read says how many and why), so that `status` and `errors`
// show the loss instead of an ok document.
const FlagChatSkipped = "chat-messages-skipped"

// docChats is what the chats stage finds in one document.
type docChats struct {
	Conversations []chat.Conversation `json:"conversations,omitempty"`
	Directory     []people.Entry      `json:"directory,omitempty"`
	// Read counts the records read and skipped; zero for documents
	// without chats.
	Read chat.Stats `json:"read"`
	// Zone and ZoneFrom record the zone given to naive timestamps and
	// where it came from (chat.ZoneFrom*).
	Zone     string `json:"zone,omitempty"`
	ZoneFrom string `json:"zone_from,omitempty"`
}

// ChatParse is the per-document chats stage. It is safe for concurrent
// use; OCR region re-reads go through one engine, which bounds its
// processes.
type ChatParse struct {
	eng *ocr.Engine
}

var _ ingest.Stage = (*ChatParse)(nil)

// NewChatParse returns the chats stage.
func NewChatParse() *ChatParse { return &ChatParse{eng: ocr.New(ocr.Options{})} }

func (*ChatParse) Name() string { return StageChats }
func (*ChatParse) Version() int { return ChatParseVersion }

// Process parses one document's chats and directory entries and stores
// them.
func (s *ChatParse) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	paths := d.Info.Paths()
	if len(paths) == 0 {
		var err error
		if paths, err = c.Store.AllPaths(ctx, d.Info.ID); err != nil {
			return err
		}
	}
	var out docChats
	if len(paths) > 0 {
		var err error
		if out, err = s.parse(ctx, c, d, namePath(paths, d.Info.MIME)); err != nil {
			return err
		}
	}
	if err := c.Store.PutDocResult(ctx, d.Info.ID, StageChats, ChatParseVersion, out); err != nil {
		return err
	}
	// Set or clear: a document parsed again by a better parser loses
	// the flag when it no longer skips.
	if out.Read.Skipped > 0 || slices.Contains(d.Info.Flags, FlagChatSkipped) {
		return c.Store.SetDocFlag(ctx, d.Info.ID, FlagChatSkipped, out.Read.Skipped > 0)
	}
	return nil
}

func (s *ChatParse) parse(ctx context.Context, c *casedir.Case, d *ingest.StageDoc, src string) (docChats, error) {
	var out docChats
	zone, from := chat.ZoneFor(c.Config.ChatZone, d.Info.Language)
	opts := chat.Options{Zone: zone, KeyMap: c.Config.ChatKeys}
	mimeType, text := d.Info.MIME, d.Text
	switch {
	case sniff.IsText(mimeType) && mimeType != sniff.EML && mimeType != sniff.MBOX && mimeType != sniff.HTML:
		if cs, st, ok := parseTable(mimeType, text, src, opts); ok {
			out.Conversations, out.Read = cs, st
		} else if cs, st, ok := s.parseJSON(ctx, c, d, src, opts); ok {
			out.Conversations, out.Read = cs, st
		} else if cs, st, ok := chat.ParseStats(src, []byte(text), opts); ok {
			out.Conversations = append(out.Conversations, cs...)
			if slices.Contains(d.Info.Flags, flagTextTruncated) {
				st.Add(chat.CountStats(nil, true))
			}
			out.Read = st
		}
		if mimeType == sniff.CSV || mimeType == sniff.TSV {
			out.Directory = directoryOf(out.Directory, text)
		}
	case mimeType == sniff.XLSX || mimeType == sniff.ODS || mimeType == sniff.XLS:
		for _, sheet := range strings.Split(text, "\f") {
			out.Directory = directoryOf(out.Directory, sheet)
		}
	case strings.HasPrefix(mimeType, "image/"):
		tsv, err := c.Store.Artifact(ctx, d.Info.ID, image.ArtifactTSV)
		if err != nil {
			return out, nil
		}
		w, _ := strconv.Atoi(d.Info.Meta[image.KeyWidth])
		h, _ := strconv.Atoi(d.Info.Meta[image.KeyHeight])
		ref, _ := chat.TimeFromFileName(path.Base(lastSegment(src)), chat.DefaultZone)
		shot := chat.Screenshot{Source: src, TSV: tsv, Width: w, Height: h, Ref: ref}
		// With the pixels, bubbles are found by their fills and the
		// small grey sender names and avatar letters are re-read one
		// region at a time, which whole-page OCR misses.
		if img, err := decodeImage(ctx, c, d.Info.ID); err == nil {
			shot.Image = img
			shot.Recognise = func(r goimage.Rectangle, m chat.RegionMode) (string, float64) {
				t, conf, err := s.eng.RegionImage(ctx, img, r, ocr.RegionOptions{PSM: m.PSM()})
				if err != nil {
					return "", 0
				}
				return t, conf
			}
		}
		if cv, ok, err := chat.ParseScreenshot(shot, opts); err == nil && ok {
			out.Conversations = append(out.Conversations, cv)
			out.Read = chat.CountStats(out.Conversations, false)
		}
	}
	if len(out.Conversations) > 0 {
		out.Zone, out.ZoneFrom = zone.String(), from
	}
	return out, nil
}

// parseTable reads a CSV or TSV document as a chat table (one message
// per row under a header naming sender, body and time columns).
func parseTable(mimeType, text, src string, opts chat.Options) ([]chat.Conversation, chat.Stats, bool) {
	comma := ','
	switch mimeType {
	case sniff.CSV:
	case sniff.TSV:
		comma = '\t'
	default:
		return nil, chat.Stats{}, false
	}
	return chat.ParseCSV(src, strings.NewReader(text), comma, opts)
}

// flagTextTruncated is the ingest flag of a document whose extracted text
// was cut at --max-text.
const flagTextTruncated = "text-truncated"

// parseJSON reads a JSON chat export from its stored blob rather than
// its extracted text, so that the text cap does not cut it and memory
// stays bounded by one record (chat.ReadJSON). ok is false when the
// document is not JSON or holds no messages; the caller then tries it as
// a text log.
func (s *ChatParse) parseJSON(ctx context.Context, c *casedir.Case, d *ingest.StageDoc, src string, opts chat.Options) ([]chat.Conversation, chat.Stats, bool) {
	head := d.Text[:min(len(d.Text), 4096)]
	if !chat.LooksLikeJSON([]byte(head)) {
		return nil, chat.Stats{}, false
	}
	f, err := c.Blobs.Reader(ctx, d.Info.ID)
	if err != nil {
		cs, st, err := chat.ParseJSONStats(src, strings.NewReader(d.Text), opts)
		return cs, st, (err == nil || errors.Is(err, leak.ErrNesting)) && len(cs) > 0
	}
	defer f.Close()
	cs, st, err := chat.ParseJSONStats(src, f, opts)
	// Input nested past leak.MaxNesting is malformed, but the messages
	// before that point are real: keep them.
	return cs, st, (err == nil || errors.Is(err, leak.ErrNesting)) && len(cs) > 0
}

// UpdateChats resolves people across every stored conversation and stores
// the analysis, when any document's chats changed since the last time (or
// force). It is for writers: the caller holds the case's write lock.
func UpdateChats(ctx context.Context, c *casedir.Case, force bool) (*Chats, error) {
	seq, err := c.Store.ResultSeq(ctx, StageChats)
	if err != nil {
		return nil, err
	}
	if !force {
		var prev Chats
		v, err := c.Store.Analysis(ctx, StageChats, &prev)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err == nil && v == ChatsVersion && prev.Seq == seq {
			return &prev, nil
		}
	}
	type found struct {
		doc string
		docChats
	}
	var all []found
	err = c.Store.DocResults(ctx, StageChats, ChatParseVersion, func(r store.DocResult) error {
		var dc docChats
		if err := json.Unmarshal(r.Data, &dc); err != nil {
			return fmt.Errorf("chats of %s: %w", r.Doc.Short(), err)
		}
		if len(dc.Conversations) > 0 || len(dc.Directory) > 0 {
			all = append(all, found{r.Doc.String(), dc})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b found) int { return strings.Compare(a.doc, b.doc) })
	var convs []chat.Conversation
	var docOf []string
	var dir people.Directory
	for _, f := range all {
		for _, cv := range f.Conversations {
			convs = append(convs, cv)
			docOf = append(docOf, f.doc)
		}
		for _, e := range f.Directory {
			dir.Add(e)
		}
	}
	out := resolveChats(convs, docOf, dir)
	out.Seq = seq
	return out, c.Store.PutAnalysis(ctx, StageChats, ChatsVersion, out)
}

// resolveChats resolves the people of convs (from documents docOf) and
// builds the views readers show.
func resolveChats(convs []chat.Conversation, docOf []string, dir people.Directory) *Chats {
	p := people.Resolve(convs, dir)
	out := &Chats{Stats: p.Stats(), Edges: p.Edges, Conversations: []ChatView{}, Persons: []PersonView{}}
	if out.Edges == nil {
		out.Edges = []people.Edge{}
	}
	for ci, cv := range p.Conversations {
		v := ChatView{ID: cv.ID, Doc: docOf[ci], Source: cv.Source, Shape: cv.Shape, Title: cv.Title, Group: cv.Group}
		v.Participants = out.Stats.Conversations[ci].Participants
		for mi, m := range cv.Messages {
			mv := MessageView{Text: m.Text, OCR: m.OCR, Confidence: m.Confidence, System: m.System, Outgoing: m.Outgoing,
				Position: m.Position, RawSender: m.Sender}
			if !m.Time.IsZero() {
				mv.Time = m.Time.Format(time.RFC3339)
			}
			if q := p.SenderOf(ci, mi); q != nil {
				mv.Sender = q.Name
			} else {
				mv.Sender = m.Sender
			}
			if mv.RawSender == mv.Sender {
				mv.RawSender = ""
			}
			v.Messages = append(v.Messages, mv)
		}
		out.Conversations = append(out.Conversations, v)
	}
	for _, q := range p.Persons {
		pv := PersonView{Name: q.Name, Aliases: q.Aliases, Messages: q.Messages, ByHour: q.ByHour, ByWeekday: q.ByWeekday}
		if pv.Aliases == nil {
			pv.Aliases = []string{}
		}
		if !q.First.IsZero() {
			pv.First, pv.Last = q.First.Format(time.RFC3339), q.Last.Format(time.RFC3339)
		}
		out.Persons = append(out.Persons, pv)
	}
	return out
}

// decodeImage decodes an image blob; the ocr package registers the
// decoders and its extractor already refused decompression bombs.
func decodeImage(ctx context.Context, c *casedir.Case, id leak.ID) (goimage.Image, error) {
	f, err := c.Blobs.Reader(ctx, id)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := goimage.Decode(f)
	return img, err
}

// namePath picks the path a conversation is named by: among the places a
// file was found, those whose extension agrees with its content (not the
// PNG renamed .jpg), then the least nested and shortest.
func namePath(paths []string, mimeType string) string {
	exts, _ := mime.ExtensionsByType(mimeType)
	var agree []string
	for _, p := range paths {
		for _, e := range exts {
			if strings.EqualFold(path.Ext(p), e) {
				agree = append(agree, p)
				break
			}
		}
	}
	if len(agree) > 0 {
		return leak.PrimaryPath(agree)
	}
	return leak.PrimaryPath(paths)
}

// directoryOf appends the people of a staff-directory table to entries.
func directoryOf(entries []people.Entry, table string) []people.Entry {
	d, ok := people.DirectoryFromTable(table)
	if !ok {
		return entries
	}
	return append(entries, d.Entries...)
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "!/"); i >= 0 {
		return p[i+2:]
	}
	return p
}

// ChatLoss is a document whose chat parse skipped records.
type ChatLoss struct {
	Doc  leak.ID
	Read chat.Stats
}

// ChatLosses lists the documents whose chat parse skipped records, for
// `status` and `errors`. It reads only the counts of each stored result.
func ChatLosses(ctx context.Context, c *casedir.Case) ([]ChatLoss, error) {
	var out []ChatLoss
	err := c.Store.DocResults(ctx, StageChats, ChatParseVersion, func(r store.DocResult) error {
		var dc struct {
			Read chat.Stats `json:"read"`
		}
		if err := json.Unmarshal(r.Data, &dc); err != nil {
			return fmt.Errorf("chats of %s: %w", r.Doc.Short(), err)
		}
		if dc.Read.Skipped > 0 {
			out = append(out, ChatLoss{Doc: r.Doc, Read: dc.Read})
		}
		return nil
	})
	return out, err
}

// Describe says what a loss is in words: "3 of 120 records could not be
// read (syntax 2, truncated 1)".
func (l ChatLoss) Describe() string {
	reasons := make([]string, 0, len(l.Read.Reasons))
	for r, n := range l.Read.Reasons {
		reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
	}
	slices.Sort(reasons)
	return fmt.Sprintf("%d of %d chat records could not be read (%s)", l.Read.Skipped, l.Read.Records, strings.Join(reasons, ", "))
}

// ChatExplanation is what the chats stage chose for one document, for
// `chats --explain`: the counts, the keys or line shape, the zone of naive
// times, and the conversations it split the document into.
type ChatExplanation struct {
	Doc           string            `json:"doc"`
	Read          chat.Stats        `json:"read"`
	Zone          string            `json:"zone,omitempty"`
	ZoneFrom      string            `json:"zone_from,omitempty"`
	Conversations []ExplainedConv   `json:"conversations"`
	KeyMap        map[string]string `json:"key_map,omitempty"` // the case's chat_keys setting
}

// ExplainedConv is one conversation of an explained document.
type ExplainedConv struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Shape        string   `json:"shape"`
	Group        bool     `json:"group"`
	Messages     int      `json:"messages"`
	Events       int      `json:"events"`
	Participants []string `json:"participants"`
}

// errFound stops a DocResults walk once the wanted document is read.
var errFound = errors.New("found")

// ExplainChats reads the stored chat result of one document. It never
// parses: store.ErrNotFound means the chats stage stored nothing for it
// at the current version.
func ExplainChats(ctx context.Context, c *casedir.Case, id leak.ID) (*ChatExplanation, error) {
	var out *ChatExplanation
	err := c.Store.DocResults(ctx, StageChats, ChatParseVersion, func(r store.DocResult) error {
		if r.Doc != id {
			return nil
		}
		var dc docChats
		if err := json.Unmarshal(r.Data, &dc); err != nil {
			return fmt.Errorf("chats of %s: %w", r.Doc.Short(), err)
		}
		out = &ChatExplanation{Doc: id.String(), Read: dc.Read, Zone: dc.Zone, ZoneFrom: dc.ZoneFrom,
			Conversations: []ExplainedConv{}, KeyMap: c.Config.ChatKeys}
		for _, cv := range dc.Conversations {
			e := ExplainedConv{ID: cv.ID, Title: cv.Title, Shape: cv.Shape, Group: cv.Group, Participants: cv.Participants}
			for _, m := range cv.Messages {
				if m.System {
					e.Events++
				} else {
					e.Messages++
				}
			}
			out.Conversations = append(out.Conversations, e)
		}
		return errFound
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("chats of %s: %w", id.Short(), store.ErrNotFound)
	}
	return out, nil
}
