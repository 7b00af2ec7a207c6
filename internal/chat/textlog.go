package chat

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// lineShape is one way a chat log writes the line that starts a message.
// The parser scores every shape over the head of a file and parses the
// whole file with the best one, so continuation text that happens to look
// like another shape is not split into messages.
type lineShape struct {
	name   string
	re     *regexp.Regexp
	date   int // submatch index of the date, 0 if the shape has none
	clock  int
	sender int
	text   int // submatch index of inline text, 0 if text follows on the next lines
	to     int // submatch index of the recipient, 0 if the shape names none
}

// senderPat is a sender as a line writes it: a Matrix id whose server is
// part of it (@kestrel:example.org, not "@kestrel" saying
// "example.org: ..."), or a name without colons or brackets.
const senderPat = `(@[A-Za-z0-9._=\-/]+:[A-Za-z0-9.\-]+(?::\d{1,5})?|[^\s:：\[\]#][^:：\[\]]{0,63}?)`

var lineShapes = []lineShape{
	{ // 2021-06-03 14:22:10 张三: text / [03/06/2021 14:22] name: text / 03/06/2021, 14:22 - name: text
		name: "date-time-sender-text",
		re:   regexp.MustCompile(`^\[?` + datePat + `[,\s]\s*` + clockPat + `\]?\s*(?:[-–]\s*)?` + senderPat + `\s*[:：]\s?(.*)$`),
		date: 1, clock: 2, sender: 3, text: 4,
	},
	{ // QQ / WeChat exports: 2021-06-03 14:22:10 name(12345), text on the next lines
		name: "date-time-sender",
		re:   regexp.MustCompile(`^\[?` + datePat + `[,\s]\s*` + clockPat + `\]?\s+([^\s:：][^:：]{0,63})$`),
		date: 1, clock: 2, sender: 3,
	},
	{ // name 2021-06-03 14:22:10, text on the next lines
		name:   "sender-date-time",
		re:     regexp.MustCompile(`^([^\d\s:：\[\]#][^:：\[\]]{0,63}?)\s+[(（\[]?` + datePat + `[,\s]\s*` + clockPat + `[)）\]]?\s*[:：]?$`),
		sender: 1, date: 2, clock: 3,
	},
	{ // [14:22] name: text, the date from a heading
		name:  "time-sender-text",
		re:    regexp.MustCompile(`^\[?` + clockPat + `\]?\s*(?:[-–]\s*)?` + senderPat + `\s*[:：]\s?(.*)$`),
		clock: 1, sender: 2, text: 3,
	},
	{ // **name** 14:22 / name (14:22): text / name 6月3日 14:22
		name:   "sender-time",
		re:     regexp.MustCompile(`^([^\d\s:：\[\]#(（][^:：\[\]()（）]{0,63}?)\s*[(（\[]?\s*(?:` + datePat + `\s*)?` + clockPat + `\s*[)）\]]?\s*(?:[:：]\s?(.*))?$`),
		sender: 1, date: 2, clock: 3, text: 4,
	},
	{ // 2020-10-15T17:15:27 kestrel@example.org -> heron@example.org, text inline or on the next lines
		name: "iso-sender-peer",
		re: regexp.MustCompile(`^\[?(\d{4}-\d{1,2}-\d{1,2})[T\s](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s+` +
			`([^\s>]{1,96}?)\s*(?:->|→|=>)\s*([^\s:]{1,96}(?::\d{1,5})?)\s*(?:[:：]\s?(.*))?$`),
		date: 1, clock: 2, sender: 3, to: 4, text: 5,
	},
}

var (
	listMarkRe   = regexp.MustCompile(`^(?:[-*+>]|\d{1,3}[.)])\s+`)
	headingRe    = regexp.MustCompile(`^#{1,6}\s*`)
	dateOnlyRe   = regexp.MustCompile(datePat)
	senderIDRe   = regexp.MustCompile(`^(.*?)\s*[(（<]([0-9]{4,14}|[^()（）<>\s]+@[^()（）<>\s]+)[)）>]$`)
	qqPeerRe     = regexp.MustCompile(`^消息对象\s*[:：]\s*(.+)$`)
	titleTrimRe  = regexp.MustCompile(`\s*[(（][^()（）]*[)）]\s*$`)
	titleSuffixs = []string{"的聊天记录", "群聊记录", "聊天记录", "消息记录", "聊天", "chat log", "chat history"}
	logLevels    = map[string]bool{"INFO": true, "WARN": true, "WARNING": true, "ERROR": true, "DEBUG": true,
		"TRACE": true, "FATAL": true, "NOTICE": true, "CRITICAL": true, "ERR": true, "CRIT": true}
)

