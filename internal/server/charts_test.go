package server

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestChoropleth(t *testing.T) {
	w, err := loadWorld()
	if err != nil {
		t.Fatal(err)
	}
	ts := []Target{
		{Name: "A", Country: "CN"}, {Name: "B", Country: "CN"}, {Name: "C", Country: "CN"}, {Name: "D", Country: "CN"}, {Name: "E", Country: "CN"},
		{Name: "F", Country: "vn"}, {Name: "G", Country: "SG"}, {Name: "NATO", Country: "INT"}, {Name: "H"}, {Name: "I", Country: "QQ"},
	}
	v := w.choropleth(ts, "/targets", url.Values{"sort": {"volume"}}, "VN")
	got := map[string]string{}
	for _, s := range v.Shapes {
		if s.Count > 0 {
			got[s.Code] = s.Link + " " + strings.Repeat("#", s.Level)
		}
	}
	want := map[string]string{
		"CN": "/targets?country=CN&sort=volume #####",
		"VN": "/targets?country=VN&sort=volume #",
		"SG": "/targets?country=SG&sort=volume #",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shaded (-want +got):\n%s", diff)
	}
	var markers, off, targeted []string
	for _, m := range v.Markers {
		markers = append(markers, m.Code)
	}
	for _, m := range v.Off {
		off = append(off, m.Code)
	}
	for _, m := range v.Targeted {
		targeted = append(targeted, m.Code)
	}
	if diff := cmp.Diff([][]string{{"SG"}, {"QQ"}, {"CN", "SG", "VN"}}, [][]string{markers, off, targeted}); diff != "" {
		t.Errorf("markers, off the map, list (-want +got):\n%s", diff)
	}
	if len(v.Intl) != 1 || v.Intl[0].Name != "NATO" || v.Unknown != 1 || v.ClearLink != "/targets?sort=volume" || v.IntlLink != "/targets?country=INT&sort=volume" {
		t.Errorf("intl %v unknown %d clear %q intl link %q", v.Intl, v.Unknown, v.ClearLink, v.IntlLink)
	}
	legend := []legendStep{{1, "1"}, {2, "2"}, {3, "3"}, {4, "4"}, {5, "5"}}
	if diff := cmp.Diff(legend, v.Legend); diff != "" {
		t.Errorf("legend (-want +got):\n%s", diff)
	}
	for _, s := range v.Shapes {
		if s.Code == "CN" && !strings.Contains(s.Title, "China (CN): 5 targets\n• A\n• B") {
			t.Errorf("title %q", s.Title)
		}
		if s.Active != (s.Code == "VN") {
			t.Errorf("%s active %v", s.Code, s.Active)
		}
	}
}

// TestWorldMapData guards the embedded map: small, keyed by alpha-2,
// and with the countries a leak most often names.
func TestWorldMapData(t *testing.T) {
	if len(worldJSON) > 300<<10 {
		t.Errorf("world.json is %d bytes, want < 300 KB", len(worldJSON))
	}
	w, err := loadWorld()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, c := range w.Countries {
		if len(c.Code) != 2 || strings.ToUpper(c.Code) != c.Code || codes[c.Code] {
			t.Errorf("bad or repeated code %q", c.Code)
		}
		codes[c.Code] = true
		if !strings.HasPrefix(c.D, "M") || c.Name == "" {
			t.Errorf("%s: name %q path %.20q", c.Code, c.Name, c.D)
		}
	}
	for _, c := range []string{"CN", "TW", "HK", "MO", "SG", "US", "GB", "IN", "VN", "KZ", "MN", "KR", "JP", "RU", "FR", "DE", "BH", "MT", "XK"} {
		if !codes[c] {
			t.Errorf("map lacks %s", c)
		}
	}
	if codes["AQ"] {
		t.Error("Antarctica is drawn")
	}
}

