package chat

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Screenshot is the OCR of one chat screenshot: tesseract's TSV word boxes
// (`tesseract img - --psm 6 -l chi_sim+eng tsv` on a grayscale copy) and the
// image size.
type Screenshot struct {
	Source string // path of the image
	TSV    []byte // tesseract TSV: level page_num block_num par_num line_num word_num left top width height conf text
	Width  int    // image width in pixels; 0: estimated from the boxes
	Height int    // image height in pixels; 0: estimated from the boxes
	// Ref is a time at or after the messages shown, used to date
	// separators that show no date ("14:20", "昨天 14:20") or whose date OCR
	// garbled. TimeFromFileName reads it from names such as
	// "微信图片_20210605221530.png". Zero: such separators get no date.
	Ref time.Time
	// Owner names the device owner, whose messages are drawn on the right
	// without a name, when the caller knows it; "" leaves those messages
	// without a sender (Outgoing set) for people.Resolve to infer.
	Owner string
	// Image is the decoded screenshot, optional. With it the parser finds
	// bubbles and avatars in the pixels (see layout.go) and uses the TSV
	// only for their text and the time banners; without it, or when the
	// pixels show fewer than two bubbles, it works from the TSV alone.
	Image image.Image
	// Recognise, optional, reads one region of Image again (cropped,
	// enlarged and binarised: ocr.Engine.RegionImage) and returns its text
	// and confidence in 0..1. The parser uses it for what a whole-page
	// pass loses: the small grey sender names above bubbles, the title,
	// the letter on the owner's avatar, and bubbles whose text the TSV
	// lacks. It is called from the goroutine that called ParseScreenshot.
	Recognise func(r image.Rectangle, mode RegionMode) (text string, conf float64)
	// Known, optional, reports whether a name is a known alias (a staff
	// directory entry, a sender of a text export). Names OCR reads as one
	// or two Latin letters are kept only when Known says so: avatar
	// letters and icon noise read that way.
	Known func(name string) bool
}

// RegionMode says what a region given to Screenshot.Recognise holds, so
// that the reader can choose tesseract's segmentation: RegionLine is one
// line (--psm 7), RegionChar one character (--psm 10), RegionBlock a few
// lines (--psm 6), RegionWord one word (--psm 8: the avatar letters
// that --psm 10 misreads, such as 哥 and 洲, read right this way, and the
// parser keeps the more confident of the two).
type RegionMode int

// Region modes.
const (
	RegionLine RegionMode = iota
	RegionChar
	RegionBlock
	RegionWord
)

// String names the mode.
func (m RegionMode) String() string {
	switch m {
	case RegionChar:
		return "char"
	case RegionBlock:
		return "block"
	case RegionWord:
		return "word"
	}
	return "line"
}

// PSM is the tesseract page segmentation mode that reads a region of the
// mode: 7, 10, 6 or 8.
func (m RegionMode) PSM() int {
	switch m {
	case RegionChar:
		return 10
	case RegionBlock:
		return 6
	case RegionWord:
		return 8
	}
	return 7
}

// ocrWord is one word box.
type ocrWord struct {
	x0, y0, x1, y1 int
	conf           float64
	text           string
}

// ocrLine is one visual line rebuilt from words.
type ocrLine struct {
	x0, y0, x1, y1 int
	words          []ocrWord
	text           string
	conf           float64
	n              int // 1-based position in reading order
}

func (l ocrLine) h() int { return l.y1 - l.y0 }

