package authenticity

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
)

// Claim sources. They are written to JSON reports: never rename them.
const (
	SourceCreated  = "created"  // the document's created property
	SourceModified = "modified" // its last-saved property
	SourceEXIF     = "exif"     // the time a photo says it was taken
	SourceMail     = "mail"     // a mail Date header
	SourceCommit   = "commit"   // the committer time of the git commit a file came from
	SourceMTime    = "mtime"    // a file time of an occurrence
	SourceChat     = "chat"     // a chat message time
)

// metaSources maps the metadata keys holding a time to their source, in
// the order they are read.
var metaSources = []struct{ key, source string }{
	{"created", SourceCreated},
	{"modified", SourceModified},
	{"exif.datetime_original", SourceEXIF},
	{"date", SourceMail},
}

// Claim is one time a document states.
type Claim struct {
	Source string    `json:"source"`
	Key    string    `json:"key,omitempty"` // metadata key, "" for file and chat times
	Raw    string    `json:"raw"`
	Time   time.Time `json:"time"`
	// Zoned says the raw value named its zone (an offset or Z); a wall
	// clock without one is read as written.
	Zoned bool `json:"zoned"`
}

// clockTime finds a time of day after the date ("T10:04:05", " 10:04");
// what follows it is the zone, if any. The leading T or space keeps the
// EXIF date "2021:03:04" and an offset "+08:00" from reading as clocks.
var clockTime = regexp.MustCompile(`(^|[T\s])\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?`)

// zoneAfterClock matches what may follow a clock time to name a zone: Z,
// +08, +0800, +08:00, GMT, a mail zone name, each with an optional
// comment such as "(CST)".
var zoneAfterClock = regexp.MustCompile(`(?i)^(z|[+-]\d{2}(:?\d{2})?|[a-z]{2,5})\s*(\([^)]*\))?$`)

// compactPDF is a raw PDF date without separators, and what follows it.
var compactPDF = regexp.MustCompile(`^\d{14}(.*)$`)

// statedZone reports whether a date value names its zone: so
// "2021-03-04T10:00:00+08:00" and "Thu, 4 Mar 2021 10:00:00 +0800" do,
// "2021:03:04 10:00:00" (EXIF) and "2021-03-04" do not.
func statedZone(v string) bool {
	body := strings.ReplaceAll(strings.TrimPrefix(v, "D:"), "'", "")
	if m := compactPDF.FindStringSubmatch(body); m != nil {
		return zoneAfterClock.MatchString(strings.TrimSpace(m[1]))
	}
	loc := clockTime.FindStringIndex(body)
	if loc == nil {
		return false
	}
	rest := strings.TrimSpace(body[loc[1]:])
	return rest != "" && zoneAfterClock.MatchString(rest)
}

// parseClaim reads a metadata time. exifOffset is the EXIF OffsetTime
// field ("+08:00"), applied to an EXIF wall clock that has no zone of its
// own, as the camera meant.
func parseClaim(source, key, raw, exifOffset string) (Claim, bool) {
	v := strings.TrimSpace(raw)
	t := enrich.ParseDate(v)
	if t.IsZero() {
		return Claim{}, false
	}
	c := Claim{Source: source, Key: key, Raw: v, Time: t, Zoned: statedZone(v)}
	if strings.HasPrefix(key, "exif.") && !c.Zoned {
		if loc, ok := parseOffset(exifOffset); ok {
			c.Time = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
			c.Zoned = true
		}
	}
	return c, true
}

// parseOffset reads "+08:00", "-0500" or "Z" into a fixed zone.
func parseOffset(s string) (*time.Location, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	if s == "Z" {
		return time.UTC, true
	}
	for _, l := range []string{"-07:00", "-0700", "-07"} {
		if t, err := time.Parse(l, s); err == nil {
			_, off := t.Zone()
			return time.FixedZone(zoneName(off), off), true
		}
	}
	return nil, false
}

// zoneName renders an offset in seconds as "UTC+08:00".
func zoneName(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off/60%60)
}

// DocClaims returns the times document d states in its metadata, its
// git commit times and its occurrences' file times, in a fixed order.
func DocClaims(d store.DocInfo) []Claim {
	var out []Claim
	for _, ms := range metaSources {
		if raw := d.Meta[ms.key]; raw != "" {
			if c, ok := parseClaim(ms.source, ms.key, raw, d.Meta["exif.offset_time"]); ok {
				out = append(out, c)
			}
		}
	}
	if _, ok := d.Meta["exif.datetime_original"]; !ok && d.Meta["exif.datetime"] != "" {
		if c, ok := parseClaim(SourceEXIF, "exif.datetime", d.Meta["exif.datetime"], d.Meta["exif.offset_time"]); ok {
			out = append(out, c)
		}
	}
	seen := map[int64]bool{}
	for _, o := range d.Occs {
		// Archive formats store "no time" as the DOS or Unix epoch; a
		// future file time is kept, for the future-date rule.
		if o.ModTime.Year() <= 1980 || seen[o.ModTime.Unix()] {
			continue
		}
		seen[o.ModTime.Unix()] = true
		src := SourceMTime
		if o.Commit != "" {
			src = SourceCommit
		}
		out = append(out, Claim{Source: src, Raw: o.ModTime.Format(time.RFC3339), Time: o.ModTime})
	}
	return out
}

