package chat

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// Table exports (WeChat and QQ exporters, spreadsheets of chat logs) write
// one message per row under a header row: 时间,发送者,内容 or
// CreateTime,NickName,StrContent. ParseCSV reads each row as an object
// keyed by the header and hands it to the JSON field detection, so a
// table and a JSON export with the same keys read alike.

// shapeTable is the stored name of the table shape (Stats.Shape).
const shapeTable = "table"

// ParseCSV reads a comma- or tab-separated chat table. ok is false when
// the header names no sender, body and time columns (a staff directory, a
// price list). A row the CSV reader cannot read is counted in
// Stats.Skipped and reading goes on with the next row.
func ParseCSV(source string, r io.Reader, comma rune, opts Options) ([]Conversation, Stats, bool) {
	cr := csv.NewReader(r)
	cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord, cr.ReuseRecord = comma, true, -1, true
	head, err := cr.Read()
	if err != nil {
		return nil, Stats{}, false
	}
	header := make([]string, len(head))
	for i, h := range head {
		header[i] = strings.ToValidUTF8(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "\uFFFD")
	}
	if !chatHeader(header, opts) {
		return nil, Stats{}, false
	}
	var (
		order []*Conversation
		msgs  = map[*Conversation][]Message{}
		max   = opts.maxMessages()
		n     int
	)
	w := &jsonWalker{source: source, opts: opts, st: &walkState{convs: map[convKey]*Conversation{}},
		emit: func(c *Conversation, m Message) error {
			if _, ok := msgs[c]; !ok {
				order = append(order, c)
			}
			if n < max {
				msgs[c] = append(msgs[c], m)
				n++
			}
			return nil
		}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				w.st.stats.Records++
				w.st.stats.skip(SkipSyntax)
				continue
			}
			break // a read error: keep what was read
		}
		f := make(map[string]any, len(header))
		for i, v := range rec {
			if i < len(header) && header[i] != "" && v != "" {
				// Hostile tables are not always UTF-8: keep the row,
				// not its broken bytes.
				f[header[i]] = strings.ToValidUTF8(v, "\uFFFD")
			}
		}
		w.record(f, nil)
	}
	out := make([]Conversation, 0, len(order))
	for _, c := range order {
		cc := *c
		cc.Messages = msgs[c]
		group := cc.Group
		cc.finish()
		cc.Group = cc.Group || group
		cc.Shape = ShapeText
		out = append(out, cc)
	}
	st := w.st.stats
	st.Keys, st.Shape = w.st.chosenKeys(), shapeTable
	return out, st, st.Messages > 0
}

// chatHeader reports whether a header row names a sender, a body and a
// time column, among the JSON keys or Options.KeyMap.
func chatHeader(header []string, opts Options) bool {
	f := map[string]any{}
	for _, h := range header {
		f[h] = "x"
	}
	w := &jsonWalker{opts: opts}
	from, _ := lookup(f, w.keys("from", fromKeys))
	body, _ := lookup(f, w.keys("body", bodyKeys))
	tv, _ := lookup(f, w.keys("time", timeKeys))
	return from != nil && body != nil && tv != nil
}
