// Package ingest is the pipeline that turns a dump into a case: it walks
// the sources, stores each content once, extracts it, recurses into
// containers, and runs the enrichment stages.
//
// # Work unit
//
// A worker takes one top-level file and carries it all the way: store,
// sniff, extract, and depth-first into every member. Memory stays bounded
// (members are streamed into the blob store, never held whole) and the
// container chain, depth and byte budgets are plain values on the stack,
// so every limit lives here, in one place, and is counted once.
//
// # Resume
//
// The outcome of extraction is committed in one transaction per document,
// after all its members are done. A run killed at any moment leaves each
// document either finished or without an extract stage; the next run skips
// finished top-level files whose size and mtime did not change and redoes
// the rest. Every write is an idempotent upsert keyed by content hash or
// (root, path), so redoing work yields exactly the rows an uninterrupted
// run would.
//
// # Limits
//
// Depth, entries per container, member size, expansion ratio per container
// and total bytes expanded per top-level file. A limit hit stops that
// container, records the reason on it and on the member, and the ingest
// goes on with the next file.
package ingest