// spaceLike are the spaces exporters put where the patterns expect an
// ASCII one: WhatsApp writes "9:15\u202fPM", others a no-break space.
var spaceLike = strings.NewReplacer("\u202f", " ", "\u00a0", " ", "\u2009", " ", "\u3000", " ")

// normLine strips what Markdown and list syntax add around a message line.
func normLine(s string) string {
	if strings.ContainsAny(s, "\u202f\u00a0\u2009\u3000") {
		s = spaceLike.Replace(s)
	}
	s = strings.TrimSpace(s)
	s = headingRe.ReplaceAllString(s, "")
	s = listMarkRe.ReplaceAllString(s, "")
	if strings.Contains(s, "**") || strings.Contains(s, "__") {
		s = strings.NewReplacer("**", "", "__", "").Replace(s)
	}
	return strings.TrimSpace(s)
}

// headLines is how many non-blank lines the shape detector looks at.
const headLines = 500

// detectShape returns the index of the dominant line shape, or -1 when no
// shape starts enough lines for the text to be a chat log. It looks at
// headLines lines spread evenly over the whole file, so that a long
// preamble (a 2,000-line contact list before the chat) does not hide the
// shape of what follows.
func detectShape(lines []string) int {
	counts := make([]int, len(lineShapes))
	nonBlank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			nonBlank++
		}
	}
	stride := max(1, nonBlank/headLines)
	n, seen := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		seen++
		if (seen-1)%stride != 0 {
			continue
		}
		s := normLine(l)
		n++
		if n > headLines {
			break
		}
		for i, sh := range lineShapes {
			if sh.re.MatchString(s) {
				counts[i]++
			}
		}
	}
	best := -1
	for i, c := range counts {
		if best < 0 || c > counts[best] {
			best = i
		}
	}
	if best < 0 || counts[best] < 2 || counts[best]*100 < n*15 {
		return -1
	}
	return best
}

// splitLines decodes a UTF-8 BOM, CRLF and CR line ends.
func splitLines(data []byte) []string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := string(data)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// ParseText reads a line-based chat log (plain text or Markdown export) and
// returns its conversations: usually one, more when the export holds
// several (a QQ export lists each 消息对象 in turn). ok is false when the
// text does not look like a chat log; the caller then treats it as an
// ordinary document. The format is detected, not configured: every known
// line shape is scored over the first 500 non-blank lines and the best one
// parses the file, so a continuation line that happens to look like another
// shape stays part of its message.
func ParseText(source string, data []byte, opts Options) (convs []Conversation, ok bool) {
	convs, _, ok = parseText(source, data, opts)
	return convs, ok
}

