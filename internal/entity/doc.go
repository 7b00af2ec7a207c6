// Package entity defines what an entity detector is and how a set of
// detectors is run over a text. The detectors themselves live in one
// subpackage per family (ioc, volume, date, money, geo, org, person), and the
// explicit list of them is in the registry subpackage, which imports both
// this package and the families (a family cannot import the registry, so the
// list cannot live here without an import cycle).
//
// # Match
//
// One entity found in a text: its kind (a stored leak.Kind), the value as
// written, a canonical form (Norm) used to count and merge, and the byte
// offsets of the value in the text. The offsets drive highlighting,
// snippets and evidence, so they always point into the text that was
// scanned, even when the value was written defanged (hxxp, [.]) and Norm is
// not.
//
// # Detector
//
// A pure function over text: no I/O, no shared mutable state, safe for
// concurrent use. It declares the kinds it may emit, so the registry can be
// checked for completeness, and keywords for the shared prefilter, so a
// text without any of them skips the detector entirely.
//
// # Scanner
//
// Runs a fixed list of detectors over a text: one keyword prefilter per
// chunk, overlapping chunks for large texts (a match belongs to the chunk it
// starts in), and de-duplication of overlapping matches of one kind (the
// longest wins).
package entity
