package chat

import (
	"image"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Thresholds of the pixel path, in 0..1 confidence.
const (
	// minNameConf is the lowest confidence at which a re-read sender name
	// is believed. Names are short, so one misread glyph drags the mean
	// down; garbage from avatars and icons reads below 0.5.
	minNameConf = 0.55
	// minShortLatinConf is the confidence a name of three or four Latin
	// letters needs when Known does not vouch for it.
	minShortLatinConf = 0.9
	// minMarkConf is the lowest confidence for an avatar letter.
	minMarkConf = 0.5
	// minLatinMarkConf is the same for a Latin letter, which avatar
	// pictures and icons are often misread as.
	minLatinMarkConf = 0.8
	// minTextConf is the confidence below which a bubble's text from the
	// whole-page pass is read again from the bubble alone.
	minTextConf = 0.6
	// minTitleConf is the confidence above which a re-read title replaces
	// the whole-page pass's.
	minTitleConf = 0.6
)

// parsePixels rebuilds the conversation from the bubbles and avatars found
// in s.Image, taking their text from the TSV words inside each bubble and
// re-reading names, title and avatar letters with s.Recognise. ok is false
// when the pixels show fewer than two bubbles with text; the caller then
// falls back to the TSV alone.
func parsePixels(s Screenshot, lines []ocrLine, opts Options) (Conversation, bool) {
	c := Conversation{ID: convID(s.Source, "screenshot"), Source: s.Source, Shape: ShapeScreenshot, Owner: s.Owner}
	lay := findLayout(s.Image)
	withAvatar := 0
	for _, bb := range lay.bubbles {
		if bb.avatar >= 0 {
			withAvatar++
		}
	}
	// Bubbles beside avatars are what tells a chat from a table or a form
	// whose cells are filled too; a style without avatars is left to the
	// TSV path.
	if len(lay.bubbles) < 2 || withAvatar < 2 || withAvatar*2 < len(lay.bubbles) {
		return c, false
	}
	b := s.Image.Bounds()
	W := b.Dx()
	zone := opts.zone()
	med := 20.0
	if len(lines) > 0 {
		med = medianHeight(lines)
	}

	// Time banners: centred TSV lines that read as a time, outside bubbles.
	type banner struct {
		y int
		t time.Time
	}
	var banners []banner
	inBubble := func(x, y int) bool {
		for _, bb := range lay.bubbles {
			if image.Pt(x, y).In(bb.r) {
				return true
			}
		}
		return false
	}
	for _, l := range lines {
		cx, cy := b.Min.X+(l.x0+l.x1)/2, b.Min.Y+(l.y0+l.y1)/2
		if inBubble(cx, cy) || cy < lay.content.Min.Y {
			continue
		}
		if t, isSep := separatorTime(l.text, s.Ref, zone); isSep && centred(l, W) && l.x1-l.x0 < W*6/10 {
			banners = append(banners, banner{cy, t})
		}
	}
	top := lay.bubbles[0].r.Min.Y
	for _, a := range lay.avatars {
		top = min(top, a.r.Min.Y)
	}
	for _, bn := range banners {
		top = min(top, bn.y-int(med))
	}

	// Title: the whole-page pass's first line above the messages, or the
	// title band re-read when that reads more confidently.
	var tsvTitle []ocrWord
	var tsvConf float64
	for i, l := range lines {
		if b.Min.Y+l.y1 > top || i > 3 {
			break
		}
		if i == 0 && statusBarRe.MatchString(l.text) && len(l.words) <= 4 {
			continue
		}
		tsvTitle, tsvConf = l.words, l.conf
		break
	}
	c.Title, c.Group = cleanTitle(tsvTitle)
	if s.Recognise != nil {
		if r, ok := titleBand(s.Image, top); ok {
			if t, conf := s.Recognise(r, RegionLine); conf >= minTitleConf && conf >= tsvConf-0.05 {
				if title, group := cleanTitle(wordsOf(t)); title != "" {
					c.Title, c.Group = title, group || c.Group
				}
			}
		}
	}

	// Messages.
	type msg struct {
		bub   pxBubble
		text  string
		conf  float64
		name  string
		nconf float64
		pos   int
	}
	var msgs []msg
	prevBottom := top
	for _, bb := range lay.bubbles {
		text, conf, pos := wordsIn(lines, bb.r.Sub(b.Min))
		if conf < minTextConf && s.Recognise != nil {
			// Lost or garbled by the whole-page pass (often text on a
			// coloured bubble): read the bubble alone.
			if t, c := s.Recognise(bb.r, RegionBlock); strings.TrimSpace(t) != "" && c > conf {
				text, conf = strings.TrimSpace(t), c
			}
		}
		if text == "" || !hasLetter(text) {
			continue
		}
		m := msg{bub: bb, text: text, conf: conf, pos: pos}
		for _, bn := range banners {
			if bn.y < bb.r.Min.Y {
				prevBottom = max(prevBottom, bn.y+int(med/2))
			}
		}
		if !bb.right {
			m.name, m.nconf = readName(s, lines, lay, bb, prevBottom, med)
		}
		prevBottom = max(prevBottom, bb.r.Max.Y)
		msgs = append(msgs, m)
	}
	if len(msgs) < 2 {
		return c, false
	}

	// One avatar, one person: every bubble beside the same avatar (same
	// colour and size) takes the most confident name read above any of
	// them, so that one good reading fixes the garbled or lost others.
	sigs := make([][]uint8, len(lay.avatars))
	for i, a := range lay.avatars {
		sigs[i] = avatarSig(s.Image, a.r)
	}
	sameAvatar := func(i, j int) bool {
		ai, aj := msgs[i].bub.avatar, msgs[j].bub.avatar
		if ai < 0 || aj < 0 {
			return false
		}
		a, bb := lay.avatars[ai], lay.avatars[aj]
		return dist3(a.col, bb.col) <= 18 && abs(a.r.Dx()-bb.r.Dx()) <= a.r.Dx()/8 &&
			sigDiff(sigs[ai], sigs[aj]) <= 12
	}
	best := make([]string, len(msgs))
	for i := range msgs {
		if msgs[i].bub.right {
			continue
		}
		bestConf := 0.0
		for j := range msgs {
			if !msgs[j].bub.right && msgs[j].name != "" && (j == i || sameAvatar(i, j)) && msgs[j].nconf > bestConf {
				best[i], bestConf = msgs[j].name, msgs[j].nconf
			}
		}
	}
	for i := range msgs {
		msgs[i].name = best[i]
	}

	// The owner's avatar letter.
	if s.Recognise != nil {
		votes := map[string]float64{}
		seen := map[int]bool{}
		for _, m := range msgs {
			if !m.bub.right || m.bub.avatar < 0 || seen[m.bub.avatar] {
				continue
			}
			seen[m.bub.avatar] = true
			a := lay.avatars[m.bub.avatar].r
			inset := a.Dx() / 8
			t, conf := s.Recognise(a.Inset(inset), RegionChar)
			t = strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			min := minMarkConf
			if t != "" && t[0] < utf8.RuneSelf {
				min = minLatinMarkConf // icons read as Latin letters
			}
			if conf >= min && t != "" && utf8.RuneCountInString(t) <= 2 {
				votes[t] += conf
			}
			if len(seen) >= 3 {
				break
			}
		}
		top := 0.0
		for t, v := range votes {
			if v > top || (v == top && t < c.OwnerMark) {
				c.OwnerMark, top = t, v
			}
		}
	}

	names := map[string]bool{}
	leftAvatars := map[int]bool{}
	for _, m := range msgs {
		if !m.bub.right {
			if m.name != "" {
				names[m.name] = true
			}
			if m.bub.avatar >= 0 {
				leftAvatars[m.bub.avatar] = true
			}
		}
	}
	if len(names) >= 2 {
		c.Group = true
	}
	for _, m := range msgs {
		t := time.Time{}
		for _, bn := range banners {
			if bn.y < m.bub.r.Min.Y {
				t = bn.t
			}
		}
		if t.IsZero() && !s.Ref.IsZero() {
			t = s.Ref.In(zone)
		}
		msg := Message{Time: t, Text: m.text, Source: s.Source, Position: m.pos, OCR: true,
			Confidence: math.Round(m.conf*100) / 100, Outgoing: m.bub.right}
		switch {
		case m.bub.right:
			msg.Sender = s.Owner
		case m.name != "":
			msg.Sender = m.name
		case !c.Group && c.Title != "":
			msg.Sender = c.Title
		}
		c.Messages = append(c.Messages, msg)
	}
	c.finish()
	if len(names) >= 2 {
		c.Group = true
	}
	if !c.Group {
		for i := range c.Messages {
			m := &c.Messages[i]
			if m.Outgoing && c.Title != "" {
				m.Recipients = []string{c.Title}
			} else if !m.Outgoing && c.Owner != "" {
				m.Recipients = []string{c.Owner}
			}
		}
	}
	return c, true
}

// wordsOf splits a re-read line into pseudo word boxes for cleanTitle.
func wordsOf(t string) []ocrWord {
	var ws []ocrWord
	for _, f := range strings.Fields(t) {
		ws = append(ws, ocrWord{text: f, conf: 100})
	}
	return ws
}

// wordsIn joins the TSV words whose centre lies in r (image coordinates
// relative to the TSV's origin), line by line, and returns the text, the
// mean confidence in 0..1 and the 1-based position of the first line.
func wordsIn(lines []ocrLine, r image.Rectangle) (string, float64, int) {
	var b strings.Builder
	var sum float64
	n, pos := 0, 0
	prevLine := ""
	for _, l := range lines {
		var lb strings.Builder
		prev := ""
		for _, w := range l.words {
			if !image.Pt((w.x0+w.x1)/2, (w.y0+w.y1)/2).In(r) {
				continue
			}
			if prev != "" && needSpace(prev, w.text) {
				lb.WriteByte(' ')
			}
			lb.WriteString(w.text)
			prev = w.text
			sum += w.conf
			n++
		}
		if lb.Len() == 0 {
			continue
		}
		if pos == 0 {
			pos = l.n
		}
		if prevLine != "" && needSpace(prevLine, lb.String()) {
			b.WriteByte(' ')
		}
		b.WriteString(lb.String())
		prevLine = lb.String()
	}
	if n == 0 {
		return "", 0, 0
	}
	return b.String(), sum / float64(n) / 100, pos
}

// readName reads the sender name drawn above a left bubble: the strip
// between the top of its avatar (or one line height above the bubble) and
// the bubble, no higher than the previous message. The TSV words in the
// strip and a re-read of it compete; the more confident plausible name
// wins. "" when there is no strip or nothing plausible in it.
func readName(s Screenshot, lines []ocrLine, lay layout, bb pxBubble, prevBottom int, med float64) (string, float64) {
	b := s.Image.Bounds()
	y0 := bb.r.Min.Y - int(1.2*med)
	if bb.avatar >= 0 {
		y0 = lay.avatars[bb.avatar].r.Min.Y - int(0.5*med)
	}
	y0 = max(y0, prevBottom+1)
	y1 := bb.r.Min.Y - 1
	if float64(y1-y0) < 0.4*med {
		return "", 0
	}
	x0 := bb.r.Min.X - cellSize(b.Dx())
	x1 := min(b.Max.X-b.Dx()/4, bb.r.Min.X+b.Dx()/2)
	strip := image.Rect(x0, y0, x1, y1).Intersect(b)
	if strip.Empty() {
		return "", 0
	}
	name, conf := "", 0.0
	if t, c, _ := wordsIn(lines, strip.Sub(b.Min)); t != "" {
		if n := cleanName(t); acceptName(s, n, c) {
			name, conf = n, c
		}
	}
	if s.Recognise != nil {
		t, c := s.Recognise(strip, RegionLine)
		if n := cleanName(t); acceptName(s, n, c) && c > conf {
			name, conf = n, c
		}
	}
	return name, conf
}

// cleanName trims what OCR adds around a name: spaces, quotes, stray
// punctuation at either end.
func cleanName(t string) string {
	t = strings.TrimSpace(t)
	t = strings.TrimFunc(t, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '(' && r != ')' && r != '（' && r != '）'
	})
	return t
}

// acceptName decides whether a sender name read by OCR is believed: high
// enough confidence, short, with a letter, not one or two Latin letters
// (what avatar letters and icons read as) and not three or four with less
// than minShortLatinConf, unless Known says it is a known alias.
func acceptName(s Screenshot, n string, conf float64) bool {
	if n == "" || conf < minNameConf || utf8.RuneCountInString(n) > 24 || !hasLetter(n) {
		return false
	}
	if strings.ContainsAny(n, "，。？！,?!") {
		return false
	}
	latin := true
	for _, r := range n {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			latin = false
			break
		}
	}
	if latin && len(n) <= 4 && s.Known != nil && s.Known(n) {
		return true
	}
	if latin && len(n) <= 2 {
		return false
	}
	if latin && len(n) <= 4 && conf < minShortLatinConf {
		// CJK glyphs the models do not know come out as short English
		// words ("fat" for 磊子), often with fair confidence.
		return false
	}
	if _, err := strconv.Atoi(n); err == nil {
		return false
	}
	return true
}