// Distribution counts claims of one source by hour and weekday.
type Distribution struct {
	Source string `json:"source"`
	// Zone is how the hours were read: "claimed" (each in its own zone),
	// "wall clock" (no zone stated), or the dominant zone assumed for
	// instants stored without one.
	Zone      string  `json:"zone"`
	Count     int     `json:"count"`
	ByHour    [24]int `json:"by_hour"`
	ByWeekday [7]int  `json:"by_weekday"` // Sunday first, as time.Weekday
	// Office is how many fall in office hours (Params.OfficeStart to
	// OfficeEnd, Monday to Friday).
	Office  int `json:"office_hours"`
	Weekend int `json:"weekend"`
}

// Zone is one zone seen among zoned claims.
type Zone struct {
	Zone    string         `json:"zone"`
	Count   int            `json:"count"`
	Sources map[string]int `json:"sources"`
}

// timeIndex accumulates claims into distributions and zones.
type timeIndex struct {
	p        Params
	dists    map[string]*Distribution
	zones    map[string]*Zone
	instants []Claim // file, commit and UTC times, read in the dominant zone at the end
}

func newTimeIndex(p Params) *timeIndex {
	return &timeIndex{p: p, dists: map[string]*Distribution{}, zones: map[string]*Zone{}}
}

func (x *timeIndex) add(c Claim) {
	switch {
	case c.Source == SourceMTime || c.Source == SourceCommit:
		x.instants = append(x.instants, c)
		return
	case chatUTCZoneUnknown(c):
		x.count(c.Source, chatUTCLabel, c.Time)
		return
	case !c.Zoned:
		x.count(c.Source, "wall clock", c.Time)
		return
	}
	_, off := c.Time.Zone()
	z := x.zones[zoneName(off)]
	if z == nil {
		z = &Zone{Zone: zoneName(off), Sources: map[string]int{}}
		x.zones[z.Zone] = z
	}
	z.Count++
	z.Sources[c.Source]++
	if utcIsInstant(c) {
		x.instants = append(x.instants, c)
		return
	}
	x.count(c.Source, "claimed", c.Time)
}

// utcIsInstant: a document property in UTC ("2021-03-04T02:00:00Z") is
// an instant the tool normalised, not the writer's zone (Office writes
// every core property in UTC), so it is read in the dominant zone like a
// file time; "2021-03-04T10:00:00+08:00" states the writer's own zone.
func utcIsInstant(c Claim) bool {
	_, off := c.Time.Zone()
	return c.Zoned && off == 0
}

// chatUTCLabel names how chat times in UTC are counted.
const chatUTCLabel = "as stored in UTC (zone unknown)"

// chatUTCZoneUnknown: a chat time in UTC is either a time the export gave
// without a zone, which the chat analysis stores as UTC when it has
// nothing better to go on (a text log's "10:05" is then 10:05 on the
// client's wall clock), or an instant from an export that keeps Unix
// times (10:05 UTC, 18:05 at UTC+8). The stored analysis does not say
// which, so such times are counted as stored and labelled so, never
// moved into a zone that might make them look like office hours; a chat
// time with another offset ("+08:00") is claimed.
func chatUTCZoneUnknown(c Claim) bool {
	return c.Source == SourceChat && utcIsInstant(c)
}

func (x *timeIndex) count(source, zone string, t time.Time) {
	k := source + "\x00" + zone
	d := x.dists[k]
	if d == nil {
		d = &Distribution{Source: source, Zone: zone}
		x.dists[k] = d
	}
	d.Count++
	d.ByHour[t.Hour()]++
	d.ByWeekday[t.Weekday()]++
	if x.p.officeHour(t) {
		d.Office++
	}
	if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		d.Weekend++
	}
}

// utcName is how UTC is named among the zones.
const utcName = "UTC+00:00"

// dominant returns the zone most zoned claims state, other than UTC, and
// its location.
func (x *timeIndex) dominant() (string, *time.Location) {
	for _, z := range x.zoneList() {
		if z.Zone == utcName {
			continue // normalised instants say nothing of the writers' zone
		}
		loc, _ := parseOffset(strings.TrimPrefix(z.Zone, "UTC"))
		return z.Zone + " (assumed: the dominant claimed zone)", loc
	}
	return utcName + " (no other zone stated)", time.UTC
}

func (x *timeIndex) zoneList() []Zone {
	var zs []Zone
	for _, z := range x.zones {
		zs = append(zs, *z)
	}
	sort.Slice(zs, func(i, j int) bool {
		if zs[i].Count != zs[j].Count {
			return zs[i].Count > zs[j].Count
		}
		return zs[i].Zone < zs[j].Zone
	})
	return zs
}

// finish reads the file and commit instants in the dominant zone and
// returns the distributions, in source order, and the zones seen.
func (x *timeIndex) finish() ([]Distribution, []Zone, string) {
	name, loc := x.dominant()
	for _, c := range x.instants {
		x.count(c.Source, name, c.Time.In(loc))
	}
	order := map[string]int{SourceCreated: 0, SourceModified: 1, SourceEXIF: 2, SourceMail: 3, SourceCommit: 4, SourceMTime: 5, SourceChat: 6}
	var ds []Distribution
	for _, d := range x.dists {
		ds = append(ds, *d)
	}
	sort.Slice(ds, func(i, j int) bool {
		if order[ds[i].Source] != order[ds[j].Source] {
			return order[ds[i].Source] < order[ds[j].Source]
		}
		return ds[i].Zone < ds[j].Zone
	})
	zs := x.zoneList()
	if zs == nil {
		zs = []Zone{}
	}
	return ds, zs, name
}
