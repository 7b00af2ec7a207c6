package export

import (
	"bufio"
	"encoding/json"
	"io"
	"net/mail"
	"path"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/findings"
)

// ftmEntity is one FollowTheMoney entity: properties are always lists of
// strings; encoding/json sorts the property names, which keeps lines
// stable.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// groupPrefix marks a chat edge to a group conversation: people.Edge.To
// is "#" and the group's title.
const groupPrefix = "#"

// WriteFTM writes FollowTheMoney entities, one JSON object a line (the
// format `ftm` and Aleph's `alephclient write-entities` read):
//
//   - an Organization per target (name, alias, country in lowercase ISO
//     3166-1, sector, notes with what was taken, how much and when);
//   - a Person per chat person (name, alias, email and phone taken from
//     the aliases that are addresses or numbers);
//   - a Document per document of the case (title, file name, MIME type,
//     size, language, the SHA-256 in notes), with the e-mail addresses,
//     IPs and phone numbers it mentions (emailMentioned, ipMentioned,
//     phoneMentioned) and the people it names (peopleMentioned);
//   - a Folder per conversation and a Message per chat message in it
//     (sender, date, bodyText, parent), so that Aleph shows the chats;
//   - an UnknownLink per chat edge ("who talks to whom"); an edge to a
//     group chat links the person to the group's Folder, not to a person;
//   - the actor as an Organization with the e-mail addresses, phones and
//     domains the findings call the contractor's own, and a Membership
//     for each chat person who writes from one of them.
//
// Ids are derived from the natural keys in the case's namespace, so
// re-exports merge in Aleph instead of duplicating.
func WriteFTM(w io.Writer, f *Findings, o Options) error {
	bw := bufio.NewWriter(w)
	var err error
	put := func(e ftmEntity) {
		if err != nil {
			return
		}
		for k, v := range e.Properties {
			if len(v) == 0 {
				delete(e.Properties, k)
			}
		}
		var b []byte
		if b, err = json.Marshal(e); err == nil {
			bw.Write(b)
			err = bw.WriteByte('\n')
		}
	}
	for _, t := range f.Targets {
		p := map[string][]string{"name": {clean(t.Name)}, "alias": cleanAll(t.Aliases)}
		if c := ftmCountry(t.Country); c != "" {
			p["country"] = []string{c}
		}
		if t.Sector != "" {
			p["sector"] = []string{clean(t.Sector)}
		}
		if n := victimNote(t.DataTypes, t.VolumeBytes, t.Records, t.FirstSeen, t.LastSeen, nil); n != "" {
			p["notes"] = []string{clean(n)}
		}
		put(ftmEntity{ID: f.ftmID("org", t.Name), Schema: "Organization", Properties: p})
	}
	// The actor: the contractor whose leak this is, with the addresses
	// and domains the findings call its own.
	actor := map[string][]string{"name": {clean("leakscope case " + f.Case + ": the actor")}}
	own := map[string]bool{}
	for _, i := range f.IOCs {
		if i.Role != findings.RoleOwn {
			continue
		}
		switch i.Kind {
		case "email":
			actor["email"] = append(actor["email"], clean(i.Value))
			own[i.Value] = true
		case "domain":
			actor["website"] = append(actor["website"], clean(i.Value))
		case "phone":
			actor["phone"] = append(actor["phone"], clean(i.Value))
		}
	}
	actorID := f.ftmID("actor")
	if len(f.IOCs)+len(f.Targets)+len(f.Persons)+len(f.Documents)+len(f.Conversations) > 0 {
		put(ftmEntity{ID: actorID, Schema: "Organization", Properties: actor})
	}
	known := map[string]bool{}
	person := func(name string, p map[string][]string) string {
		pid := f.ftmID("person", name)
		if !known[name] {
			known[name] = true
			if p == nil {
				p = map[string][]string{"name": {clean(name)}}
			}
			put(ftmEntity{ID: pid, Schema: "Person", Properties: p})
		}
		return pid
	}
	var names []string
	for _, q := range f.Persons {
		names = append(names, q.Name)
		p := map[string][]string{"name": {clean(q.Name)}}
		for _, a := range q.Aliases {
			a = clean(a)
			switch {
			case isEmail(a):
				p["email"] = append(p["email"], a)
			case isPhone(a):
				p["phone"] = append(p["phone"], a)
			default:
				p["alias"] = append(p["alias"], a)
			}
		}
		pid := person(q.Name, p)
		// A person who writes from one of the actor's addresses is its
		// member ("Wang Wei" with ww@acme-sec.example in a staff list).
		for _, e := range p["email"] {
			if own[e] {
				put(ftmEntity{ID: f.ftmID("membership", q.Name), Schema: "Membership", Properties: map[string][]string{
					"member": {pid}, "organization": {actorID}, "role": {"staff (by e-mail address)"}}})
				break
			}
		}
	}
	for _, d := range f.Documents {
		p := map[string][]string{"mimeType": {clean(d.MIME)}, "fileSize": {strconv.FormatInt(d.Size, 10)},
			"notes": {"sha256 " + d.SHA256}}
		if len(d.Paths) > 0 {
			p["title"] = []string{clean(d.Paths[0])}
			p["fileName"] = []string{clean(path.Base(d.Paths[0]))}
		}
		if l := ftmLanguage(d.Language); l != "" {
			p["language"] = []string{l}
		}
		for _, m := range d.Mentions {
			prop := map[string]string{"email": "emailMentioned", "ipv4": "ipMentioned", "ipv6": "ipMentioned",
				"phone": "phoneMentioned", "person": "peopleMentioned", "org": "companiesMentioned"}[m.Kind]
			if prop != "" {
				p[prop] = append(p[prop], clean(m.Value))
			}
		}
		put(ftmEntity{ID: f.ftmID("document", d.SHA256), Schema: "Document", Properties: p})
	}
	folders := map[string]string{} // group title -> folder id
	for _, c := range f.Conversations {
		fid := f.ftmID("conversation", c.ID)
		title := c.Title
		if title == "" {
			title = c.Source
		}
		if c.Group {
			folders[c.Title] = fid
		}
		put(ftmEntity{ID: fid, Schema: "Folder", Properties: map[string][]string{"title": {clean(title)},
			"fileName": {clean(path.Base(c.Source))}}})
		for n, m := range c.Log {
			p := map[string][]string{"bodyText": {clean(m.Text)}, "parent": {fid}}
			if m.Sender != "" {
				p["sender"] = []string{person(m.Sender, nil)}
			}
			if m.Time != "" {
				p["date"] = []string{clean(m.Time)}
			}
			if ms := mentionedIn(m.Text, names); len(ms) > 0 {
				p["peopleMentioned"] = ms
			}
			put(ftmEntity{ID: f.ftmID("message", c.ID, strconv.Itoa(n)), Schema: "Message", Properties: p})
		}
	}
	for _, e := range f.Edges {
		from := person(e.From, nil)
		to, ok := "", true
		if strings.HasPrefix(e.To, groupPrefix) {
			to, ok = folders[strings.TrimPrefix(e.To, groupPrefix)]
		} else {
			to = person(e.To, nil)
		}
		if !ok {
			continue
		}
		p := map[string][]string{"subject": {from}, "object": {to},
			"role": {"chat"}, "summary": {strconv.Itoa(e.Count) + " messages"}}
		put(ftmEntity{ID: f.ftmID("link", e.From, e.To), Schema: "UnknownLink", Properties: p})
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// mentionedIn are the names written in text.
func mentionedIn(text string, names []string) []string {
	var out []string
	for _, n := range names {
		if len(n) >= 2 && strings.Contains(text, n) {
			out = append(out, clean(n))
		}
	}
	return out
}

// ftmID is a stable FtM id: a prefix and the UUIDv5 of the key.
func (f *Findings) ftmID(kind string, key ...string) string {
	return "leakscope-" + kind + "-" + f.id(append([]string{"ftm", kind}, key...)...)
}

// ftmCountry is the FtM country code: lowercase ISO 3166-1 alpha-2; INT
// (international bodies) has no FtM country and is left out.
func ftmCountry(c string) string {
	if len(c) != 2 {
		return ""
	}
	c = strings.ToLower(c)
	if c[0] < 'a' || c[0] > 'z' || c[1] < 'a' || c[1] > 'z' {
		return ""
	}
	return c
}

// ftmLanguage is the FtM language code (ISO 639-2, three letters) of a
// stored language (ISO 639-1), or "" when leakscope does not know it.
func ftmLanguage(l string) string {
	return map[string]string{"zh": "zho", "en": "eng", "ru": "rus", "ja": "jpn", "ko": "kor", "ar": "ara", "fr": "fra",
		"de": "deu", "es": "spa", "vi": "vie", "hi": "hin", "ur": "urd", "fa": "fas", "tr": "tur", "th": "tha",
		"id": "ind", "ms": "msa", "pt": "por", "it": "ita", "uk": "ukr", "kk": "kaz", "mn": "mon"}[strings.ToLower(l)]
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

func isPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() .", r):
		default:
			return false
		}
	}
	return digits >= 7
}
