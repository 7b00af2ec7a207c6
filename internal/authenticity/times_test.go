package authenticity

import (
	"testing"
	"time"
)

// TestTimeIndexZones: UTC document times and file times are read in the
// dominant non-UTC zone; a chat time in UTC is counted as stored; an offset
// time is counted in its own zone.
func TestTimeIndexZones(t *testing.T) {
	cst := time.FixedZone("", 8*3600)
	tests := []struct {
		name       string
		c          Claim
		wantSource string
		wantZone   string
		wantHour   int
	}{
		{"created in UTC is an instant", Claim{Source: SourceCreated, Time: time.Date(2021, 3, 4, 2, 0, 0, 0, time.UTC), Zoned: true},
			SourceCreated, "UTC+08:00 (assumed: the dominant claimed zone)", 10},
		{"created with an offset is claimed", Claim{Source: SourceCreated, Time: time.Date(2021, 3, 4, 10, 0, 0, 0, cst), Zoned: true},
			SourceCreated, "claimed", 10},
		{"chat in UTC is counted as stored", Claim{Source: SourceChat, Time: time.Date(2021, 3, 4, 10, 0, 0, 0, time.UTC), Zoned: true},
			SourceChat, chatUTCLabel, 10},
		{"chat with an offset is claimed", Claim{Source: SourceChat, Time: time.Date(2021, 3, 4, 10, 0, 0, 0, cst), Zoned: true},
			SourceChat, "claimed", 10},
		{"file time is an instant", Claim{Source: SourceMTime, Time: time.Date(2021, 3, 4, 1, 0, 0, 0, time.UTC)},
			SourceMTime, "UTC+08:00 (assumed: the dominant claimed zone)", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newTimeIndex(DefaultParams(testNow))
			// The case's zone: one mail at UTC+8.
			x.add(Claim{Source: SourceMail, Time: time.Date(2021, 3, 1, 9, 0, 0, 0, cst), Zoned: true})
			x.add(tt.c)
			ds, _, _ := x.finish()
			for _, d := range ds {
				if d.Source == tt.wantSource {
					if d.Zone != tt.wantZone || d.ByHour[tt.wantHour] != 1 {
						t.Errorf("got zone %q, hours %v; want %q at %02dh", d.Zone, d.ByHour, tt.wantZone, tt.wantHour)
					}
					return
				}
			}
			t.Errorf("no distribution of %s in %+v", tt.wantSource, ds)
		})
	}
}
