// Package office extracts the zip-based document formats: Office Open XML
// (DOCX, XLSX, PPTX and their macro and template variants), OpenDocument
// (ODT, ODS, ODP) and EPUB. The XML parts are parsed here with
// encoding/xml, streaming, rather than through a full document library:
// only text and a few properties are wanted, and every read must stay
// bounded on hostile files.
//
// # Package
//
// The zip container of a document. Every member read goes through a
// bounded reader: a member may expand to at most the smaller of
// Limits.MaxFileSize and MaxMember bytes, all members together to
// Limits.MaxExpanded, and past Limits.MinRatioBytes no faster than
// Limits.MaxRatio times its compressed size. A zip bomb inside a docx hits
// one of these and the extraction returns a *extract.LimitError. A
// container with more than Limits.MaxEntries members is refused. Bytes
// that are not a zip fail with "not a zip archive". encoding/xml expands
// no external entity, so XXE is not possible.
//
// # Text layout
//
// Paragraphs end a line. Tables become rows of tab-separated cells, one
// row per line (paragraphs inside a cell are joined by a space), the form
// every table extractor of leakscope emits. DOCX appends headers, footers,
// footnotes, endnotes and comments after the body, each distinct text
// once; deleted tracked changes are kept (they are often what a leak is
// about) and flagged "tracked-changes". Each XLSX or ODS sheet is an
// extract.Page labelled with the sheet name; each PPTX or ODP slide is a
// Page holding its text and then its speaker notes. Hidden sheets are
// extracted and flagged "hidden-sheet".
//
// # Numbers and dates
//
// XLSX cells are shown as Excel's General format shows them (up to 15
// significant digits, no exponent for ordinary magnitudes), percentages
// with a "%", and numbers whose style is a date format as ISO dates
// (2006-01-02, with the time when it is not midnight), honouring the
// 1904 date system.
//
// # Metadata
//
// From docProps/core.xml and app.xml (OOXML), meta.xml (ODF) or the OPF
// package document (EPUB): title, author, last_modified_by, created,
// modified, subject, keywords, description, creator (the application),
// company, pages, language.
//
// # Children
//
// Embedded images and objects (word/media, xl/embeddings, Pictures/ ...)
// are handed to Sink.Child so that the pipeline OCRs screenshots pasted
// into manuals and opens spreadsheets embedded in reports.
package office
