// Package leak is the vocabulary shared by every other package of leakscope.
// It has no dependencies beyond the standard library so that it can sit at
// the bottom of the import graph.
//
// # ID
//
// A document's identity is the SHA-256 of its bytes. The same bytes found in
// two places are one document with two occurrences.
//
// # Occurrence
//
// A place where a document was found: its path relative to the ingested root,
// with "!/" at each container boundary (archives/x.tar.gz!/dir/a.zip!/b.txt),
// the git commit it came from, its modification time and size.
//
// # Limits
//
// Every bound the ingest applies to hostile input, as a value that travels in
// options rather than as globals.
//
// # Kind
//
// The stored names of entity kinds. They are persisted and part of the JSON
// contract, so they never change.
package leak
