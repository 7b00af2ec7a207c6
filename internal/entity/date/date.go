// Package date detects calendar dates written in Chinese and Western forms
// and normalises them to ISO 8601 at the precision written: "YYYY",
// "YYYY-MM" or "YYYY-MM-DD".
//
// # Forms
//
// 2021年5月3日, 2021年5月, 2021年 (a year with 年), 2021-05-03, 2021/5/3,
// 2021.05.03, 2021-05, 2021.05, 2021/05, 5/3/2021, 3.5.2021, May 2021,
// 3 May 2021, May 3, 2021. A bare number (2021) is not a date: it is as
// often a count or a port. Relative expressions (去年, 上个月, last year)
// are not dates either: they need an anchor this detector does not have.
//
// # Ambiguity
//
// D/M/YYYY and M/D/YYYY cannot be told apart when both numbers are 12 or
// less. When the first number is over 12 it is the day; when the second is,
// it is the day; when both are 12 or less and differ, only the year is
// certain and Norm is "YYYY". Years outside 1970-2099 are not read.
package date

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Detector finds dates. It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindDate} }

// Keywords implements entity.Detector: every form has a year starting 19

// Reach implements entity.DigitAnchored: every date holds a digit and its
// month or day words lie within a few dozen bytes of it.
func (Detector) Reach() int { return 96 }

var _ entity.DigitAnchored = Detector{}

// or 20.
func (Detector) Keywords() []string { return []string{"19", "20"} }

const months = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

