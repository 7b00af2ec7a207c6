package chat

import (
	"strings"
	"time"
)

// Where the zone of naive timestamps came from. Stored with a document's
// chat result and shown, so they never change.
const (
	ZoneFromSetting  = "setting"  // the case's chat_zone setting or a flag
	ZoneFromLanguage = "language" // inferred from the document's language
	ZoneFromDefault  = "default"  // nothing to go on: UTC
)

// languageZones maps a language to the zone its speakers' chat clients
// most likely wrote naive timestamps in: a chat of a Nordhavn Shipping
// crew written in Russian is read as Moscow time, not China time. Each
// entry is the zone with most speakers of the language; a case whose
// people are elsewhere sets chat_zone instead.
var languageZones = map[string]struct {
	name   string
	offset int // fallback when the system has no zone database
}{
	"zh": {"Asia/Shanghai", 8 * 3600},
	"ja": {"Asia/Tokyo", 9 * 3600},
	"ko": {"Asia/Seoul", 9 * 3600},
	"ru": {"Europe/Moscow", 3 * 3600},
	"uk": {"Europe/Kyiv", 2 * 3600},
	"fa": {"Asia/Tehran", 3*3600 + 1800},
	"vi": {"Asia/Ho_Chi_Minh", 7 * 3600},
}

// ZoneFor decides the zone of a document's naive timestamps: setting (an
// IANA name such as "Europe/Oslo" or a fixed offset such as "+03:00")
// when given and valid, else the zone of lang (languageZones), else UTC.
// from says which (ZoneFrom*), so that the choice is recorded and shown
// rather than silent.
func ZoneFor(setting, lang string) (loc *time.Location, from string) {
	if setting != "" {
		if l, ok := parseZone(setting); ok {
			return l, ZoneFromSetting
		}
	}
	if z, ok := languageZones[strings.ToLower(lang)]; ok {
		if l, err := time.LoadLocation(z.name); err == nil {
			return l, ZoneFromLanguage
		}
		return time.FixedZone(z.name, z.offset), ZoneFromLanguage
	}
	return time.UTC, ZoneFromDefault
}

// parseZone reads an IANA zone name or a fixed offset (+03:00, -0500,
// UTC).
func parseZone(s string) (*time.Location, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"-07:00", "-0700", "-07"} {
		if t, err := time.Parse(layout, s); err == nil {
			_, off := t.Zone()
			return time.FixedZone(s, off), true
		}
	}
	if l, err := time.LoadLocation(s); err == nil {
		return l, true
	}
	return nil, false
}