// parseTSV reads tesseract's TSV and rebuilds lines from level-5 words,
// keyed by block, paragraph and line number.
func parseTSV(tsv []byte) ([]ocrLine, int, int) {
	type key struct{ b, p, l int }
	byKey := map[key]*ocrLine{}
	var keys []key
	maxX, maxY := 0, 0
	for i, row := range bytes.Split(tsv, []byte("\n")) {
		if i == 0 && bytes.HasPrefix(row, []byte("level")) {
			continue
		}
		f := strings.Split(strings.TrimRight(string(row), "\r"), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		n := make([]int, 10)
		ok := true
		for j := 0; j < 10; j++ {
			v, err := strconv.Atoi(f[j])
			if err != nil {
				ok = false
				break
			}
			n[j] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		text := strings.TrimSpace(strings.Join(f[11:], " "))
		if !ok || err != nil || text == "" || conf < 0 || n[8] <= 0 || n[9] <= 0 {
			continue
		}
		text = strings.ToValidUTF8(text, "")
		w := ocrWord{x0: n[6], y0: n[7], x1: n[6] + n[8], y1: n[7] + n[9], conf: conf, text: text}
		if w.x1 > maxX {
			maxX = w.x1
		}
		if w.y1 > maxY {
			maxY = w.y1
		}
		k := key{n[2], n[3], n[4]}
		l := byKey[k]
		if l == nil {
			l = &ocrLine{x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1}
			byKey[k] = l
			keys = append(keys, k)
		}
		l.words = append(l.words, w)
	}
	lines := make([]ocrLine, 0, len(keys))
	for _, k := range keys {
		l := byKey[k]
		dropJunk(l)
		if len(l.words) == 0 {
			continue
		}
		// Punctuation boxes reach far above and below the text, so the
		// vertical extent is the median of the word boxes.
		l.x0, l.x1 = l.words[0].x0, l.words[0].x1
		ys0 := make([]int, 0, len(l.words))
		ys1 := make([]int, 0, len(l.words))
		var sum float64
		var prev string
		var b strings.Builder
		for _, w := range l.words {
			l.x0, l.x1 = min(l.x0, w.x0), max(l.x1, w.x1)
			ys0, ys1 = append(ys0, w.y0), append(ys1, w.y1)
			sum += w.conf
			if prev != "" && needSpace(prev, w.text) {
				b.WriteByte(' ')
			}
			b.WriteString(w.text)
			prev = w.text
		}
		sort.Ints(ys0)
		sort.Ints(ys1)
		l.y0, l.y1 = ys0[len(ys0)/2], ys1[len(ys1)/2]
		l.text = b.String()
		l.conf = sum / float64(len(l.words)) / 100
		lines = append(lines, *l)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].y0 < lines[j].y0 })
	for i := range lines {
		lines[i].n = i + 1
	}
	return lines, maxX, maxY
}

// dropJunk removes words that are noise from avatars and icons: leading
// or trailing symbols, and letters read with low confidence.
func dropJunk(l *ocrLine) {
	junk := func(w ocrWord) bool {
		if w.conf < 30 {
			return true
		}
		letters := 0
		for _, r := range w.text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				letters++
			}
		}
		return letters == 0 && !isCJKPunct(w.text) && !strings.ContainsAny(w.text, "[](){}!?.,:;'\"%$#@&*+-/")
	}
	for len(l.words) > 0 && junk(l.words[0]) {
		l.words = l.words[1:]
	}
	for len(l.words) > 0 && junk(l.words[len(l.words)-1]) {
		l.words = l.words[:len(l.words)-1]
	}
}

func isCJKPunct(s string) bool {
	return strings.ContainsAny(s, "，。？！、；：")
}

// needSpace reports whether two adjacent OCR words were separated by a
// space: only between Latin letters or digits, never next to CJK.
func needSpace(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return ra < 0x2E80 && rb < 0x2E80 && !unicode.IsPunct(ra) && !unicode.IsPunct(rb)
}

