// Package lang tells which language a text is in, cuts Chinese into words
// and folds simplified and traditional Chinese together for search.
//
// # Language
//
// A BCP 47 tag: zh-Hans, zh-Hant, en, ru, ja, ko, vi, th, ar, ur, hi, fr, es,
// de and others, "" when a text is too short or in no script the detector
// knows. Detection is by script first, then by characters specific to one
// writing (simplified- or traditional-only Han characters from OpenCC's
// tables, kana for Japanese, Urdu-only letters), then for Latin script by
// function words. It needs no model file and no network.
//
// # Segment
//
// A run of lines in one language, so that a mixed document (a Chinese chat
// with English log excerpts) is translated and indexed per part. A
// document's language is the dominant one by weight of characters.
//
// # Token
//
// A word found by gse's shortest-path segmentation over jieba's dictionary,
// with its part of speech (ns place, nt organisation, nr person). The
// dictionary is embedded (dict/, 1.3 MB compressed, 214k words) and loaded once on
// first use, so a built binary needs no Go module cache and no data files.
//
// # Fold
//
// The matching key of a string: traditional to simplified, full width to
// half width, lower case, rune for rune. Index and query both fold, so a
// search for 财政部 finds 財政部 and the other way round.
package lang