// parseText is ParseText that also names the line shape it chose.
func parseText(source string, data []byte, opts Options) (convs []Conversation, shape string, ok bool) {
	lines := splitLines(data)
	if detectBlocks(lines) {
		if cs := parseBlocks(source, lines, opts); len(cs) > 0 && !looksLikeLog(cs) {
			return cs, shapeBlocks, true
		}
	}
	si := detectShape(lines)
	if si < 0 {
		return nil, "", false
	}
	sh := lineShapes[si]
	shape = sh.name
	zone := opts.zone()
	dayFirst := guessDayFirst(lines, sh)
	max := opts.maxMessages()

	var (
		cur      *Conversation
		msg      *Message
		curDate  ymd
		preamble []string
		count    int
	)
	newConv := func(key, title string) {
		convs = append(convs, Conversation{
			ID: convID(source, key), Source: source, Shape: ShapeText, Title: title,
		})
		cur = &convs[len(convs)-1]
	}
	flush := func() {
		if msg == nil {
			return
		}
		msg.Text = strings.TrimSpace(msg.Text)
		if cur == nil {
			newConv("", "")
		}
		if count < max {
			cur.Messages = append(cur.Messages, *msg)
			count++
		}
		msg = nil
	}
	for i, raw := range lines {
		line := strings.TrimRight(raw, " \t")
		s := normLine(line)
		if m := qqPeerRe.FindStringSubmatch(s); m != nil {
			flush()
			newConv("peer:"+m[1]+":"+strconv.Itoa(i), strings.TrimSpace(m[1]))
			continue
		}
		if s != "" {
			if sub := sh.re.FindStringSubmatch(s); sub != nil {
				if m, good := buildLineMessage(sh, sub, &curDate, dayFirst, zone); good {
					flush()
					m.Source, m.Position, m.Confidence = source, i+1, 1
					msg = &m
					continue
				}
			}
			if sh.date > 0 {
				// A timestamped line without a sender in a log whose messages
				// have senders: a system line (joined, recalled).
				if sub := lineShapes[1].re.FindStringSubmatch(s); sub != nil && sh.name != lineShapes[1].name {
					if d, good := parseDate(sub[1], dayFirst); good {
						if h, mi, sec, good := parseClock(sub[2]); good {
							flush()
							msg = &Message{Time: d.at(h, mi, sec, zone), Text: sub[3], System: true,
								Source: source, Position: i + 1, Confidence: 1}
							continue
						}
					}
				}
			}
			if d, good := dateHeading(s, line, dayFirst); good {
				flush()
				curDate = d
				if cur == nil && msg == nil {
					preamble = append(preamble, s)
				}
				continue
			}
		}
		if msg != nil && ruleRe.MatchString(line) {
			continue // a rule between multi-line messages is not text
		}
		if msg != nil {
			if msg.Text != "" || s != "" {
				msg.Text += "\n" + line
			}
			continue
		}
		if s != "" && (cur == nil || len(cur.Messages) == 0) {
			preamble = append(preamble, s)
		}
	}
	flush()
	if sh.to > 0 {
		convs = splitByPeer(convs)
	}
	var out []Conversation
	for i := range convs {
		c := &convs[i]
		if len(c.Messages) == 0 {
			continue
		}
		if c.Title == "" {
			c.Title = titleFrom(preamble, source)
		}
		c.finish()
		if !c.Group && c.Title != "" && len(c.Participants) == 2 {
			for j, p := range c.Participants {
				if p == c.Title {
					c.Owner = c.Participants[1-j]
				}
			}
		}
		if strings.Contains(strings.Join(preamble, " "), "群") {
			c.Group = true
		}
		out = append(out, *c)
	}
	if len(out) == 0 || looksLikeLog(out) {
		return nil, shape, false
	}
	return out, shape, true
}

// buildLineMessage turns the submatches of a message line into a message.
func buildLineMessage(sh lineShape, sub []string, curDate *ymd, dayFirst bool, zone *time.Location) (Message, bool) {
	var m Message
	sender := strings.TrimSpace(sub[sh.sender])
	if sender == "" || strings.HasPrefix(sender, "http") || utf8.RuneCountInString(sender) > 48 {
		return m, false
	}
	h, mi, sec, ok := parseClock(sub[sh.clock])
	if !ok {
		return m, false
	}
	d := *curDate
	if sh.date > 0 && sub[sh.date] != "" {
		if d, ok = parseDate(sub[sh.date], dayFirst); !ok {
			return m, false
		}
		if sh.name == "sender-time" {
			*curDate = d
		}
	}
	if d.valid() {
		m.Time = d.at(h, mi, sec, zone)
	}
	if sh.text > 0 {
		m.Text = sub[sh.text]
	}
	if sh.to > 0 && sub[sh.to] != "" {
		m.Recipients = []string{sub[sh.to]}
	}
	if id := senderIDRe.FindStringSubmatch(sender); id != nil && id[1] != "" {
		sender, m.SenderID = strings.TrimSpace(id[1]), id[2]
	}
	m.Sender = sender
	if isSystem(sender, m.Text) {
		m.System = true
	}
	return m, true
}

