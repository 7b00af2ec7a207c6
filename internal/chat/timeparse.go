package chat

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date and clock patterns shared by the line-log and screenshot parsers.
const (
	datePat  = `(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日)`
	clockPat = `((?:上午|下午|凌晨|早上|中午|晚上)?\s?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)`
)

var (
	numsRe  = regexp.MustCompile(`\d+`)
	clockRe = regexp.MustCompile(`^` + clockPat + `$`)
)

// ymd is a calendar date without a zone.
type ymd struct{ y, m, d int }

func (v ymd) valid() bool {
	return v.y >= 1970 && v.y <= 2100 && v.m >= 1 && v.m <= 12 && v.d >= 1 && v.d <= 31
}

// parseDate reads the date forms of datePat. A day-month-year form with
// both fields at most 12 is read day first when dayFirst is set.
func parseDate(s string, dayFirst bool) (ymd, bool) {
	n := numsRe.FindAllString(s, -1)
	if len(n) != 3 {
		return ymd{}, false
	}
	a, _ := strconv.Atoi(n[0])
	b, _ := strconv.Atoi(n[1])
	c, _ := strconv.Atoi(n[2])
	var v ymd
	switch {
	case len(n[0]) == 4:
		v = ymd{a, b, c}
	default:
		if c < 100 {
			c += 2000
		}
		if a > 12 || (dayFirst && b <= 12) {
			v = ymd{c, b, a}
		} else {
			v = ymd{c, a, b}
		}
	}
	return v, v.valid()
}

// parseClock reads h:mm[:ss] with an optional AM/PM or Chinese period
// prefix (上午, 下午, 晚上...).
func parseClock(s string) (h, m, sec int, ok bool) {
	s = strings.TrimSpace(s)
	if !clockRe.MatchString(s) {
		return 0, 0, 0, false
	}
	n := numsRe.FindAllString(s, -1)
	h, _ = strconv.Atoi(n[0])
	m, _ = strconv.Atoi(n[1])
	if len(n) > 2 {
		sec, _ = strconv.Atoi(n[2])
	}
	low := strings.ToLower(s)
	pm := strings.Contains(low, "p") || strings.HasPrefix(s, "下午") || strings.HasPrefix(s, "晚上") ||
		(strings.HasPrefix(s, "中午") && h < 11)
	am := strings.Contains(low, "a") || strings.HasPrefix(s, "上午") || strings.HasPrefix(s, "凌晨") || strings.HasPrefix(s, "早上")
	if pm && h < 12 {
		h += 12
	}
	if am && h == 12 {
		h = 0
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, 0, 0, false
	}
	return h, m, sec, true
}

func (v ymd) at(h, m, s int, loc *time.Location) time.Time {
	return time.Date(v.y, time.Month(v.m), v.d, h, m, s, 0, loc)
}

// jsonTimeLayouts are the string forms accepted in JSON exports besides
// RFC 3339 and numbers.
var jsonTimeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"Mon Jan 2 15:04:05 2006",
	"Mon, 02 Jan 2006 15:04:05 -0700",
	"02.01.2006 15:04:05",
	"01/02/2006 15:04:05",
}

// parseAnyTime reads a JSON time value: an RFC 3339 string, a local
// "2006-01-02 15:04:05" string (in zone), or Unix seconds, milliseconds or
// microseconds as a number or a numeric string.
func parseAnyTime(v any, zone *time.Location) (time.Time, bool) {
	switch x := v.(type) {
	case map[string]any:
		// MongoDB extended JSON (Rocket.Chat exports): {"$date": ...},
		// whose value may itself be {"$numberLong": "1600000000000"}.
		for _, k := range []string{"$date", "$numberLong"} {
			if inner, ok := x[k]; ok {
				if _, nested := inner.(map[string]any); nested && k == "$numberLong" {
					return time.Time{}, false
				}
				return parseAnyTime(inner, zone)
			}
		}
	case float64:
		return unixAny(x, zone)
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return time.Time{}, false
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return unixAny(f, zone)
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
		for _, l := range jsonTimeLayouts {
			if t, err := time.ParseInLocation(l, s, zone); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func unixAny(f float64, zone *time.Location) (time.Time, bool) {
	if f <= 0 {
		return time.Time{}, false
	}
	var t time.Time
	switch {
	case f >= 1e17: // nanoseconds
		t = time.Unix(0, int64(f))
	case f >= 1e14: // microseconds
		t = time.UnixMicro(int64(f))
	case f >= 1e11: // milliseconds
		t = time.UnixMilli(int64(f))
	default:
		sec := int64(f)
		t = time.Unix(sec, int64((f-float64(sec))*1e9))
	}
	if t.Year() < 1970 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t.In(zone), true
}
