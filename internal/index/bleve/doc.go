// Package bleve is the embedded implementation of index.Index, a Bleve
// (scorch) index kept in a directory of the case (index/). It needs no
// server and is copied with the case.
//
// # Analysis
//
// Original text, translation, title and path are analysed by one analyzer
// (textAnalyzer, registered as AnalyzerName) that handles Chinese without
// a dictionary: CJK runs become character bigrams after Traditional ->
// Simplified folding, so any substring of two or more characters is found
// by a phrase query whatever script it was written in; other scripts are
// lower-cased, width-folded, accent-stripped words, and glued CamelCase
// words from OCR are indexed as their parts too.
//
// # Fields
//
// Keyword fields (kind, lang, type, mime, paths, sender, conversation,
// entity, country, year) are matched whole and counted as facets; date is
// a datetime and yearnum a number for ranges. The mapping is stored in the
// index; changing analysis means a new AnalyzerName and a reindex.
package bleve
