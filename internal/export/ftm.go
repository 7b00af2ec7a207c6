package export

import (
	"bufio"
	"encoding/json"
	"io"
	"net/mail"
	"strconv"
	"strings"
)

// ftmEntity is one FollowTheMoney entity: properties are always lists of
// strings; encoding/json sorts the property names, which keeps lines
// stable.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// WriteFTM writes FollowTheMoney entities, one JSON object a line (the
// format `ftm` and Aleph's `alephclient write-entities` read): an
// Organization per target (name, alias, country in lowercase ISO 3166-1,
// sector, notes), a Person per chat person (name, alias, email and phone
// taken from the aliases that are addresses or numbers) and an
// UnknownLink per chat edge ("who talks to whom"). Ids are derived from
// the natural keys, so re-exports merge in Aleph instead of duplicating.
func WriteFTM(w io.Writer, f *Findings, o Options) error {
	bw := bufio.NewWriter(w)
	put := func(e ftmEntity) error {
		for k, v := range e.Properties {
			if len(v) == 0 {
				delete(e.Properties, k)
			}
		}
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		bw.Write(b)
		return bw.WriteByte('\n')
	}
	for _, t := range f.Targets {
		p := map[string][]string{"name": {clean(t.Name)}, "alias": cleanAll(t.Aliases)}
		if c := ftmCountry(t.Country); c != "" {
			p["country"] = []string{c}
		}
		if t.Sector != "" {
			p["sector"] = []string{clean(t.Sector)}
		}
		var notes []string
		if len(t.DataTypes) > 0 {
			notes = append(notes, "Data taken: "+strings.Join(t.DataTypes, ", "))
		}
		if t.VolumeBytes > 0 {
			notes = append(notes, "Volume: "+strconv.FormatInt(t.VolumeBytes, 10)+" bytes")
		}
		if t.Records > 0 {
			notes = append(notes, "Records: "+strconv.FormatInt(t.Records, 10))
		}
		if t.FirstSeen != "" || t.LastSeen != "" {
			notes = append(notes, "Seen: "+t.FirstSeen+" to "+t.LastSeen)
		}
		if len(notes) > 0 {
			p["notes"] = []string{clean(strings.Join(notes, ". "))}
		}
		if err := put(ftmEntity{ID: ftmID("org", t.Name), Schema: "Organization", Properties: p}); err != nil {
			return err
		}
	}
	known := map[string]bool{}
	for _, q := range f.Persons {
		known[q.Name] = true
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
		if err := put(ftmEntity{ID: ftmID("person", q.Name), Schema: "Person", Properties: p}); err != nil {
			return err
		}
	}
	for _, e := range f.Edges {
		for _, n := range []string{e.From, e.To} {
			if !known[n] {
				known[n] = true
				if err := put(ftmEntity{ID: ftmID("person", n), Schema: "Person",
					Properties: map[string][]string{"name": {clean(n)}}}); err != nil {
					return err
				}
			}
		}
		p := map[string][]string{"subject": {ftmID("person", e.From)}, "object": {ftmID("person", e.To)},
			"role": {"chat"}, "summary": {strconv.Itoa(e.Count) + " messages"}}
		if err := put(ftmEntity{ID: ftmID("link", e.From, e.To), Schema: "UnknownLink", Properties: p}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ftmID is a stable FtM id: a prefix and the UUIDv5 of the key.
func ftmID(kind string, key ...string) string {
	return "leakscope-" + kind + "-" + id(append([]string{"ftm", kind}, key...)...)
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