func TestColumnChart(t *testing.T) {
	c := columnChart(map[string]int{"2021": 4, "unknown": 1, "2019": 2})
	var got []string
	for _, col := range c.Cols {
		got = append(got, col.Label)
	}
	if diff := cmp.Diff([]string{"2019", "2021", "unknown"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if c.Cols[1].H != c.Base-24 || c.Cols[0].H != (c.Base-24)/2 || c.Cols[1].Y+c.Cols[1].H != c.Base {
		t.Errorf("heights %+v", c.Cols)
	}
	many := map[string]int{}
	for d := 1; d <= 60; d++ {
		many[time.Date(2021, 1, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")] = d
	}
	if e := columnChart(many).Every; e < 5 {
		t.Errorf("60 columns labelled every %d", e)
	}
	if c := columnChart(nil); len(c.Cols) != 0 {
		t.Errorf("empty chart has columns")
	}
}

func TestSeenRange(t *testing.T) {
	tests := []struct {
		name, in string
		end      bool
		want     string
		ok       bool
	}{
		{"year start", "2021", false, "2021-01-01T00:00:00", true},
		{"year end", "2021", true, "2021-12-31T23:59:59", true},
		{"month end", "2021-02", true, "2021-02-28T23:59:59", true},
		{"day", "2021-06-03", false, "2021-06-03T00:00:00", true},
		{"empty", "", false, "0001-01-01T00:00:00", false},
		{"garbage", "20x1", false, "0001-01-01T00:00:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := seenRange(tt.in, tt.end)
			if diff := cmp.Diff(tt.want+" "+map[bool]string{true: "ok", false: "no"}[tt.ok], got.Format("2006-01-02T15:04:05")+" "+map[bool]string{true: "ok", false: "no"}[ok]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildTimeline(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }
	tl := Timeline{
		Documents: []DatedDocument{{ID: "a", Date: day(2021, 1, 5), Source: DateMeta}, {ID: "b", Date: day(2021, 1, 20), Source: DateMTime}, {ID: "c", Date: day(2021, 3, 1), Source: DateMeta}},
		Messages:  []DayCount{{Day: "2021-02-10", Count: 4, Conversations: 2}, {Day: "bad", Count: 1}},
	}
	ts := []Target{{Name: "late", FirstSeen: "2021-03", LastSeen: "2021-03"}, {Name: "early", FirstSeen: "2020", LastSeen: "2021-02"}, {Name: "undated"}}
	v := buildTimeline(tl, ts)
	if v.Start != "2020-01" || v.End != "2021-03" {
		t.Errorf("axis %s..%s, want 2020-01..2021-03", v.Start, v.End)
	}
	var rows []string
	for _, r := range v.Rows {
		rows = append(rows, r.Name+" "+r.Span)
	}
	if diff := cmp.Diff([]string{"early 2020 – 2021-02", "late 2021-03"}, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(v.DocCols) != 2 || v.DocCols[0].Meta != 1 || v.DocCols[0].File != 1 || v.DocCols[1].Meta != 1 {
		t.Errorf("document columns %+v", v.DocCols)
	}
	if len(v.MsgCols) != 1 || !strings.Contains(v.MsgCols[0].Title, "4 messages in 2 conversation(s)") {
		t.Errorf("message columns %+v", v.MsgCols)
	}
	for _, c := range append(v.DocCols, v.MsgCols...) {
		if c.X < v.Left || c.X+c.W > v.Width-v.Right+1 {
			t.Errorf("column outside the plot: %+v", c)
		}
	}
	if e := buildTimeline(Timeline{}, nil); !e.Empty {
		t.Error("an empty timeline is not Empty")
	}
}

func TestPreviewPages(t *testing.T) {
	pdf := Document{MIME: "application/pdf", Status: "ok"}
	tests := []struct {
		name  string
		d     Document
		t     *Text
		want  int
		wantM int
	}{
		{"pdf without text", pdf, nil, 1, 0},
		{"pdf with pages", pdf, &Text{Pages: []Page{{N: 1}, {N: 2}, {N: 3}}}, 3, 0},
		{"long pdf", pdf, &Text{Pages: []Page{{N: 45}}}, maxPreviewPages, 45 - maxPreviewPages},
		{"failed pdf", Document{MIME: "application/pdf", Status: "pdf: corrupt"}, nil, 0, 0},
		{"not a pdf", Document{MIME: "text/plain", Status: "ok"}, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, more := previewPages(tt.d, tt.t)
			if len(got) != tt.want || more != tt.wantM {
				t.Errorf("previewPages = %v, %d more; want %d pages, %d more", got, more, tt.want, tt.wantM)
			}
		})
	}
}

func TestWhoTargetsWhat(t *testing.T) {
	s, _, be := newTestServer(t, Options{})
	links := append(be.links,
		TargetLink{Person: "张三", Target: "Quiet Ministry", Country: "KZ", Messages: 1, Dashed: true},
		TargetLink{Person: "王五", Target: "Quiet Ministry", Country: "KZ", Messages: 1, Dashed: true})
	g := s.whoTargetsWhat(links)
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, e.Person+" -> "+e.Target+" "+map[bool]string{true: "dashed", false: "named"}[e.Dashed])
	}
	want := []string{
		`张三 -> Quiet Ministry dashed`,
		`王五 -> =HYPERLINK("x") named`,
		`王五 -> Quiet Ministry dashed`,
	}
	if diff := cmp.Diff(want, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	if len(g.People) != 2 || len(g.Targets) != 2 || g.Height <= 0 {
		t.Errorf("%d people, %d targets, height %v", len(g.People), len(g.Targets), g.Height)
	}
	for _, e := range g.Edges {
		if !strings.HasPrefix(e.D, "M240 ") || !strings.Contains(e.D, "C") {
			t.Errorf("edge path %q", e.D)
		}
	}
}
