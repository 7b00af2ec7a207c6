package ioc

import (
	"strings"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Phones finds telephone numbers. Norm is E.164 (+<country><number>) where
// the country is determinable: written with a leading + and country code,
// a North American 3-3-4 number (+1), or a mainland Chinese mobile number
// (1[3-9]x xxxx xxxx, +86). Other shapes it accepts (a 7-digit 3-4 local
// number such as 555-0120, a Chinese landline 010-12345678) keep the
// written form as Norm.
//
// Dates and times are kept out by the shapes themselves (4-2-2 and 2:2:2
// never match) and by rejecting candidates glued to other digits, dots or
// dashes (so 2021-05-03, 1.2.3.4 and 10-20-30-40 do not match). It is pure
// and safe for concurrent use.
type Phones struct{}

var _ entity.Detector = Phones{}

// Kinds implements entity.Detector.
func (Phones) Kinds() []leak.Kind { return []leak.Kind{leak.KindPhone} }

// Reach implements entity.DigitAnchored: a phone number is digits with
// separators, at most a few dozen bytes long.
func (Phones) Reach() int { return 96 }

var _ entity.DigitAnchored = Phones{}

// Keywords implements entity.Detector.
func (Phones) Keywords() []string { return nil }

var (
	phoneIntl  = entity.MustPattern(`\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?)(?:[ .\-]?\d{2,5}){1,4}`)
	phoneNANP  = entity.MustPattern(`(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[\-.])[2-9]\d{2}[\-.]\d{4}`)
	phoneCNMob = entity.MustPattern(`1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}`)
	phoneCNFix = entity.MustPattern(`0\d{2,3}-\d{7,8}`)
	phoneLocal = entity.MustPattern(`\d{3}-\d{4}`)
)

// Detect implements entity.Detector.
func (Phones) Detect(text []byte, emit func(entity.Match)) {
	taken := func(s, e int) bool { return false }
	var spans [][2]int
	taken = func(s, e int) bool {
		for _, sp := range spans {
			if s < sp[1] && sp[0] < e {
				return true
			}
		}
		return false
	}
	try := func(re *entity.Pattern, norm func(v string) string) {
		for _, loc := range re.FindAllIndex(text) {
			s, e := loc[0], loc[1]
			if !phoneBounds(text, s, e) || taken(s, e) {
				continue
			}
			v := string(text[s:e])
			n := norm(v)
			if n == "" {
				continue
			}
			spans = append(spans, [2]int{s, e})
			emit(entity.Match{Kind: leak.KindPhone, Value: v, Norm: n, Start: s, End: e})
		}
	}
	try(phoneIntl, func(v string) string {
		d := digitsOf(v)
		if len(d) < 8 || len(d) > 15 {
			return ""
		}
		return "+" + d
	})
	try(phoneNANP, func(v string) string { return "+1" + digitsOf(v) })
	try(phoneCNMob, func(v string) string { return "+86" + digitsOf(v) })
	try(phoneCNFix, func(v string) string { return v })
	try(phoneLocal, func(v string) string { return v })
}

// phoneBounds reports whether text[s:e] stands alone: not glued to letters,
// digits, or a dot/dash/slash/colon that continues a number (a date, a
// version, an IP, a time, an ID).
func phoneBounds(text []byte, s, e int) bool {
	if s > 0 {
		c := text[s-1]
		if isAlnum(c) || c == '_' || c == '+' || c == '/' || c == ':' {
			return false
		}
		if (c == '-' || c == '.') && s > 1 && isDigit(text[s-2]) {
			return false
		}
	}
	if e < len(text) {
		c := text[e]
		if isAlnum(c) || c == '_' || c == '/' || c == ':' {
			return false
		}
		if (c == '-' || c == '.') && e+1 < len(text) && isDigit(text[e+1]) {
			return false
		}
	}
	return true
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
