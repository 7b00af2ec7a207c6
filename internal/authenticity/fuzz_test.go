package authenticity

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseClaim runs the date reader over hostile metadata: it never
// panics, a claim it returns has a time, and its raw value is the input
// trimmed (so evidence shows what the document says).
func FuzzParseClaim(f *testing.F) {
	for _, s := range []string{"2021-03-04T10:00:00+08:00", "Thu, 4 Mar 2021 10:00:00 +0800 (CST)", "D:20210304100000+08'00'",
		"2021:03:04 10:00:00", "2021-03-04", "T1:00 Z", "", "D:", "99:99:99"} {
		f.Add(s, "+08:00")
	}
	f.Fuzz(func(t *testing.T, raw, off string) {
		for _, key := range []string{"created", "exif.datetime_original", "date"} {
			c, ok := parseClaim("x", key, raw, off)
			if !ok {
				continue
			}
			if c.Time.IsZero() {
				t.Errorf("claim without a time from %q", raw)
			}
			if utf8.ValidString(raw) && !utf8.ValidString(c.Raw) {
				t.Errorf("raw %q became invalid UTF-8", raw)
			}
		}
		statedZone(raw)
	})
}
