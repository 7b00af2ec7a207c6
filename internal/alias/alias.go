// Package alias is the case's bilingual alias memory: which spellings
// name one organisation ("卡斯特拉诺航运" and "Castellano Shipping"), kept
// in the case directory so that an analyst can correct the register and
// every reader of names (the target register, and later the translator,
// search query expansion and chats) uses the same answer.
//
// # Entry
//
// One organisation: its spellings in any script, and optionally its ISO
// 3166 country. Two entries never share a spelling: adding a spelling
// that an entry has merges into that entry.
//
// # File
//
// The memory is the JSON file glossary.json in the case directory
// ({"entries": [{"names": [...], "country": "IT"}]}), written whole
// through an os.Root on the case directory and replaced by rename, so a
// reader never sees half of it. It is also the import and export format.
package alias

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode"
)

// File is the memory's file name in the case directory.
const File = "glossary.json"

// Entry is one organisation's spellings.
type Entry struct {
	Names   []string `json:"names"`
	Country string   `json:"country,omitempty"`
}

// Memory is the case's alias memory.
type Memory struct {
	Entries []Entry `json:"entries"`
}

// ErrNotFound is returned by Remove for a spelling no entry has.
var ErrNotFound = errors.New("no glossary entry has this name")

// Key is the comparison form of a spelling: lower case, spaces collapsed.
// Two spellings with one key are one spelling.
func Key(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
}

// Load reads the memory of the case in dir; a case without one has an
// empty memory.
func Load(dir string) (*Memory, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	defer root.Close()
	f, err := root.Open(File)
	if errors.Is(err, fs.ErrNotExist) {
		return &Memory{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	defer f.Close()
	m, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("glossary %s: %w", File, err)
	}
	return m, nil
}

// Read parses a memory in the file format (also an import file).
func Read(r io.Reader) (*Memory, error) {
	var m Memory
	if err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	out := &Memory{}
	for _, e := range m.Entries {
		out.Add(e.Names, e.Country)
	}
	return out, nil
}

// Write writes the memory in the file format.
func (m *Memory) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if m.Entries == nil {
		return enc.Encode(Memory{Entries: []Entry{}})
	}
	return enc.Encode(m)
}

// Save writes the memory to the case in dir, replacing the old file in
// one rename.
func (m *Memory) Save(dir string) (err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("glossary: %w", err)
	}
	defer root.Close()
	tmp := File + ".tmp"
	f, err := root.Create(tmp)
	if err != nil {
		return fmt.Errorf("glossary: %w", err)
	}
	if err := m.Write(f); err != nil {
		return errors.Join(fmt.Errorf("glossary: write: %w", err), f.Close(), root.Remove(tmp))
	}
	if err := f.Close(); err != nil {
		return errors.Join(fmt.Errorf("glossary: %w", err), root.Remove(tmp))
	}
	if err := root.Rename(tmp, File); err != nil {
		return fmt.Errorf("glossary: %w", err)
	}
	return nil
}

// Add records that names are one organisation (of country, when not
// ""). Entries that share a spelling with names are merged into one, so
// that adding "Castellano" to an entry with "Castellano Shipping" and
// then linking "Castellano" to 卡斯特拉诺航运 keeps one entry. Blank names
// are ignored; fewer than one name adds nothing.
func (m *Memory) Add(names []string, country string) {
	var clean []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && !slices.ContainsFunc(clean, func(c string) bool { return Key(c) == Key(n) }) {
			clean = append(clean, n)
		}
	}
	if len(clean) == 0 {
		return
	}
	merged := Entry{Country: strings.ToUpper(strings.TrimSpace(country))}
	var rest []Entry
	for _, e := range m.Entries {
		if slices.ContainsFunc(e.Names, func(n string) bool {
			return slices.ContainsFunc(clean, func(c string) bool { return Key(c) == Key(n) })
		}) {
			merged.Names = append(merged.Names, e.Names...)
			if merged.Country == "" {
				merged.Country = e.Country
			}
			continue
		}
		rest = append(rest, e)
	}
	for _, n := range clean {
		if !slices.ContainsFunc(merged.Names, func(o string) bool { return Key(o) == Key(n) }) {
			merged.Names = append(merged.Names, n)
		}
	}
	m.Entries = append(rest, merged)
}

// Remove removes name from its entry, and the entry when no other
// spelling is left with it.
func (m *Memory) Remove(name string) error {
	k := Key(name)
	for i, e := range m.Entries {
		j := slices.IndexFunc(e.Names, func(n string) bool { return Key(n) == k })
		if j < 0 {
			continue
		}
		e.Names = slices.Delete(slices.Clone(e.Names), j, j+1)
		if len(e.Names) < 2 {
			m.Entries = slices.Delete(m.Entries, i, i+1)
		} else {
			m.Entries[i] = e
		}
		return nil
	}
	return fmt.Errorf("%q: %w", name, ErrNotFound)
}

// Groups returns the spellings of each entry with at least two, for the
// register (target.Options.Aliases).
func (m *Memory) Groups() [][]string {
	var out [][]string
	for _, e := range m.Entries {
		if len(e.Names) >= 2 {
			out = append(out, slices.Clone(e.Names))
		}
	}
	return out
}
