package paddle

import (
	"image"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Layout rules keep screen furniture out of a page's text: each is a
// named predicate over one recognised line. The lines stay in the TSV, so
// the chat parser still sees every box; only Result.Text leaves them out.
//
// The thresholds are Layout fields with documented defaults.
type Layout struct {
	// StatusBarShare: a line wholly inside this top share of a portrait
	// screenshot's height can be a phone status bar.
	StatusBarShare float64
	// EdgeShare: a line wholly inside this share of the width at the left
	// or right edge sits in a chat's avatar column.
	EdgeShare float64
	// AvatarMaxRunes: avatar letters are at most this many characters.
	AvatarMaxRunes int
	// AvatarMinSat: the share of strongly coloured pixels in the box
	// above which its background is an avatar tile rather than the page.
	AvatarMinSat float64
}

// DefaultLayout are the layout defaults.
var DefaultLayout = Layout{StatusBarShare: 0.045, EdgeShare: 0.15, AvatarMaxRunes: 3, AvatarMinSat: 0.4}

func (l Layout) withDefaults() Layout {
	d := DefaultLayout
	if l.StatusBarShare <= 0 {
		l.StatusBarShare = d.StatusBarShare
	}
	if l.EdgeShare <= 0 {
		l.EdgeShare = d.EdgeShare
	}
	if l.AvatarMaxRunes <= 0 {
		l.AvatarMaxRunes = d.AvatarMaxRunes
	}
	if l.AvatarMinSat <= 0 {
		l.AvatarMinSat = d.AvatarMinSat
	}
	return l
}

// page is what a rule may look at besides the line.
type page struct {
	src    *image.RGBA
	layout Layout
}

// layoutRule names a predicate that marks a line as furniture.
type layoutRule struct {
	name  string
	match func(p page, l line) bool
}

// layoutRules is the one list of furniture rules.
var layoutRules = []layoutRule{
	{"status-bar", isStatusBar},
	{"avatar-letter", isAvatarLetter},
}

// furniture names the first rule a line matches, or "".
func furniture(p page, l line) string {
	for _, r := range layoutRules {
		if r.match(p, l) {
			return r.name
		}
	}
	return ""
}

// statusText is what a phone status bar shows: a clock ("9:41", "09:41
// AM"), a battery level ("87%"), a carrier or network mark ("5G", "LTE").
var statusText = regexp.MustCompile(`^(?i)([0-9]{1,2}[:：][0-9]{2}(\s?[ap]m)?|[0-9]{1,3}\s?%|[345]G|LTE|WIFI|中国移动|中国联通|中国电信)$`)

// isStatusBar: a clock, battery level or network mark in the top strip of
// a portrait screenshot ("09:41" above a chat titled "Acme Telecom").
func isStatusBar(p page, l line) bool {
	b := p.src.Rect
	if b.Dy() < b.Dx()*5/4 {
		return false // not a phone screen
	}
	if float64(l.box.Max.Y) > p.layout.StatusBarShare*float64(b.Dy()) {
		return false
	}
	return statusText.MatchString(strings.TrimSpace(l.d.text))
}

// isAvatarLetter: one to three characters on a coloured tile at the edge
// of the screen, the initials a chat app draws for a contact without a
// photo ("AT" for Acme Telecom). A short bubble sits further in, and a
// table's first column is on the page's own background.
func isAvatarLetter(p page, l line) bool {
	n := utf8.RuneCountInString(strings.Join(strings.Fields(l.d.text), ""))
	if n == 0 || n > p.layout.AvatarMaxRunes {
		return false
	}
	w := float64(p.src.Rect.Dx())
	edge := p.layout.EdgeShare * w
	if float64(l.box.Max.X) > edge && float64(l.box.Min.X) < w-edge {
		return false
	}
	return colourShare(p.src, l.box) >= p.layout.AvatarMinSat
}

// colourShare is the share of pixels in r whose channels differ by more
// than 50 of 255: a coloured background rather than black, white or grey.
func colourShare(m *image.RGBA, r image.Rectangle) float64 {
	r = r.Intersect(m.Rect)
	if r.Empty() {
		return 0
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := m.PixOffset(x, y)
			c := m.Pix[i : i+3 : i+3]
			if int(max(c[0], c[1], c[2]))-int(min(c[0], c[1], c[2])) > 50 {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}