var (
	groupCountRe = regexp.MustCompile(`\s*[(（{\[]\s*(\d{1,4})\s*[)）}\]]\s*$`)
	statusBarRe  = regexp.MustCompile(`^\d{1,2}:\d{2}\b`)
	sepFullRe    = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日`)
	sepMDRe      = regexp.MustCompile(`(\d{1,2})月(\d{1,2})日`)
	sepISORe     = regexp.MustCompile(`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	sepClockRe   = regexp.MustCompile(`(上午|下午|凌晨|早上|中午|晚上)?\s?(\d{1,2}):(\d{2})`)
	weekdays     = map[string]time.Weekday{"星期日": 0, "星期天": 0, "星期一": 1, "星期二": 2, "星期三": 3,
		"星期四": 4, "星期五": 5, "星期六": 6, "周日": 0, "周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6}
)

// separatorTime reads a centred time banner ("2021年6月5日 22:15",
// "昨天 14:20", "14:20", "6月5日 下午3:20"). ok is false when the text holds
// no clock. The date comes from the banner, else from ref.
func separatorTime(text string, ref time.Time, zone *time.Location) (time.Time, bool) {
	s := strings.ReplaceAll(text, " ", "")
	cm := sepClockRe.FindStringSubmatch(s)
	if cm == nil {
		return time.Time{}, false
	}
	h, _ := strconv.Atoi(cm[2])
	mi, _ := strconv.Atoi(cm[3])
	switch cm[1] {
	case "下午", "晚上":
		if h < 12 {
			h += 12
		}
	case "中午":
		if h < 11 {
			h += 12
		}
	case "凌晨", "上午", "早上":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 {
		return time.Time{}, false
	}
	rest := strings.Replace(s, cm[0], "", 1)
	var d ymd
	if m := sepFullRe.FindStringSubmatch(rest); m != nil {
		d = ymd{atoiSmall(m[1]), atoiSmall(m[2]), atoiSmall(m[3])}
	} else if m := sepISORe.FindStringSubmatch(rest); m != nil {
		d = ymd{atoiSmall(m[1]), atoiSmall(m[2]), atoiSmall(m[3])}
	}
	if d.valid() {
		return d.at(h, mi, 0, zone), true
	}
	if ref.IsZero() {
		return time.Time{}, true
	}
	r := ref.In(zone)
	day := time.Date(r.Year(), r.Month(), r.Day(), h, mi, 0, 0, zone)
	switch {
	case sepMDRe.MatchString(rest) && !strings.ContainsAny(rest, "0123456789"[:0]):
		m := sepMDRe.FindStringSubmatch(rest)
		y := r.Year()
		t := time.Date(y, time.Month(atoiSmall(m[1])), atoiSmall(m[2]), h, mi, 0, 0, zone)
		if t.After(r) {
			t = t.AddDate(-1, 0, 0)
		}
		return t, true
	case strings.Contains(rest, "昨天"):
		return day.AddDate(0, 0, -1), true
	case strings.Contains(rest, "前天"):
		return day.AddDate(0, 0, -2), true
	}
	for w, wd := range weekdays {
		if strings.Contains(rest, w) {
			back := (int(r.Weekday()) - int(wd) + 7) % 7
			return day.AddDate(0, 0, -back), true
		}
	}
	// A clock alone, or a date OCR garbled: the latest such time not after
	// the reference.
	if day.After(r.Add(time.Minute)) {
		day = day.AddDate(0, 0, -1)
	}
	return day, true
}

// ParseScreenshot rebuilds a conversation from the OCR of a chat window:
// lines from word boxes, bubbles from vertical gaps, sides from horizontal
// extent (left: others, right: the device owner), sender names from the
// small lines above left bubbles, times from centred banners and the title
// from the top bar. ok is false when the layout does not look like a chat
// (no banner and no sender names, or fewer than two bubbles). Every
// message has OCR set and Confidence the mean word confidence.
func ParseScreenshot(s Screenshot, opts Options) (Conversation, bool, error) {
	lines, maxX, _ := parseTSV(s.TSV)
	if s.Image != nil {
		if c, ok := parsePixels(s, lines, opts); ok {
			return c, true, nil
		}
	}
	c := Conversation{ID: convID(s.Source, "screenshot"), Source: s.Source, Shape: ShapeScreenshot, Owner: s.Owner}
	if len(lines) < 2 {
		return c, false, nil
	}
	W := s.Width
	if W <= 0 {
		W = maxX + maxX/20
	}
	zone := opts.zone()
	med := medianHeight(lines)

	// Header: status bar and title, above the first banner or bubble.
	i := 0
	for ; i < len(lines) && i < 3; i++ {
		l := lines[i]
		if l.y0 > W*16/100 {
			break
		}
		if statusBarRe.MatchString(l.text) && i == 0 && len(l.words) <= 4 && lines[min(i+1, len(lines)-1)].y0 > l.y1 {
			continue // the phone's status bar
		}
		if _, isSep := separatorTime(l.text, s.Ref, zone); isSep && centred(l, W) {
			break
		}
		c.Title, c.Group = cleanTitle(l.words)
		i++
		break
	}
	type bubble struct {
		lines []ocrLine
		name  string
		time  time.Time
		right bool
	}
	var (
		bubbles []*bubble
		cur     *bubble
		name    string
		when    time.Time
		seps    int
		names   = map[string]bool{}
	)
	for ; i < len(lines); i++ {
		l := lines[i]
		if t, isSep := separatorTime(l.text, s.Ref, zone); isSep && centred(l, W) && l.x1-l.x0 < W*6/10 {
			when, cur, name = t, nil, ""
			seps++
			continue
		}
		if cur != nil {
			last := cur.lines[len(cur.lines)-1]
			gap := l.y0 - last.y1
			if float64(gap) <= 0.9*med && abs(l.x0-cur.lines[0].x0) < W/12 {
				cur.lines = append(cur.lines, l)
				continue
			}
		}
		// A sender name: short, on the left, smaller than message text or
		// standing out to the left of the bubble text below it.
		if i+1 < len(lines) && l.x0 < W/3 && l.x1 < W*2/3 && utf8.RuneCountInString(l.text) <= 16 &&
			!strings.ContainsAny(l.text, "，。？！,?!") {
			next := lines[i+1]
			h := float64(l.h())
			if next.y0 >= l.y1 && (h < 0.78*med || (h < 0.9*med && next.x0-l.x0 > W/100)) {
				name, cur = l.text, nil
				names[name] = true
				continue
			}
		}
		cur = &bubble{lines: []ocrLine{l}, name: name, time: when}
		bubbles = append(bubbles, cur)
		name = ""
	}
	if len(bubbles) < 2 || (seps == 0 && len(names) == 0) {
		return c, false, nil
	}
	if len(names) >= 2 {
		c.Group = true
	}
	for _, b := range bubbles {
		x0, x1 := b.lines[0].x0, b.lines[0].x1
		for _, l := range b.lines {
			x0, x1 = min(x0, l.x0), max(x1, l.x1)
		}
		b.right = b.name == "" && x0 > W-x1
		var text strings.Builder
		var conf float64
		var nw int
		for j, l := range b.lines {
			if j > 0 && needSpace(b.lines[j-1].text, l.text) {
				text.WriteByte(' ')
			}
			text.WriteString(l.text)
			for _, w := range l.words {
				conf += w.conf
				nw++
			}
		}
		t := b.time
		if t.IsZero() && !s.Ref.IsZero() {
			// No banner above (or OCR lost it): the capture time bounds
			// the message from above and gives at least its day.
			t = s.Ref.In(zone)
		}
		m := Message{
			Time: t, Text: text.String(), Source: s.Source, Position: b.lines[0].n,
			OCR: true, Confidence: math.Round(conf/float64(max(nw, 1))) / 100, Outgoing: b.right,
		}
		switch {
		case b.right:
			m.Sender = s.Owner
		case b.name != "":
			m.Sender = b.name
		case !c.Group:
			m.Sender = c.Title
		}
		c.Messages = append(c.Messages, m)
	}
	c.finish()
	if len(names) >= 2 || c.Group {
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
	return c, true, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func centred(l ocrLine, W int) bool {
	mid := (l.x0 + l.x1) / 2
	return abs(mid-W/2) < W/10
}

// medianHeight estimates the height of message text: the median over lines
// of four words or more (names and banners are shorter and smaller), or
// over all lines when there are too few long ones.
func medianHeight(lines []ocrLine) float64 {
	var hs []int
	for _, l := range lines {
		if len(l.words) >= 4 {
			hs = append(hs, l.h())
		}
	}
	if len(hs) < 3 {
		hs = hs[:0]
		for _, l := range lines {
			hs = append(hs, l.h())
		}
	}
	sort.Ints(hs)
	return float64(hs[len(hs)/2])
}

// cleanTitle strips the back arrow, the member count "(5)" and icon noise
// from the words of the title bar; a member count above two marks a group.
func cleanTitle(words []ocrWord) (string, bool) {
	f := make([]string, 0, len(words))
	for _, w := range words {
		f = append(f, w.text)
	}
	for len(f) > 0 && !hasLetter(f[0]) {
		f = f[1:]
	}
	for len(f) > 1 && (!hasLetter(f[len(f)-1]) || isNoise(f[len(f)-1])) {
		f = f[:len(f)-1]
	}
	var b strings.Builder
	for i, w := range f {
		if i > 0 && needSpace(f[i-1], w) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	t := b.String()
	group := false
	if m := groupCountRe.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		group = n > 2
		t = strings.TrimSpace(t[:len(t)-len(m[0])])
	}
	return t, group
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// isNoise reports icon glyphs read as two or three Latin letters (the
// "..." menu, a battery) after a title.
func isNoise(s string) bool {
	if utf8.RuneCountInString(s) > 3 {
		return false
	}
	for _, r := range s {
		if r >= 0x2E80 || unicode.IsDigit(r) || r == '(' || r == ')' {
			return false
		}
	}
	return true
}

var (
	fnDigitsRe = regexp.MustCompile(`(20\d{2})[-_]?(\d{2})[-_]?(\d{2})[-_ T]?(\d{2})[-_:]?(\d{2})[-_:]?(\d{2})`)
	fnUnixRe   = regexp.MustCompile(`(1[3-9]\d{8})(\d{3})?`)
)

// TimeFromFileName reads the capture time that phones and chat clients
// put in screenshot names: "微信图片_20210605221530.png",
// "QQ截图20220118113205.png", "Screenshot_2021-09-02-21-13-40.png",
// "mmexport1625467312845.png" (Unix milliseconds). The clock is local time
// in zone.
func TimeFromFileName(name string, zone *time.Location) (time.Time, bool) {
	if zone == nil {
		zone = DefaultZone
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if m := fnDigitsRe.FindStringSubmatch(base); m != nil {
		v := make([]int, 6)
		for i := range v {
			v[i], _ = strconv.Atoi(m[i+1])
		}
		t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, zone)
		if v[1] >= 1 && v[1] <= 12 && v[2] >= 1 && v[2] <= 31 && v[3] < 24 && v[4] < 60 && v[5] < 60 {
			return t, true
		}
	}
	if m := fnUnixRe.FindStringSubmatch(base); m != nil {
		sec, _ := strconv.ParseInt(m[1], 10, 64)
		return time.Unix(sec, 0).In(zone), true
	}
	return time.Time{}, false
}

// String renders a one-line summary, for debugging and golden files.
func (m Message) String() string {
	t := "-"
	if !m.Time.IsZero() {
		t = m.Time.Format(time.RFC3339)
	}
	flags := ""
	if m.System {
		flags += " system"
	}
	if m.Outgoing {
		flags += " out"
	}
	if m.OCR {
		flags += fmt.Sprintf(" ocr=%.2f", m.Confidence)
	}
	return fmt.Sprintf("%d %s %q->%q%s: %q", m.Position, t, m.Sender, m.Recipients, flags, m.Text)
}
