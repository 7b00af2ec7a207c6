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
//
// # Pattern
//
// A regular expression for detectors, compiled with MustPattern. It finds
// exactly what regexp.FindAllSubmatchIndex finds, but tries an anchored
// match only where one can begin: at a rune the expression can start with,
// followed by a rune it can continue with, and, for expressions that start
// with a number, only where the numeric run is left by a rune the rest of
// the expression can take ("12 GB" is tried for a volume, "2021-05-03" and
// "14:22" are not). Each attempt reads a slice bounded by what the
// expression can consume, so the regexp package runs its backtracker on a
// few dozen bytes. Go's regexp would otherwise run its NFA over every byte
// of every chunk once per expression, which made the entity scan the most
// expensive stage of an ingest.
package entity
