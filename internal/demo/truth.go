package demo

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/leak"
)

// Truth is what a correct pipeline finds in the demo. It is computed from
// the same story values the files are written from, and evidence and
// indicator files are found by searching each file's plain text, so it
// cannot drift from the bytes.
type Truth struct {
	Contractor Contractor `json:"contractor"`
	People     []Person   `json:"people"`
	Targets    []Target   `json:"targets"`
	Entities   []Entity   `json:"entities"`
	Chats      Chats      `json:"chats"`
	// Duplicates are groups of paths (files and members) with identical
	// bytes; empty files are left out.
	Duplicates [][]string `json:"duplicates"`
	Hostile    []Hostile  `json:"hostile"`
}

// Contractor is the invented company whose files these are.
type Contractor struct {
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Domain string `json:"domain"`
}

// Person is a chat participant. Name is how text exports write them,
// Handle how JSON exports do.
type Person struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Nick    string   `json:"nick"`
	Handle  string   `json:"handle"`
	Email   string   `json:"email"`
	Role    string   `json:"role"`
	Aliases []string `json:"aliases,omitempty"`
}

// Target is one entry of the expected target register.
type Target struct {
	ID     string `json:"id"`
	NameEN string `json:"name"`
	// NamesZH are the Chinese names: Simplified, then Traditional if used.
	NamesZH    []string `json:"names_zh"`
	OtherNames []string `json:"other_names,omitempty"`
	// NamesInCorpus are the spellings whose presence makes a file evidence.
	NamesInCorpus []string `json:"names_in_corpus"`
	Country       string   `json:"country"` // ISO 3166-1 alpha-2
	CountryName   string   `json:"country_name"`
	Sector        string   `json:"sector"`
	DataTypes     []string `json:"data_types"`
	VolumeRaw     string   `json:"volume_raw"`
	// VolumeBytes reads G/M as GiB/MiB; VolumeBytesDecimal as 10^9/10^6.
	// Both are 0 when the volume is a record count.
	VolumeBytes        int64  `json:"volume_bytes,omitempty"`
	VolumeBytesDecimal int64  `json:"volume_bytes_decimal,omitempty"`
	Records            int64  `json:"records,omitempty"` // 万条 = 10^4 records
	Date               string `json:"date"`              // YYYY-MM the data was obtained
	// Evidence lists every file or member whose text names the target;
	// EvidenceRequiresOCR the subset whose text is only in pixels.
	Evidence            []string `json:"evidence"`
	EvidenceRequiresOCR []string `json:"evidence_requires_ocr,omitempty"`
}

// Entity is one expected indicator.
type Entity struct {
	Type  leak.Kind `json:"type"`
	Value string    `json:"value"` // canonical: IPv6 compressed, phone E.164
	// Forms are other spellings in the text: defanged, expanded, formatted.
	Forms             []string `json:"forms,omitempty"`
	Files             []string `json:"files"`
	FilesRequiringOCR []string `json:"files_requiring_ocr,omitempty"`
}

// Chats are the expected conversations. Times are RFC 3339 in +08:00.
type Chats struct {
	Timezone      string         `json:"timezone"`
	TotalMessages int            `json:"total_messages"`
	First         string         `json:"first"`
	Last          string         `json:"last"`
	Conversations []Conversation `json:"conversations"`
}

// Conversation is one chat file or screenshot. A multi-line message counts
// once.
type Conversation struct {
	ID             string         `json:"id"`
	File           string         `json:"file"`
	Shape          string         `json:"shape"` // text-md, json, screenshot
	Title          string         `json:"title"`
	Group          bool           `json:"group"`
	Owner          string         `json:"owner,omitempty"` // screenshots: whose phone
	Participants   []string       `json:"participants"`    // Person.Name
	Messages       int            `json:"messages"`
	PerParticipant map[string]int `json:"per_participant"`
	First          string         `json:"first"`
	Last           string         `json:"last"`
}

// Hostile is a file a safe tool must handle in a particular way.
type Hostile struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	Expected string `json:"expected"`
}

