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
	titleConf := tsvConf
	if s.Recognise != nil {
		if r, ok := titleBand(s.Image, top); ok {
			if t, conf := s.Recognise(r, RegionLine); conf >= minTitleConf && conf >= tsvConf-0.05 {
				if title, group := cleanTitle(wordsOf(t)); title != "" {
					c.Title, c.Group, titleConf = title, group || c.Group, conf
				}
			}
		}
	}

	// Messages.
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

	// Avatars: the letter on each (read once per distinct picture), its
	// ink mask and the key that names it across screenshots.
	avs := readAvatars(s, lay, msgs)

	// One avatar, one person: every bubble beside the same avatar (same
	// colour, size, letter and picture) takes the most confident name
	// read above any of them, so that one good reading fixes the garbled
	// or lost others.
	sameAvatar := func(i, j int) bool {
		ai, aj := msgs[i].bub.avatar, msgs[j].bub.avatar
		if ai < 0 || aj < 0 {
			return false
		}
		return avs.same(lay, ai, aj)
	}
	best := make([]string, len(msgs))
	bestConf := make([]float64, len(msgs))
	for i := range msgs {
		if msgs[i].bub.right {
			continue
		}
		for j := range msgs {
			if !msgs[j].bub.right && msgs[j].name != "" && (j == i || sameAvatar(i, j)) && msgs[j].nconf > bestConf[i] {
				best[i], bestConf[i] = msgs[j].name, msgs[j].nconf
			}
		}
	}
	for i := range msgs {
		msgs[i].name, msgs[i].nconf = best[i], bestConf[i]
	}

	// The owner's avatar: its letter and its key, by vote over the
	// right-hand avatars.
	votes := map[string]float64{}
	keyVotes := map[string]int{}
	for _, m := range msgs {
		if !m.bub.right || m.bub.avatar < 0 {
			continue
		}
		ai := m.bub.avatar
		if avs.mark[ai] != "" {
			votes[avs.mark[ai]] += avs.markConf[ai]
		}
		keyVotes[avs.key[ai]]++
	}
	topVote := 0.0
	for t, v := range votes {
		if v > topVote || (v == topVote && t < c.OwnerMark) {
			c.OwnerMark, topVote = t, v
		}
	}
	topKey := 0
	for k, n := range keyVotes {
		if n > topKey || (n == topKey && k < c.OwnerAvatar) {
			c.OwnerAvatar, topKey = k, n
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
		if m.bub.avatar >= 0 {
			msg.Avatar = avs.key[m.bub.avatar]
		}
		switch {
		case m.bub.right:
			msg.Sender = s.Owner
		case m.name != "":
			msg.Sender, msg.SenderConf = m.name, math.Round(m.nconf*100)/100
		case !c.Group && c.Title != "":
			msg.Sender, msg.SenderConf = c.Title, math.Round(titleConf*100)/100
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

// msg is one bubble with its text and the name read above it.
type msg struct {
	bub   pxBubble
	text  string
	conf  float64
	name  string
	nconf float64
	pos   int
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

// avatars holds what was read of each avatar of a layout, by index.
type avatars struct {
	mark     []string  // letter, "" when unread or not believed
	markConf []float64 // its confidence
	mask     []inkMask
	sig      [][]uint8
	key      []string // Message.Avatar
}

// maxMarkReads bounds the letter readings per screenshot: two tesseract
// runs each.
const maxMarkReads = 8

// readAvatars reads the letter of every avatar beside a message, once per
// distinct picture (the same colour and mask), and names each avatar.
func readAvatars(s Screenshot, lay layout, msgs []msg) avatars {
	n := len(lay.avatars)
	av := avatars{mark: make([]string, n), markConf: make([]float64, n), mask: make([]inkMask, n),
		sig: make([][]uint8, n), key: make([]string, n)}
	used := make([]bool, n)
	for _, m := range msgs {
		if m.bub.avatar >= 0 {
			used[m.bub.avatar] = true
		}
	}
	reads := 0
	for i, a := range lay.avatars {
		av.mask[i] = avatarMask(s.Image, a)
		av.sig[i] = avatarSig(s.Image, a.r)
		if !used[i] {
			continue
		}
		done := false
		for j := 0; j < i; j++ {
			if used[j] && av.mask[j] == av.mask[i] && dist3(lay.avatars[j].col, a.col) <= 6 &&
				abs(lay.avatars[j].r.Dx()-a.r.Dx()) <= 2 {
				av.mark[i], av.markConf[i], done = av.mark[j], av.markConf[j], true
				break
			}
		}
		if !done && s.Recognise != nil && reads < maxMarkReads {
			reads++
			av.mark[i], av.markConf[i] = readMark(s, a.r)
		}
		av.key[i] = avatarKey(a, av.mark[i], av.mask[i])
	}
	return av
}

// same reports whether avatars i and j show one account: the same
// colour and size, the same letter when both were read, and nearly the
// same picture.
func (av avatars) same(lay layout, i, j int) bool {
	a, b := lay.avatars[i], lay.avatars[j]
	if dist3(a.col, b.col) > 18 || abs(a.r.Dx()-b.r.Dx()) > a.r.Dx()/8 {
		return false
	}
	if av.mark[i] != "" && av.mark[j] != "" && av.mark[i] != av.mark[j] {
		return false
	}
	return sigDiff(av.sig[i], av.sig[j]) <= 12 && maskDiff(av.mask[i], av.mask[j]) <= maxMaskDiff
}

// maxMaskDiff is the largest share of differing ink at which two avatars
// count as one picture: renderings of one letter differ by resampling
// at the stroke edges only; two different letters differ by half.
const maxMaskDiff = 0.2

// readMark reads the letter on an avatar as one character (--psm 10) and
// as one word (--psm 8), keeping the more confident reading of at most
// two letters; a Latin reading needs minLatinMarkConf.
func readMark(s Screenshot, r image.Rectangle) (string, float64) {
	r = r.Inset(r.Dx() / 8)
	best, bestConf := "", 0.0
	for _, mode := range []RegionMode{RegionChar, RegionWord} {
		t, conf := s.Recognise(r, mode)
		t = strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if t == "" || utf8.RuneCountInString(t) > 2 || strings.ContainsFunc(t, unicode.IsSpace) {
			continue
		}
		min := minMarkConf
		if t[0] < utf8.RuneSelf {
			min = minLatinMarkConf // icons read as Latin letters
		}
		if conf >= min && conf > bestConf {
			best, bestConf = t, conf
		}
	}
	return best, bestConf
}
