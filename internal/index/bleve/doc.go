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
// words from OCR are indexed as their parts too. Since analyzer v2, a
// Latin word is also indexed as its Snowball English stem at the same
// position, and the s of a possessive is dropped, so that "ministries"
// finds "Ministry" while a wildcard still meets the word as written.
//
// A query is cut into words on the query side only (Options.Words, the
// lang segmenter passed in by the commands): each word is a phrase of
// bigrams, ANDed, and when nothing has every word the search answers the
// ranked OR of them (index.Relax) and says so in Result.Relaxed.
//
// Each segment records its analyzer in the manifest. Queries are analysed
// by each segment's own mapping, so an index written by v1 keeps
// answering (without stems) beside v2 segments; Stale reports it, search
// warns, and reindex rebuilds it. A merge rebuilds its inputs with the
// current analyzer.
//
// # Fields
//
// Keyword fields (kind, lang, type, mime, paths, sender, conversation,
// entity, country, year) are matched whole and counted as facets; date is
// a datetime and yearnum a number for ranges. The mapping is stored in the
// index; changing analysis means a new AnalyzerName and a reindex. Each
// unit also stores its source (src: the unit as JSON without its text and
// translation, which are stored fields already), so that a merge can
// rebuild it from the segment alone.
//
// # Segments and the manifest
//
// The index directory holds segments, each a closed Bleve index in its own
// directory (seg-NNNNNNNN), and manifest.json: a generation number and the
// published segments, each with its unit count and the IDs whose copy in
// it is hidden. Several processes use one index at once: one writer (the
// process holding the case's write lock: ingest, translate, reindex) and
// any number of readers (serve, search, check-case).
//
// A reader opens the published segments read-only (Bleve then takes a
// shared lock on each, never the exclusive one) and searches them through
// one alias. Before every search it reads the generation at the head of
// the manifest and, when it changed, switches to the new list, keeping the
// segments still listed and closing the others.
//
// The writer adds to an active segment of its own, which its own searches
// include at once. Publish closes it, records in every older segment which
// of its IDs it now shadows, and writes the next manifest (a new file
// renamed over the old one, so a reader sees one generation or the next,
// whole). Because an older copy is hidden as soon as a newer one exists,
// each ID is live in one segment at most: no search returns it twice, and
// totals and facets count it once. A delete is an ID hidden without a
// newer copy.
//
// A rebuild (reindex) writes fresh segments and publishes them in one
// manifest that replaces every old segment; until then readers keep the
// old generation. Whatever a killed writer left unlisted (an active
// segment, an uncommitted rebuild, a merge output) is removed by the next
// writer.
//
// # Merging
//
// Each publication adds a segment. When there are more than maxSegments,
// the writer rebuilds the smaller half into one from the stored sources,
// and it rebuilds any segment most of whose copies are hidden, which drops
// them. An index of the earlier single-directory layout becomes the first
// segment on the first write; its units carry no source, so it is never
// merged and its hidden IDs stay listed until a reindex.
package bleve
