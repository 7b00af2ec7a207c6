// Package ingest is the pipeline that turns a dump into a case: it walks
// the sources, stores each content once, extracts it, recurses into
// containers, and runs the enrichment stages.
//
// # Work unit
//
// A worker takes one top-level file and carries it all the way: store,
// sniff, extract, and into every member, depth first. When a helper slot
// is free, a stored member is extracted by a helper goroutine beside its
// container's other members, so one huge archive still uses every core;
// the container is recorded only after all its members. Memory stays
// bounded (members are streamed into the blob store, never held whole)
// and the container chain, depth and byte budgets live with the top-level
// file, so every limit lives here, in one place, and is counted once.
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
