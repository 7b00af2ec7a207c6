package authenticity

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

var testNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// doc makes a document with metadata and one occurrence at path.
func doc(name, mime, path string, meta map[string]string, occ ...store.Occurrence) store.DocInfo {
	d := store.DocInfo{ID: leak.Hash([]byte(name)), MIME: mime, Size: int64(len(name)), Meta: meta}
	if len(occ) == 0 {
		occ = []store.Occurrence{{Root: "dump", Path: path}}
	}
	for _, o := range occ {
		o.Doc = d.ID
		d.Occs = append(d.Occs, o)
	}
	return d
}

// view builds the docView a rule sees, with the given containers.
func view(d store.DocInfo, parents ...store.DocInfo) docView {
	v := docView{d: d, path: leak.PrimaryPath(d.Paths()), claims: DocClaims(d)}
	for _, p := range parents {
		v.parents = append(v.parents, docView{d: p, path: leak.PrimaryPath(p.Paths()), claims: DocClaims(p)})
	}
	return v
}

// TestDocRules gives each rule an example that fires and a counter-example
// that must not.
func TestDocRules(t *testing.T) {
	mail := doc("mail", "message/rfc822", "mail/order.eml", map[string]string{"date": "Tue, 01 Jun 2021 10:00:00 +0800"})
	attached := func(name string, meta map[string]string) store.DocInfo {
		return doc(name, "image/jpeg", "", meta, store.Occurrence{Root: "dump", Path: "mail/order.eml!/photo.jpg", Parent: mail.ID})
	}
	tests := []struct {
		name    string
		rule    func(Params, docView, []Producer) []Finding
		v       docView
		want    int
		wantKey string // a Values key the evidence must carry
	}{
		{"modified before created", modifiedBeforeCreated,
			view(doc("a", "application/pdf", "Nordhavn report.pdf", map[string]string{"created": "2021-03-05T10:00:00+08:00", "modified": "2021-03-03T09:00:00+08:00"})), 1, "modified"},
		{"modified after created", modifiedBeforeCreated,
			view(doc("b", "application/pdf", "ok.pdf", map[string]string{"created": "2021-03-03T10:00:00+08:00", "modified": "2021-03-05T09:00:00+08:00"})), 0, ""},
		{"modified a minute before created is rounding", modifiedBeforeCreated,
			view(doc("c", "application/pdf", "round.pdf", map[string]string{"created": "2021-03-03T10:01:00Z", "modified": "2021-03-03T10:00:00Z"})), 0, ""},
		{"future created date", futureDate,
			view(doc("d", "application/pdf", "acme memo.pdf", map[string]string{"created": "2027-02-01T10:00:00Z"})), 1, "report_time"},
		{"future file time", futureDate,
			view(doc("e", "text/plain", "", nil, store.Occurrence{Root: "dump", Path: "x.txt", ModTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})), 1, "mtime"},
		{"past date", futureDate,
			view(doc("f", "application/pdf", "old.pdf", map[string]string{"created": "2021-02-01T10:00:00Z"})), 0, ""},
		{"photo taken after its mail", exifAfterMail,
			view(attached("g", map[string]string{"exif.datetime_original": "2021:06:02 09:00:00"}), mail), 1, "exif_zone"},
		{"photo taken before its mail", exifAfterMail,
			view(attached("h", map[string]string{"exif.datetime_original": "2021:05:30 09:00:00"}), mail), 0, ""},
		{"photo with a zone, after the mail only in UTC reading", exifAfterMail,
			// 10:30 at UTC+09:00 is 09:30 at UTC+08:00: before the mail.
			view(attached("i", map[string]string{"exif.datetime_original": "2021:06:01 10:30:00", "exif.offset_time": "+09:00"}), mail), 0, ""},
		{"photo not in a mail", exifAfterMail,
			view(doc("j", "image/jpeg", "photos/a.jpg", map[string]string{"exif.datetime_original": "2031:06:02 09:00:00"})), 0, ""},
		{"pdf from a producer newer than its date", producerAfterDate,
			view(doc("k", "application/pdf", "plan.pdf", map[string]string{"producer": "LibreOffice 7.5", "created": "2020-05-01T10:00:00+08:00"})), 1, "released"},
		{"pdf from a producer older than its date", producerAfterDate,
			view(doc("l", "application/pdf", "plan2.pdf", map[string]string{"producer": "LibreOffice 7.5", "created": "2023-05-01T10:00:00+08:00"})), 0, ""},
		{"producer not in the table", producerAfterDate,
			view(doc("m", "application/pdf", "plan3.pdf", map[string]string{"producer": "Acme PDF Writer 9", "created": "2001-05-01T10:00:00+08:00"})), 0, ""},
		{"firmware newer than the photo", producerAfterDate,
			view(doc("n", "image/jpeg", "p.jpg", map[string]string{"exif.make": "Apple", "exif.software": "14.7.1", "exif.datetime_original": "2020:08:15 12:00:00"})), 1, "exif.software"},
		{"same firmware on another maker's camera", producerAfterDate,
			view(doc("o", "image/jpeg", "q.jpg", map[string]string{"exif.make": "Acme Optics", "exif.software": "14.7.1", "exif.datetime_original": "2020:08:15 12:00:00"})), 0, ""},
		{"name lies about content", extensionMismatch,
			view(func() store.DocInfo {
				d := doc("p", "image/png", "contract.docx", nil)
				d.Flags = []string{"extension-mismatch"}
				return d
			}()), 1, "mime"},
		{"name matches content", extensionMismatch, view(doc("q", "image/png", "chart.png", nil)), 0, ""},
	}
	p := DefaultParams(testNow)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rule(p, tt.v, DocProducers(tt.v.d))
			if len(got) != tt.want {
				t.Fatalf("got %d findings %v, want %d", len(got), got, tt.want)
			}
			for _, f := range got {
				if len(f.Evidence) == 0 || f.Evidence[0].Doc != tt.v.d.ID.String() || f.Evidence[0].Path == "" {
					t.Errorf("finding without its document's evidence: %+v", f)
				}
				if _, ok := f.Evidence[0].Values[tt.wantKey]; !ok {
					t.Errorf("evidence %v lacks %q", f.Evidence[0].Values, tt.wantKey)
				}
			}
		})
	}
}

