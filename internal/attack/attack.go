package attack

import (
	"bufio"
	"embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/attack-enterprise.tsv data/attack-software.tsv
var data embed.FS

// Technique is one ATT&CK Enterprise technique or sub-technique.
type Technique struct {
	ID      string   `json:"id"`      // T1566.001
	Name    string   `json:"name"`    // Spearphishing Attachment
	Tactics []string `json:"tactics"` // initial-access
	STIXID  string   `json:"stix_id"` // attack-pattern--...
}

// URL is the technique's page on attack.mitre.org.
func (t Technique) URL() string {
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(t.ID, ".", "/") + "/"
}

// Software is one ATT&CK malware or tool entry.
type Software struct {
	ID      string   `json:"id"`   // S0154
	Name    string   `json:"name"` // Cobalt Strike
	Type    string   `json:"type"` // malware or tool
	Aliases []string `json:"aliases,omitempty"`
	STIXID  string   `json:"stix_id"`
}

// URL is the software's page on attack.mitre.org.
func (s Software) URL() string { return "https://attack.mitre.org/software/" + s.ID + "/" }

// tables is the parsed data, built once on first use.
type tables struct {
	techniques map[string]Technique
	software   []Software
	byName     map[string]int // lowercase name or alias -> index in software
}

var load = sync.OnceValue(func() *tables {
	t, err := parse()
	if err != nil {
		// The tables are embedded and checked by TestTables, so this is a
		// build defect, not a runtime condition.
		panic(fmt.Sprintf("attack: embedded tables: %v", err))
	}
	return t
})

func parse() (*tables, error) {
	t := &tables{techniques: map[string]Technique{}, byName: map[string]int{}}
	err := rows("data/attack-enterprise.tsv", 6, func(f []string) {
		t.techniques[f[0]] = Technique{ID: f[0], Name: f[1], Tactics: split(f[2], ","), STIXID: f[4]}
	})
	if err != nil {
		return nil, err
	}
	err = rows("data/attack-software.tsv", 5, func(f []string) {
		s := Software{ID: f[0], Name: f[1], Type: f[2], Aliases: split(f[3], "|"), STIXID: f[4]}
		t.software = append(t.software, s)
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			if _, dup := t.byName[strings.ToLower(n)]; !dup {
				t.byName[strings.ToLower(n)] = len(t.software) - 1
			}
		}
	})
	return t, err
}

// rows calls fn with the fields of every data row of a table: comment
// lines (#) and the header row are skipped.
func rows(name string, fields int, fn func([]string)) error {
	f, err := data.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	header := true
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != fields {
			return fmt.Errorf("%s:%d: %d fields, want %d", name, n, len(fs), fields)
		}
		fn(fs)
	}
	return sc.Err()
}

func split(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// LookupTechnique returns the technique with the id ("T1190").
func LookupTechnique(id string) (Technique, bool) {
	t, ok := load().techniques[id]
	return t, ok
}

// Techniques is how many techniques the table holds.
func Techniques() int { return len(load().techniques) }

// FindSoftware returns the software whose name or an alias is name,
// ignoring case.
func FindSoftware(name string) (Software, bool) {
	t := load()
	i, ok := t.byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Software{}, false
	}
	return t.software[i], true
}

// AllSoftware is every software entry, in table order. The slice is
// shared: callers must not modify it.
func AllSoftware() []Software { return load().software }