// dateHeading reports whether a line only announces a date (a Markdown
// heading, a "—— 2021-06-03 ——" banner) and returns it.
func dateHeading(s, raw string, dayFirst bool) (ymd, bool) {
	loc := dateOnlyRe.FindStringIndex(s)
	if loc == nil {
		return ymd{}, false
	}
	d, ok := parseDate(s[loc[0]:loc[1]], dayFirst)
	if !ok {
		return ymd{}, false
	}
	rest := s[:loc[0]] + s[loc[1]:]
	rest = strings.Trim(rest, " -–—=*#_:：|()（）[]")
	for _, w := range []string{"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "星期天",
		"周一", "周二", "周三", "周四", "周五", "周六", "周日", "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday", "Sunday"} {
		rest = strings.ReplaceAll(rest, w, "")
	}
	rest = strings.Trim(rest, " -–—=*#_,，")
	if strings.HasPrefix(strings.TrimSpace(raw), "#") || utf8.RuneCountInString(rest) <= 2 {
		return d, true
	}
	return ymd{}, false
}

// guessDayFirst decides how to read 03/06/2021: day first unless a line
// of the file has a first field above 12 in second position.
func guessDayFirst(lines []string, sh lineShape) bool {
	if sh.date == 0 {
		return true
	}
	for _, l := range lines {
		sub := sh.re.FindStringSubmatch(normLine(l))
		if sub == nil {
			continue
		}
		n := numsRe.FindAllString(sub[sh.date], -1)
		if len(n) == 3 && len(n[0]) <= 2 {
			a, b := atoiSmall(n[0]), atoiSmall(n[1])
			if a > 12 {
				return true
			}
			if b > 12 {
				return false
			}
		}
	}
	return true
}

