package enrich

import (
	"context"
	"errors"
	goimage "image"
	"mime"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/store"
)

// ChatsVersion changes when chat parsing or resolution changes, so that a
// stored analysis is recomputed.
const ChatsVersion = 5

// Chats is the case-wide chat analysis: every conversation found in text
// logs, JSON exports and OCR'd screenshots, with senders resolved to one
// person per human.
type Chats struct {
	Generation    string        `json:"generation"`
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

// LoadChats returns the stored chat analysis, recomputing it when the
// case changed since it was computed.
func LoadChats(ctx context.Context, c *casedir.Case) (*Chats, error) {
	gen, err := c.Store.Generation(ctx)
	if err != nil {
		return nil, err
	}
	var ch Chats
	v, err := c.Store.Analysis(ctx, "chats", &ch)
	if err == nil && v == ChatsVersion && ch.Generation == gen {
		return &ch, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	out, err := BuildChats(ctx, c)
	if err != nil {
		return nil, err
	}
	out.Generation = gen
	return out, c.Store.PutAnalysis(ctx, "chats", ChatsVersion, out)
}

// BuildChats parses every chat-shaped document of the case and resolves
// people across them, using staff directories found in spreadsheets.
func BuildChats(ctx context.Context, c *casedir.Case) (*Chats, error) {
	var convs []chat.Conversation
	var docOf []string
	var dir people.Directory
	opts := chat.Options{}
	eng := ocr.New(ocr.Options{})
	err := c.Store.ForEachText(ctx, func(d store.DocInfo, text string) error {
		paths, err := c.Store.AllPaths(ctx, d.ID)
		if err != nil || len(paths) == 0 {
			return err
		}
		src := namePath(paths, d.MIME)
		switch {
		case sniff.IsText(d.MIME) && d.MIME != sniff.EML && d.MIME != sniff.MBOX && d.MIME != sniff.HTML:
			cs, ok := chat.Parse(src, []byte(text), opts)
			if ok {
				for _, cv := range cs {
					convs = append(convs, cv)
					docOf = append(docOf, d.ID.String())
				}
			}
			if d.MIME == sniff.CSV || d.MIME == sniff.TSV {
				addDirectory(&dir, text)
			}
		case d.MIME == sniff.XLSX || d.MIME == sniff.ODS || d.MIME == sniff.XLS:
			for _, sheet := range strings.Split(text, "\f") {
				addDirectory(&dir, sheet)
			}
		case strings.HasPrefix(d.MIME, "image/"):
			tsv, err := c.Store.Artifact(ctx, d.ID, image.ArtifactTSV)
			if err != nil {
				return nil
			}
			info, err := c.Store.Document(ctx, d.ID)
			if err != nil {
				return err
			}
			w, _ := strconv.Atoi(info.Meta[image.KeyWidth])
			h, _ := strconv.Atoi(info.Meta[image.KeyHeight])
			ref, _ := chat.TimeFromFileName(path.Base(lastSegment(src)), chat.DefaultZone)
			shot := chat.Screenshot{Source: src, TSV: tsv, Width: w, Height: h, Ref: ref}
			// With the pixels, bubbles are found by their fills and the
			// small grey sender names and avatar letters are re-read one
			// region at a time, which whole-page OCR misses.
			if img, err := decodeImage(c.Blobs.Path(d.ID)); err == nil {
				shot.Image = img
				shot.Recognise = func(r goimage.Rectangle, m chat.RegionMode) (string, float64) {
					t, conf, err := eng.RegionImage(ctx, img, r, ocr.RegionOptions{PSM: m.PSM()})
					if err != nil {
						return "", 0
					}
					return t, conf
				}
			}
			cv, ok, err := chat.ParseScreenshot(shot, opts)
			if err == nil && ok {
				convs = append(convs, cv)
				docOf = append(docOf, d.ID.String())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p := people.Resolve(convs, dir)
	out := &Chats{Stats: p.Stats(), Edges: p.Edges}
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
	return out, nil
}

// decodeImage decodes an image blob; the ocr package registers the
// decoders and its extractor already refused decompression bombs.
func decodeImage(path string) (goimage.Image, error) {
	f, err := os.Open(path)
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

func addDirectory(dir *people.Directory, table string) {
	d, ok := people.DirectoryFromTable(table)
	if !ok {
		return
	}
	for _, e := range d.Entries {
		dir.Add(e)
	}
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "!/"); i >= 0 {
		return p[i+2:]
	}
	return p
}