func (b *builder) computeTruth() Truth {
	s := b.s
	all := b.files()
	tr := Truth{Contractor: Contractor{NameZH: s.companyZH, NameEN: s.companyEN, Domain: s.domain}}
	for _, p := range s.people {
		tr.People = append(tr.People, Person{ID: p.id, Name: p.name, Nick: p.nick, Handle: p.handle, Email: p.email, Role: p.role, Aliases: p.aliases})
	}

	for _, t := range s.targets {
		zh := []string{t.nameZH}
		if t.nameZHT != "" {
			zh = append(zh, t.nameZHT)
		}
		names := append(append(append([]string(nil), zh...), t.nameEN), t.otherNames...)
		tt := Target{ID: t.id, NameEN: t.nameEN, NamesZH: zh, OtherNames: t.otherNames, NamesInCorpus: names,
			Country: t.country, CountryName: t.countryName, Sector: t.sector, DataTypes: t.dataTypes,
			VolumeRaw: t.volumeRaw, VolumeBytes: t.volumeBytes, VolumeBytesDecimal: t.volumeDec, Records: t.records, Date: t.date}
		for _, f := range all {
			if slices.ContainsFunc(names, func(n string) bool { return containsName(f.text, n) }) {
				tt.Evidence = append(tt.Evidence, f.Path)
				if f.OCRRequired {
					tt.EvidenceRequiresOCR = append(tt.EvidenceRequiresOCR, f.Path)
				}
			}
		}
		tr.Targets = append(tr.Targets, tt)
	}

	for _, e := range b.indicators() {
		for _, f := range all {
			if slices.ContainsFunc(append([]string{e.Value}, e.Forms...), func(v string) bool {
				return containsToken(f.text, v, e.Type == leak.KindMD5 || e.Type == leak.KindSHA1 || e.Type == leak.KindSHA256)
			}) {
				e.Files = append(e.Files, f.Path)
				if f.OCRRequired {
					e.FilesRequiringOCR = append(e.FilesRequiringOCR, f.Path)
				}
			}
		}
		tr.Entities = append(tr.Entities, e)
	}

	tr.Chats = b.chatTruth()

	bySum := map[string][]string{}
	for _, f := range all {
		if f.Dir || f.Size == 0 {
			continue
		}
		bySum[f.SHA256] = append(bySum[f.SHA256], f.Path)
	}
	for _, f := range all {
		if g := bySum[f.SHA256]; len(g) > 1 && !f.Dir && f.Size > 0 {
			f.Flags = append(f.Flags, "duplicate")
			if g[0] == f.Path {
				tr.Duplicates = append(tr.Duplicates, g)
			}
		}
	}
	sort.Slice(tr.Duplicates, func(i, j int) bool { return tr.Duplicates[i][0] < tr.Duplicates[j][0] })

	expect := map[string]string{
		"active-content": "index the text only; render escaped or sandboxed; never run the script",
		"empty":          "record as an empty document",
		"path-traversal": "never write outside the extraction folder; flag the member",
	}
	for _, f := range all {
		for _, fl := range f.Flags {
			if e, ok := expect[fl]; ok {
				tr.Hostile = append(tr.Hostile, Hostile{Path: f.Path, Kind: fl, Expected: e})
			}
		}
	}
	return tr
}

// indicators lists every indicator the story writes, each in its
// canonical form with the other spellings that occur.
func (b *builder) indicators() []Entity {
	s := b.s
	e := func(k leak.Kind, v string, forms ...string) Entity { return Entity{Type: k, Value: v, Forms: forms} }
	list := []Entity{
		e(leak.KindIPv4, s.c2IP), e(leak.KindIPv4, s.vpnIP), e(leak.KindIPv4, s.mailIP),
		e(leak.KindIPv6, s.ipv6, s.ipv6Long),
		e(leak.KindDomain, s.c2Domain, "c2[.]jichuan[.]invalid"),
		e(leak.KindDomain, s.owaDomain), e(leak.KindDomain, s.vpnDomain),
		e(leak.KindDomain, s.domain), e(leak.KindDomain, "andes-mobile.test"), e(leak.KindDomain, "cloudhost.example.net"),
		e(leak.KindURL, s.c2URL, s.c2URLDefang), e(leak.KindURL, s.owaURL), e(leak.KindURL, "https://cloudhost.example.net/billing"),
	}
	for _, p := range s.people {
		list = append(list, e(leak.KindEmail, p.email))
	}
	list = append(list,
		e(leak.KindEmail, s.procurement), e(leak.KindEmail, "billing@cloudhost.example.net"),
		e(leak.KindPhone, s.phoneE164, s.phoneFmt), e(leak.KindPhone, s.localPhone),
		e(leak.KindMD5, s.md5), e(leak.KindSHA1, s.sha1), e(leak.KindSHA256, s.sha256),
	)
	for _, c := range s.cves {
		list = append(list, e(leak.KindCVE, c))
	}
	return list
}

