// Package db reads database files found in leaks. A SQLite file is opened
// read-only, on a private copy, with the pure-Go modernc driver: no cgo and
// no sqlite3 binary. A dBase table (.dbf) is read in Go (dbf.go): one
// table, its rows the document's text.
//
// # Database
//
// The document itself is the schema: one line per table with its row count
// and column names ("customers (3 rows): id, name, email"), so that a search
// for a column name finds the database. Metadata: tables (their number).
// Views, triggers and indexes are not run: a hostile schema could make a
// view as slow as it likes, and their rows are in the tables anyway.
//
// # Table
//
// Each table is a child named "<table>.tsv": a header line of column names,
// then one line per row, cells joined by a tab, as the csv extractor writes
// a spreadsheet. The pipeline extracts it as a table, so its text is
// searchable and its rows reach the target register like any other sheet.
// Tabs and line breaks inside a cell become spaces. A BLOB cell that is
// valid UTF-8 is kept as text; any other is written "[blob N bytes]".
//
// # Bounds
//
// A table's child stops at Limits.MaxText bytes (flagged "truncated"), a
// cell at MaxCell bytes, and at most Limits.MaxEntries tables are read. The
// copy is bounded by the file's size, which the pipeline has already
// checked against Limits.MaxFileSize. The leaked file is never opened by
// SQLite in place: opening a database can create journal and shared-memory
// files beside it, and a hot journal would be replayed into it.
package db