func atoiSmall(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

var systemMarks = []string{
	"撤回了一条消息", "撤回了一條訊息", "加入了群聊", "加入群聊", "退出了群聊", "移出了群聊", "修改群名为",
	"拍了拍", "邀请", "以下为新消息", "joined the group", "left the group", "recalled a message",
	"was added", "was removed", "changed the group", "joined", "has left", "deleted this message",
	"created group", "pinned a message",
}

var systemSenders = map[string]bool{"系统消息": true, "系统": true, "System": true, "system": true, "SYSTEM": true}

func isSystem(sender, text string) bool {
	if systemSenders[sender] {
		return true
	}
	if text == "" {
		return false
	}
	t := strings.TrimSpace(text)
	// System notices are short; a long text is someone's message.
	if len(t) > 40*utf8.UTFMax || utf8.RuneCountInString(t) > 40 {
		return false
	}
	for _, m := range systemMarks {
		if strings.Contains(t, m) {
			if m == "邀请" && !strings.Contains(t, "加入") {
				continue
			}
			if m == "joined" && !strings.HasSuffix(t, "joined") {
				continue
			}
			return true
		}
	}
	return false
}

// looksLikeLog rejects text that shares the timestamp shape of chat logs
// without being one: program and server logs (their "senders" are log
// levels, component paths or addresses), directory listings (sizes,
// <DIR> and file names where a sender would be), tab-separated tables.
// It judges the shape of the whole parse rather than any one line:
//   - more than a third of the senders are implausible as names
//     (plausibleSender);
//   - almost every message is empty: a listing has one "sender" per line
//     and no message text under it;
//   - nearly every message has a sender of its own: people in a chat
//     speak more than once, rows of a listing name a new item each.
func looksLikeLog(convs []Conversation) bool {
	bad, all, empty := 0, 0, 0
	senders := map[string]bool{}
	for _, c := range convs {
		for _, m := range c.Messages {
			if m.System {
				continue
			}
			all++
			if !plausibleSender(m.Sender) {
				bad++
			}
			if strings.TrimSpace(m.Text) == "" {
				empty++
			}
			senders[m.Sender] = true
		}
	}
	switch {
	case all == 0, bad*3 > all:
		return true
	case all >= 3 && empty*10 >= all*8:
		return true
	case all >= 8 && len(senders)*10 >= all*9:
		return true
	}
	return false
}

var (
	// numFieldRe is a size or count as listings print it: 4096,
	// 486,324,515, 1.5.
	numFieldRe = regexp.MustCompile(`^[0-9][0-9.,]*$`)
	// fileNameRe is a file name with a common extension. Domain endings
	// (.com, .net, .cn) are not in the list: e-mail addresses are senders.
	// monthDayRe is a date as syslog and ctime write it ("Jan  8"), which
	// the name-then-clock shape would otherwise take for a sender.
	monthDayRe = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?$`)
	fileNameRe = regexp.MustCompile(`(?i)\S\.(?:pdf|docx?|xlsx?|pptx?|txt|csv|json|xml|html?|log|zip|rar|7z|gz|tgz|tar|bz2|xz|exe|dll|sys|bin|iso|img|bak|sql|db|pst|ost|eml|msg|jpe?g|png|gif|bmp|mp[34]|avi|mov|wav|php|jsp|aspx?|js|py|go|sh|bat|ps1|cfg|conf|ini|yml|yaml|md|dat|tmp)$`)
)

// plausibleSender reports whether s can be a sender as chat logs write
// them (a name, a nickname, a handle, an address), rather than a field
// of a program log, a listing or a table: no log level, no path or
// assignment characters, no tabs, no <DIR>-style tags, no leading size or
// count followed by more fields, no file name, no month-and-day date, no
// bare punctuation and no long run of fields.
func plausibleSender(s string) bool {
	s = strings.TrimSpace(s)
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 5 {
		return false
	}
	if logLevels[strings.ToUpper(strings.Trim(f[0], "[]"))] {
		return false
	}
	if strings.ContainsAny(s, "/=\\{}<>|\t") {
		return false
	}
	if numFieldRe.MatchString(f[0]) && (len(f) > 1 || strings.Contains(f[0], ",")) {
		return false
	}
	if fileNameRe.MatchString(f[len(f)-1]) || monthDayRe.MatchString(s) {
		return false
	}
	return hasLetter(s)
}

// titleFrom names a conversation from the lines before its first message
// ("数据组 群聊记录（2021年3月）", "# 渗透组 聊天记录"), else from the file name.
func titleFrom(preamble []string, source string) string {
	for _, l := range preamble {
		t := titleTrimRe.ReplaceAllString(l, "")
		for _, suf := range titleSuffixs {
			t = strings.TrimSpace(strings.TrimSuffix(t, suf))
		}
		t = strings.TrimSpace(strings.Trim(t, "-—=:："))
		if t == "" || strings.ContainsAny(t, ":：") || dateOnlyRe.MatchString(t) {
			continue
		}
		if utf8.RuneCountInString(t) <= 40 {
			return t
		}
	}
	base := path.Base(strings.ReplaceAll(source, "\\", "/"))
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// splitByPeer splits the conversations of a log whose lines name sender
// and recipient (kestrel -> heron) into one per pair of people or per
// room, as the JSON reader does for {from, to}: one Jabber log of a
// server holds many chats. A line without a recipient stays with the
// chat before it.
func splitByPeer(convs []Conversation) []Conversation {
	var out []Conversation
	for _, c := range convs {
		byKey := map[string]int{}
		last := -1
		for _, m := range c.Messages {
			i := last
			if len(m.Recipients) == 1 {
				key, title, group := peerKey(m.Sender, m.Recipients[0])
				if group {
					// The room is the conversation, not a person
					// the message was sent to.
					m.Recipients = nil
				}
				var ok bool
				if i, ok = byKey[key]; !ok {
					i = len(out)
					byKey[key] = i
					out = append(out, Conversation{ID: convID(c.Source, c.ID+"\x00"+key), Source: c.Source,
						Shape: c.Shape, Title: cmpOr(title, c.Title), Group: group})
				}
			}
			if i < 0 {
				i = len(out)
				out = append(out, Conversation{ID: c.ID, Source: c.Source, Shape: c.Shape, Title: c.Title})
			}
			out[i].Messages = append(out[i].Messages, m)
			last = i
		}
	}
	return out
}

// peerKey is the conversation of a message from sender to peer: a room
// (a conference address, #channel) by its name, else the pair.
func peerKey(sender, peer string) (key, title string, group bool) {
	if !personAddress(peer) || strings.HasPrefix(peer, "#") {
		return "room:" + peer, peer, true
	}
	a, b := sender, peer
	if b < a {
		a, b = b, a
	}
	return "pair:" + a + "\x00" + b, "", false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
