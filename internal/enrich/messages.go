package enrich

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
const IndexMessagesVersion = 1

// indexedMessages records which chat analysis the index holds, and the
// unit IDs it added, so that a later run can replace them.
type indexedMessages struct {
	Generation string   `json:"generation"`
	IDs        []string `json:"ids"`
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
// land on the one message that matched and be faceted by sender. It does
// nothing when the index already holds the messages of the current chat
// analysis; otherwise it replaces the units it added last time. It returns
// how many messages it indexed.
func IndexMessages(ctx context.Context, c *casedir.Case, x index.Index, t translate.Translator, log *slog.Logger) (int, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ch, err := LoadChats(ctx, c)
	if err != nil {
		return 0, err
	}
	var prev indexedMessages
	v, err := c.Store.Analysis(ctx, "index-messages", &prev)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	if err == nil && v == IndexMessagesVersion && prev.Generation == ch.Generation {
		n, err := countKind(ctx, x, index.KindMessage)
		if err != nil {
			return 0, err
		}
		if n == uint64(len(prev.IDs)) {
			return 0, nil
		}
	}
	ids := MessageIDs(ch)
	var added []string
	mimes := map[string]string{}
	for ci, cv := range ch.Conversations {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		texts := make([]string, len(cv.Messages))
		for i, m := range cv.Messages {
			texts[i] = m.Text
		}
		var english []string
		if t != nil {
			english, err = TranslateSegments(ctx, t, texts)
			if err != nil {
				// A translator failure costs the translations, not the
				// messages: they are still searchable in the original.
				log.Warn("translate chat messages", "conversation", cv.ID, "err", err)
				english = nil
			}
		}
		mime, ok := mimes[cv.Doc]
		if !ok {
			if id, err := leak.ParseID(cv.Doc); err == nil {
				if d, err := c.Store.Document(ctx, id); err == nil {
					mime = d.MIME
				}
			}
			mimes[cv.Doc] = mime
		}
		units := make([]index.Doc, 0, len(cv.Messages))
		for mi, m := range cv.Messages {
			if strings.TrimSpace(m.Text) == "" {
				continue
			}
			u := index.Doc{
				ID: ids[ci][mi], Kind: index.KindMessage, Path: cv.Source, Paths: []string{cv.Source},
				Title: cv.Title, Text: m.Text, Lang: lang.Detect(m.Text), MIME: mime,
				Sender: m.Sender, Conversation: cv.ID,
			}
			if english != nil && english[mi] != m.Text {
				u.Translation = english[mi]
			}
			if tm, err := time.Parse(time.RFC3339, m.Time); err == nil {
				u.Date, u.Year = tm, tm.Year()
			}
			units = append(units, u)
			added = append(added, u.ID)
		}
		if err := x.Add(ctx, units...); err != nil {
			return 0, fmt.Errorf("index messages: %w", err)
		}
	}
	kept := make(map[string]bool, len(added))
	for _, id := range added {
		kept[id] = true
	}
	var stale []string
	for _, id := range prev.IDs {
		if !kept[id] {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		if err := x.Delete(ctx, stale...); err != nil {
			return 0, fmt.Errorf("index messages: %w", err)
		}
	}
	if added == nil {
		added = []string{}
	}
	return len(added), c.Store.PutAnalysis(ctx, "index-messages", IndexMessagesVersion, indexedMessages{Generation: ch.Generation, IDs: added})
}
