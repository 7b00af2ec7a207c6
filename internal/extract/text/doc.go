// Package text extracts plain text, Markdown, JSON, XML, CSV and TSV files:
// the bytes are decoded to UTF-8 by internal/charset (the detected
// encoding is recorded as the "charset" metadata) and streamed to the Sink,
// so that a file of hundreds of megabytes is never held whole.
//
// # Extractor
//
// Plain text, Markdown, JSON and XML are kept as decoded, markup and
// layout included: chat parsers re-parse JSON exports, Markdown chat logs
// keep their line structure, and element and attribute names of XML data
// exports are often the content. XML is never parsed here, so no entity
// (internal or external) is ever expanded. A byte-order mark is dropped.
// An XML declaration's encoding is honoured when the bytes are not UTF-8.
//
// # Table
//
// CSV and TSV become one line per row with the cells joined by a tab;
// quoted cells holding newlines or tabs have them flattened to spaces.
// This "rows as lines, cells tab-separated" form is the one every table
// extractor of leakscope emits (xlsx, ods, docx tables), so that the target
// register reads tables one way. The CSV delimiter (comma, semicolon, tab
// or pipe) is guessed from the first lines.
//
// # Limits
//
// Text stops at Limits.MaxText bytes with the "truncated" flag. A line
// longer than LongLine bytes is flagged "long-line": single-line dumps
// defeat line-oriented tools downstream.
package text