func (b *builder) chatTruth() Chats {
	s := b.s
	ch := Chats{Timezone: "+08:00"}
	var first, last time.Time
	conv := func(id, file, shape, title string, group bool, owner string, msgs []message) Conversation {
		c := Conversation{ID: id, File: file, Shape: shape, Title: title, Group: group, Owner: owner,
			Messages: len(msgs), PerParticipant: map[string]int{}}
		for _, m := range msgs {
			c.PerParticipant[s.person(m.from).name]++
		}
		for _, p := range s.people {
			if c.PerParticipant[p.name] > 0 {
				c.Participants = append(c.Participants, p.name)
			}
		}
		c.First = msgs[0].t.Format(time.RFC3339)
		c.Last = msgs[len(msgs)-1].t.Format(time.RFC3339)
		ch.TotalMessages += len(msgs)
		if first.IsZero() || msgs[0].t.Before(first) {
			first = msgs[0].t
		}
		if msgs[len(msgs)-1].t.After(last) {
			last = msgs[len(msgs)-1].t
		}
		return c
	}
	ch.Conversations = []Conversation{
		conv("demo-c1", "chats/项目群_2021-06.md", "text-md", "项目群", true, "", s.groupChat),
		conv("demo-c2", "chats/im_export_秘鲁项目.json", "json", "秘鲁项目", true, "", s.jsonChat),
		conv("demo-c3", "screenshots/微信图片_20210604211800.png", "screenshot", b.shot.title, false, s.person(b.shot.owner).name, b.shot.bubbles),
	}
	ch.First, ch.Last = first.Format(time.RFC3339), last.Format(time.RFC3339)
	return ch
}

// containsName reports whether name occurs in text: CJK names as plain
// substrings, Latin names case-insensitively on word boundaries.
func containsName(text, name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	if r >= 0x2e80 {
		return strings.Contains(text, name)
	}
	lt, ln := strings.ToLower(text), strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(lt[i:], ln)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(ln)
		before, _ := utf8.DecodeLastRuneInString(lt[:start])
		after, _ := utf8.DecodeRuneInString(lt[end:])
		if !isWord(before) && !isWord(after) {
			return true
		}
		i = start + 1
	}
}

func isWord(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) && r < 0x2e80
}

// containsToken reports whether value occurs in text as a whole token:
// not glued to letters, digits, '_' or '-', and not part of a longer dotted
// name or address.
func containsToken(text, value string, fold bool) bool {
	if fold {
		text, value = strings.ToLower(text), strings.ToLower(value)
	}
	glued := func(r rune) bool {
		return r < 0x80 && (r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}
	for i := 0; ; {
		j := strings.Index(text[i:], value)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(value)
		before, n := utf8.DecodeLastRuneInString(text[:start])
		ok := start == 0 || !glued(before)
		if ok && before == '.' {
			b2, _ := utf8.DecodeLastRuneInString(text[:start-n])
			ok = !glued(b2)
		}
		after, n := utf8.DecodeRuneInString(text[end:])
		if ok && end < len(text) && glued(after) {
			ok = false
		}
		if ok && (after == '.' || after == ':') {
			a2, _ := utf8.DecodeRuneInString(text[end+n:])
			ok = !glued(a2)
		}
		if ok {
			return true
		}
		i = start + 1
	}
}