var forms = []struct {
	re *entity.Pattern
	fn func(g []string) string // submatches -> norm, "" to reject
}{
	{entity.MustPattern(`((?:19|20)\d\d)\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]`), func(g []string) string { return ymd(g[1], g[2], g[3]) }},
	{entity.MustPattern(`((?:19|20)\d\d)\s?年\s?(\d{1,2})\s?月`), func(g []string) string { return ymd(g[1], g[2], "") }},
	{entity.MustPattern(`((?:19|20)\d\d)\s?年`), func(g []string) string { return ymd(g[1], "", "") }},
	{entity.MustPattern(`((?:19|20)\d\d)([-/.])(\d{1,2})([-/.])(\d{1,2})`), func(g []string) string {
		if g[2] != g[4] {
			return ""
		}
		return ymd(g[1], g[3], g[5])
	}},
	{entity.MustPattern(`((?:19|20)\d\d)[-/.](\d{1,2})`), func(g []string) string {
		return ymd(g[1], g[2], "")
	}},
	{entity.MustPattern(`(\d{1,2})([/.\-])(\d{1,2})([/.\-])((?:19|20)\d\d)`), func(g []string) string {
		if g[2] != g[4] {
			return ""
		}
		a, _ := strconv.Atoi(g[1])
		b, _ := strconv.Atoi(g[3])
		switch {
		case a > 12 && b <= 12:
			return ymd(g[5], g[3], g[1])
		case b > 12 && a <= 12:
			return ymd(g[5], g[1], g[3])
		case a == b:
			return ymd(g[5], g[1], g[3])
		case a >= 1 && b >= 1 && a <= 12 && b <= 12:
			return ymd(g[5], "", "")
		}
		return ""
	}},
	{entity.MustPattern(`(?i)(\d{1,2})(?:st|nd|rd|th)?\s+(` + months + `)\.?,?\s+((?:19|20)\d\d)`), func(g []string) string {
		return ymd(g[3], month(g[2]), g[1])
	}},
	{entity.MustPattern(`(?i)(` + months + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*((?:19|20)\d\d)`), func(g []string) string {
		return ymd(g[3], month(g[1]), g[2])
	}},
	{entity.MustPattern(`(?i)(` + months + `)\.?,?\s+((?:19|20)\d\d)`), func(g []string) string {
		return ymd(g[2], month(g[1]), "")
	}},
}

// Detect implements entity.Detector. Forms are tried from the most to the
// least precise, and a form never matches inside a span already taken.
//
// Every form holds a year 19xx or 20xx, so the regular expressions run only
// on small windows around such years, which keeps the detector fast on
// long texts with few dates.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	var taken [][2]int
	wins := windows(text)
	for _, f := range forms {
		for _, w := range wins {
			for _, loc := range f.re.FindAllSubmatchIndex(text[w[0]:w[1]]) {
				for k := range loc {
					if loc[k] >= 0 {
						loc[k] += w[0]
					}
				}
				detectOne(text, f.fn, loc, &taken, emit)
			}
		}
	}
}

// windows returns merged spans of 24 bytes before to 32 bytes after each
// 19xx/20xx in text, cut on rune boundaries.
func windows(text []byte) [][2]int {
	var out [][2]int
	for i := 0; i+4 <= len(text); i++ {
		if (text[i] == '1' && text[i+1] == '9' || text[i] == '2' && text[i+1] == '0') && isDigit(text[i+2]) && isDigit(text[i+3]) {
			lo, hi := max(0, i-24), min(len(text), i+4+32)
			for lo > 0 && !utf8.RuneStart(text[lo]) {
				lo--
			}
			for hi < len(text) && !utf8.RuneStart(text[hi]) {
				hi++
			}
			if n := len(out); n > 0 && lo <= out[n-1][1] {
				out[n-1][1] = hi
			} else {
				out = append(out, [2]int{lo, hi})
			}
			i += 3
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func detectOne(text []byte, fn func([]string) string, loc []int, taken *[][2]int, emit func(entity.Match)) {
	{
		{
			s, e := loc[0], loc[1]
			if !bounded(text, s, e) || overlaps(*taken, s, e) {
				return
			}
			g := make([]string, len(loc)/2)
			for i := range g {
				if loc[2*i] >= 0 {
					g[i] = string(text[loc[2*i]:loc[2*i+1]])
				}
			}
			norm := fn(g)
			if norm == "" {
				return
			}
			*taken = append(*taken, [2]int{s, e})
			emit(entity.Match{Kind: leak.KindDate, Value: string(text[s:e]), Norm: norm, Start: s, End: e})
		}
	}
}

func overlaps(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if s < sp[1] && sp[0] < e {
			return true
		}
	}
	return false
}

// bounded rejects a match glued to more digits or letters (a version
// 1.2021.5, an ID JF-2021-118, a word) or followed by ".digit" (an IP),
// except the time of an ISO 8601 date-time (2021-07-20T11:04).
func bounded(text []byte, s, e int) bool {
	isWord := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
	}
	if s > 0 && (isWord(text[s-1]) || (text[s-1] == '.' || text[s-1] == '-' || text[s-1] == '/') && s > 1 && isWord(text[s-2])) {
		return false
	}
	if e < len(text) {
		c := text[e]
		if c == 'T' && e-s == len("2006-01-02") && text[s+4] == '-' && text[s+7] == '-' && e+1 < len(text) && isDigit(text[e+1]) {
			return true // an ISO 8601 date and time: 2021-07-20T11:04:37+08:00
		}
		if (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && !(text[e-1] > '9') {
			return false
		}
		if (c == '.' || c == '/' || c == '-') && e+1 < len(text) && text[e+1] >= '0' && text[e+1] <= '9' {
			return false
		}
	}
	return true
}

func month(name string) string {
	name = strings.ToLower(name)
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(name, m) {
			return strconv.Itoa(i + 1)
		}
	}
	return ""
}

// ymd validates and formats; empty month or day lowers the precision.
func ymd(y, m, d string) string {
	yi, err := strconv.Atoi(y)
	if err != nil || yi < 1970 || yi > 2099 {
		return ""
	}
	if m == "" {
		return fmt.Sprintf("%04d", yi)
	}
	mi, err := strconv.Atoi(m)
	if err != nil || mi < 1 || mi > 12 {
		return ""
	}
	if d == "" {
		return fmt.Sprintf("%04d-%02d", yi, mi)
	}
	di, err := strconv.Atoi(d)
	days := [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if err != nil || di < 1 || di > days[mi-1] || mi == 2 && di == 29 && !(yi%4 == 0 && (yi%100 != 0 || yi%400 == 0)) {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}
