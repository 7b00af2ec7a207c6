// Package caseview is the case as the web server sees it: it implements
// server.Backend over a real case directory, reading the SQLite store
// (documents, occurrences, text, translations, entities), the blob store
// (originals), the full-text index (search) and the case-wide analyses of
// internal/enrich (the target register and the reconstructed chats).
//
// # Why a package of its own
//
// The server knows nothing of SQLite, Bleve or the analyses, so that it can
// be tested against an in-memory backend and served from another store
// later; the store and the analyses know nothing of HTTP. This package is
// the one place where the two vocabularies meet: it turns store rows into
// the server's Document, Text, Target and Conversation, resolves evidence
// paths to document IDs for links, and maps store.ErrNotFound to
// server.ErrNotFound.
//
// # Caching
//
// The analyses are recomputed by enrich only when the case's generation
// changes (a new ingest); the views built from them here (targets with
// resolved evidence links, chats, stats) are cached for the same
// generation, so a page load does not re-read and re-convert them.
// Message translations are memoised per conversation behind the
// translator's own cache.
//
// # Page previews
//
// Preview renders one page of a PDF with poppler's pdftoppm (through
// internal/tool: a timeout, an output cap, at most two at once, a capped
// render area) from the blob store, and caches the PNG as
// previews/<sha256>-<page>.png in the case directory, written through an
// os.Root. Only the PNG ever reaches the browser.
package caseview
