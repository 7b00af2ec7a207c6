package enrich

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/translate"
)

// IndexMessagesVersion changes when message units change shape, so that
// they are indexed again.
const IndexMessagesVersion = 3

// indexedMessages records the message units the index holds, each with a
// digest of what was indexed, so that a later run adds only the units that
// changed and deletes those that are gone.
type indexedMessages struct {
	Seq   int64             `json:"seq"`   // the chat analysis indexed
	Units map[string]string `json:"units"` // unit ID -> digest
}

// MessageIDs gives each message of the chat analysis its index unit ID,
// "<docid>#m<N>", N counting from 1 over the messages of one document in
// conversation order (a document may hold several conversations). The
// result is indexed like ch.Conversations and their Messages.
func MessageIDs(ch *Chats) [][]string {
	next := map[string]int{}
	out := make([][]string, len(ch.Conversations))
	for ci, cv := range ch.Conversations {
		out[ci] = make([]string, len(cv.Messages))
		for mi := range cv.Messages {
			next[cv.Doc]++
			out[ci][mi] = fmt.Sprintf("%s#m%d", cv.Doc, next[cv.Doc])
		}
	}
	return out
}

// IndexMessages indexes every chat message of the case as a unit of its
// own (Kind message, with sender and conversation), so that a search can
// land on the one message that matched and be faceted by sender. Only
// messages new or changed since the last run are translated and added,
// and units that are gone are deleted; when the index lost its message
// units (a new index), all are added again. It returns how many messages
// it indexed.
func IndexMessages(ctx context.Context, c *casedir.Case, x index.Index, t translate.Translator, log *slog.Logger) (int, error) {
	ch, err := LoadChats(ctx, c)
	if err != nil && !errors.Is(err, ErrNotAnalysed) {
		return 0, err
	}
	return indexMessages(ctx, c, x, ch, t, log)
}

// indexMessages is IndexMessages over the chat analysis ch at hand.
func indexMessages(ctx context.Context, c *casedir.Case, x index.Index, ch *Chats, t translate.Translator, log *slog.Logger) (int, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var prev indexedMessages
	v, err := c.Store.Analysis(ctx, "index-messages", &prev)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	if err != nil || v != IndexMessagesVersion {
		prev = indexedMessages{}
	}
	if n, err := countKind(ctx, x, index.KindMessage); err != nil {
		return 0, err
	} else if n != uint64(len(prev.Units)) {
		prev.Units = nil // the index does not hold what the record says
	} else if prev.Seq == ch.Seq {
		return 0, nil
	}
	ids := MessageIDs(ch)
	units := map[string]string{}
	added := 0
	mimes := map[string]string{}
	for ci, cv := range ch.Conversations {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		var todo []index.Doc
		for mi, m := range cv.Messages {
			if strings.TrimSpace(m.Text) == "" {
				continue
			}
			u := index.Doc{
				ID: ids[ci][mi], Kind: index.KindMessage, Path: cv.Source, Paths: []string{cv.Source},
				Title: cv.Title, Text: m.Text, Sender: m.Sender, Conversation: cv.ID,
			}
			if tm, err := time.Parse(time.RFC3339, m.Time); err == nil {
				u.Date, u.Year = tm, tm.Year()
			}
			sum := unitDigest(u)
			units[u.ID] = sum
			if prev.Units[u.ID] == sum {
				continue
			}
			u.Lang = lang.Detect(m.Text)
			todo = append(todo, u)
		}
		if len(todo) == 0 {
			continue
		}
		// The type of the document, looked up only for messages to add:
		// a document's content, and so its type, never changes under its ID.
		mime, ok := mimes[cv.Doc]
		if !ok {
			if id, err := leak.ParseID(cv.Doc); err == nil {
				if d, err := c.Store.Document(ctx, id); err == nil {
					mime = d.MIME
				}
			}
			mimes[cv.Doc] = mime
		}
		for i := range todo {
			todo[i].MIME = mime
		}
		if t != nil {
			texts := make([]string, len(todo))
			for i, u := range todo {
				texts[i] = u.Text
			}
			english, err := TranslateSegments(ctx, t, texts)
			if err != nil {
				// A translator failure costs the translations, not the
				// messages: they are still searchable in the original.
				log.Warn("translate chat messages", "conversation", cv.ID, "err", err)
			} else {
				for i := range todo {
					if english[i] != todo[i].Text {
						todo[i].Translation = english[i]
					}
				}
			}
		}
		if err := x.Add(ctx, todo...); err != nil {
			return 0, fmt.Errorf("index messages: %w", err)
		}
		added += len(todo)
	}
	var stale []string
	for id := range prev.Units {
		if _, ok := units[id]; !ok {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		slices.Sort(stale)
		if err := x.Delete(ctx, stale...); err != nil {
			return 0, fmt.Errorf("index messages: %w", err)
		}
	}
	return added, c.Store.PutAnalysis(ctx, "index-messages", IndexMessagesVersion, indexedMessages{Seq: ch.Seq, Units: units})
}

// unitDigest is a digest of what a message unit indexes, but for its
// translation, which follows from the text, and its document's type, which
// follows from the document's ID (part of the unit ID).
func unitDigest(u index.Doc) string {
	h := sha256.New()
	for _, s := range []string{u.Path, u.Title, u.Text, u.Sender, u.Conversation, u.Date.Format(time.RFC3339)} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