// TestDuplicates: the same bytes at two paths are listed once with both
// paths; one path, or an empty file, is not a duplicate.
func TestDuplicates(t *testing.T) {
	tests := []struct {
		name string
		d    store.DocInfo
		want int
	}{
		{"two paths", doc("x", "text/plain", "", nil, store.Occurrence{Root: "r", Path: "a.txt"}, store.Occurrence{Root: "r", Path: "a - copy.txt"}), 1},
		{"one path", doc("y", "text/plain", "b.txt", nil), 0},
		{"empty files", func() store.DocInfo {
			d := doc("", "text/plain", "", nil, store.Occurrence{Root: "r", Path: "e1"}, store.Occurrence{Root: "r", Path: "e2"})
			d.Size = 0
			return d
		}(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := duplicates([]store.DocInfo{tt.d}); len(got) != tt.want {
				t.Errorf("got %d findings %v, want %d", len(got), got, tt.want)
			}
		})
	}
}

// TestStatedZone: a zone is read only after a clock time.
func TestStatedZone(t *testing.T) {
	tests := []struct {
		name string
		v    string
		want bool
	}{
		{"iso offset", "2021-03-04T10:00:00+08:00", true},
		{"iso Z", "2021-03-04T10:00:00Z", true},
		{"pdfinfo hours offset", "2021-03-04T10:00:00+08", true},
		{"mail header", "Thu, 4 Mar 2021 10:00:00 +0800 (CST)", true},
		{"raw pdf date", "D:20210304100000+08'00'", true},
		{"raw pdf date without zone", "D:20210304100000", false},
		{"exif wall clock", "2021:03:04 10:00:00", false},
		{"bare date", "2021-03-04", false},
		{"iso without zone", "2021-03-04T10:00:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statedZone(tt.v); got != tt.want {
				t.Errorf("statedZone(%q) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestClaimZone: an EXIF wall clock takes the EXIF offset; a mail header
// keeps its own.
func TestClaimZone(t *testing.T) {
	tests := []struct {
		name           string
		key, raw, off  string
		wantZoned      bool
		wantOffsetSecs int
		wantHour       int
	}{
		{"exif with offset", "exif.datetime_original", "2021:03:04 22:10:00", "+08:00", true, 8 * 3600, 22},
		{"exif without offset", "exif.datetime_original", "2021:03:04 22:10:00", "", false, 0, 22},
		{"mail", "date", "Thu, 4 Mar 2021 10:00:00 -0500", "", true, -5 * 3600, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseClaim("x", tt.key, tt.raw, tt.off)
			if !ok {
				t.Fatal("not parsed")
			}
			_, off := c.Time.Zone()
			if c.Zoned != tt.wantZoned || off != tt.wantOffsetSecs || c.Time.Hour() != tt.wantHour {
				t.Errorf("got zoned=%v offset=%d hour=%d", c.Zoned, off, c.Time.Hour())
			}
		})
	}
}

// TestWindow: the shortest run of hours holding the share.
func TestWindow(t *testing.T) {
	office := [24]int{}
	for h := 9; h < 18; h++ {
		office[h] = 10
	}
	night := [24]int{}
	night[1], night[23] = 5, 5
	tests := []struct {
		name string
		h    [24]int
		n    int
		want string
	}{
		{"office hours", office, 90, "09-17"},
		{"around midnight spans the day", night, 10, "01-24"},
		{"none", [24]int{}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := window(tt.h, tt.n, 0.8); got != tt.want {
				t.Errorf("window = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestConsistency: a value in two kinds of source recurs; one in a single
// document is counted as single; two members of one archive are one
// document.
func TestConsistency(t *testing.T) {
	classes := map[string]string{"chat.txt": ClassChat, "list.xlsx": ClassSpreadsheet,
		"a.zip!/x.txt": ClassDocument, "a.zip!/y.txt": ClassDocument}
	ents := []store.EntitySummary{
		{Type: "phone", Value: "+1 555 0100", Paths: []string{"chat.txt", "list.xlsx"}},
		{Type: "phone", Value: "+1 555 0199", Paths: []string{"chat.txt"}},
		{Type: "org", Value: "Acme Telecom", Paths: []string{"a.zip!/x.txt", "a.zip!/y.txt"}},
		{Type: "ipv4", Value: "192.0.2.1", Paths: []string{"chat.txt", "list.xlsx"}},
	}
	got := consistency(ents, classes)
	want := Consistency{
		Recurring: []Identifier{{Kind: "phone", Value: "+1 555 0100", Classes: []string{ClassChat, ClassSpreadsheet}, Documents: 2, Paths: []string{"chat.txt", "list.xlsx"}}},
		Single:    map[string]int{"phone": 1, "org": 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consistency (-want +got):\n%s", diff)
	}
}

// TestClassOf: chats by the chat analysis, the rest by type.
func TestClassOf(t *testing.T) {
	chatDoc := doc("c", "text/plain", "c.txt", nil)
	tests := []struct {
		name string
		d    store.DocInfo
		want string
	}{
		{"chat found in a text file", chatDoc, ClassChat},
		{"plain text", doc("t", "text/plain", "t.txt", nil), ClassDocument},
		{"mail", doc("m", "message/rfc822", "m.eml", nil), ClassMail},
		{"sheet", doc("s", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "s.xlsx", nil), ClassSpreadsheet},
		{"photo", doc("p", "image/jpeg", "p.jpg", nil), ClassImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classOf(tt.d, map[string]bool{chatDoc.ID.String(): true}); got != tt.want {
				t.Errorf("classOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestProducerTable: every row parses, has a source, and the first match
// is the most specific.
func TestProducerTable(t *testing.T) {
	if len(releases) < 20 {
		t.Fatalf("%d releases: table not loaded", len(releases))
	}
	for _, r := range releases {
		if r.Source == "" || r.Tool == "" || !slices.Contains(producerKeys, r.Key) {
			t.Errorf("row %+v: missing source, tool or a known key", r)
		}
	}
	tests := []struct {
		name, key, value, make, want string
	}{
		{"specific ios version first", "exif.software", "14.7.1", "Apple", "14.7.1"},
		{"ios family", "exif.software", "14.2", "Apple", "14.x"},
		{"word 2016", "producer", "Microsoft® Word 2016", "", "2016"},
		{"unknown tool", "producer", "Acme PDF Writer 9", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if r := lookup(tt.key, tt.value, tt.make); r != nil {
				got = r.Version
			}
			if got != tt.want {
				t.Errorf("lookup = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := parseReleases("producer\t\t(\tx\t1\t2020-01-01\tsrc\n"); err == nil {
		t.Error("a bad pattern parsed")
	}
}
