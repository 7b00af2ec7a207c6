// Package registry holds the one explicit list of entity detectors and
// scans texts with all of them. It is separate from package entity because
// the detector families import entity for its types.
//
// # Version
//
// Version names the detector set. It is stored with the per-document stage
// state, so that changing any detector (and bumping Version) re-runs entity
// extraction only. Bump it whenever a detector's output can change.
package registry

import (
	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/date"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/ioc"
	"github.com/leakscope/leakscope/internal/entity/money"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/entity/person"
	"github.com/leakscope/leakscope/internal/entity/volume"
)

// Version changes whenever a detector changes.
const Version = "entity/3"

// Revision is Version as a number, for stage versions that are integers:
// it grows with every change of Version.
const Revision = 3

// detectors is the one explicit list. TestRegistry checks that every
// leak.Kind is emitted by at least one of them.
var detectors = []entity.Detector{
	ioc.Network{},
	ioc.Hashes{},
	ioc.CVE{},
	ioc.Phones{},
	ioc.Wallets{},
	volume.Detector{},
	date.Detector{},
	money.Detector{},
	geo.Detector{},
	org.Detector{},
	person.Detector{},
}

var scanner = entity.NewScanner(detectors...)

// Detectors returns the registered detectors in order.
func Detectors() []entity.Detector { return scanner.Detectors() }

// Scanner returns the scanner over every registered detector.
func Scanner() *entity.Scanner { return scanner }

// Scan returns every entity in text, sorted by offset, with overlapping
// matches of one kind reduced to the longest. It is safe for concurrent
// use.
func Scan(text []byte) []entity.Match { return scanner.Scan(text) }

// ScanCapped is Scan then entity.Cap, in memory bounded by the caps: see
// entity.Scanner.ScanCapped. It is safe for concurrent use.
func ScanCapped(text []byte, c entity.Caps) ([]entity.Match, bool) {
	return scanner.ScanCapped(text, c)
}
