package chat

import (
	"testing"
	"time"
)

// TestZoneFor checks that a naive timestamp's zone comes from the setting,
// else the language, else UTC, and says which: a Russian chat is not read
// as China time.
func TestZoneFor(t *testing.T) {
	tests := []struct {
		name     string
		setting  string
		lang     string
		wantOff  int // offset on 2021-01-15
		wantFrom string
	}{
		{name: "russian chat", lang: "ru", wantOff: 3 * 3600, wantFrom: ZoneFromLanguage},
		{name: "chinese chat", lang: "zh", wantOff: 8 * 3600, wantFrom: ZoneFromLanguage},
		{name: "english chat has no single zone", lang: "en", wantOff: 0, wantFrom: ZoneFromDefault},
		{name: "unknown language", lang: "", wantOff: 0, wantFrom: ZoneFromDefault},
		{name: "setting beats language", setting: "+05:30", lang: "zh", wantOff: 5*3600 + 1800, wantFrom: ZoneFromSetting},
		{name: "iana setting", setting: "UTC", lang: "ru", wantOff: 0, wantFrom: ZoneFromSetting},
		{name: "bad setting falls back", setting: "Mars/Olympus", lang: "ru", wantOff: 3 * 3600, wantFrom: ZoneFromLanguage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, from := ZoneFor(tt.setting, tt.lang)
			_, off := time.Date(2021, 1, 15, 12, 0, 0, 0, loc).Zone()
			if off != tt.wantOff || from != tt.wantFrom {
				t.Errorf("ZoneFor(%q, %q) = offset %d from %q, want %d from %q", tt.setting, tt.lang, off, from, tt.wantOff, tt.wantFrom)
			}
		})
	}
}
