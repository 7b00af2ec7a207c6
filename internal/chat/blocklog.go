package chat

import (
	"regexp"
	"strings"
	"time"
)

// Block logs write each message as a block of labelled lines, the body
// last and free to run over several lines:
//
//	Date: 2022-05-02 14:00:00
//	From: support
//	Message: Hello, Acme Telecom.
//	We are waiting.
//	----------
//
// A block starts where a label already seen in the current block comes
// again (or after a rule). The body runs until a rule or the label that
// opened the block: inside a body, "Time: is short" is text unless the
// block opened with "Time:".

// shapeBlocks is the stored name of the block shape (Stats.Shape).
const shapeBlocks = "labelled-blocks"

var (
	blockLabelRe = regexp.MustCompile(`^(?i)(date|time|sent|timestamp|from|sender|author|to|recipient|message|text|body|msg)\s*[:：]\s?(.*)$`)
	ruleRe       = regexp.MustCompile(`^\s*(?:-{3,}|={3,}|_{3,}|\*{3,}|~{3,})\s*$`)
)

// blockField maps a label to the field it fills.
func blockField(label string) string {
	switch strings.ToLower(label) {
	case "date", "time", "sent", "timestamp":
		return "time"
	case "from", "sender", "author":
		return "from"
	case "to", "recipient":
		return "to"
	}
	return "body"
}

// detectBlocks reports whether a text is a block log: at least two
// blocks, and nearly every sender label matched by a body label.
func detectBlocks(lines []string) bool {
	var from, body int
	for _, l := range lines {
		if m := blockLabelRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			switch blockField(m[1]) {
			case "from":
				from++
			case "body":
				body++
			}
		}
	}
	return from >= 2 && body*10 >= from*9 && from*10 >= body*9
}

// parseBlocks reads a block log into one conversation.
func parseBlocks(source string, lines []string, opts Options) []Conversation {
	zone := opts.zone()
	c := Conversation{ID: convID(source, "blocks"), Source: source, Shape: ShapeText}
	var (
		cur    *Message
		seen   = map[string]bool{}
		inBody bool
		opener string // the label, lowercased, that opened the block
	)
	flush := func() {
		if cur != nil && (cur.Sender != "" || cur.Text != "") {
			cur.Text = strings.TrimSpace(cur.Text)
			cur.System = isSystem(cur.Sender, cur.Text)
			c.Messages = append(c.Messages, *cur)
		}
		cur, inBody, seen, opener = nil, false, map[string]bool{}, ""
	}
	for i, raw := range lines {
		line := strings.TrimRight(raw, " \t")
		if ruleRe.MatchString(line) {
			flush()
			continue
		}
		m := blockLabelRe.FindStringSubmatch(strings.TrimSpace(line))
		// A body line that happens to start "Time: ..." stays body text
		// unless it opens a new block (its field is already filled).
		if m != nil && (!inBody || strings.EqualFold(m[1], opener)) {
			f := blockField(m[1])
			if seen[f] {
				flush()
			}
			if cur == nil {
				cur = &Message{Source: source, Position: i + 1, Confidence: 1}
				opener = strings.ToLower(m[1])
			}
			seen[f] = true
			switch v := strings.TrimSpace(m[2]); f {
			case "time":
				cur.Time = blockTime(v, zone)
			case "from":
				cur.Sender = v
			case "to":
				if v != "" {
					cur.Recipients = []string{v}
				}
			case "body":
				cur.Text, inBody = m[2], true
			}
			continue
		}
		if cur != nil && inBody {
			cur.Text += "\n" + line
		}
	}
	flush()
	if len(c.Messages) == 0 {
		return nil
	}
	c.finish()
	return []Conversation{c}
}

// blockTime reads a block's date: the JSON layouts, else a date and a
// clock found anywhere in the value ("Mon, 02/05/2022 2:00 PM").
func blockTime(v string, zone *time.Location) time.Time {
	if t, ok := parseAnyTime(v, zone); ok {
		return t
	}
	d := dateOnlyRe.FindString(v)
	if d == "" {
		return time.Time{}
	}
	day, ok := parseDate(d, true)
	if !ok {
		return time.Time{}
	}
	rest := strings.TrimSpace(strings.Replace(v, d, "", 1))
	if c := regexp.MustCompile(clockPat).FindString(rest); c != "" {
		if h, m, s, ok := parseClock(c); ok {
			return day.at(h, m, s, zone)
		}
	}
	return day.at(0, 0, 0, zone)
}
