// Package server is leakscope's HTTP side: a versioned JSON API under
// /api/v1/ and a web UI of server-rendered pages, both reading a case
// through one small interface, Backend.
//
// # Backend
//
// Everything the server shows comes from a Backend: search (the same
// function `leakscope search` calls), documents with their provenance,
// text and translation, entities, the target register, chats and blobs.
// The server never opens the case itself, so tests run it over an
// in-memory backend and the CLI over the SQLite case.
//
// # Drawings
//
// Charts, the world map, the timeline and both graphs are SVG rendered on
// the server from templates: no script library, nothing from a CDN. The
// world map is mapdata/world.json, made once by internal/mapgen from
// Natural Earth outlines (world-atlas, ISC; see mapdata/NOTICE) and
// embedded; countries are keyed by ISO 3166-1 alpha-2 like Target.Country.
// "Who targets what" links the senders of chat messages that name a
// target (found through Search) to the target.
//
// # Errors
//
// Handlers return errors; errors.go maps them to a status code in one
// place: ErrNotFound is 404, ErrInvalid and index.ErrBadQuery are 400,
// ErrUnauthorized 401, ErrForbidden 403, ErrMisdirected 421 (a foreign
// Host), ErrTooManyRequests 429 (a throttled login), ErrUnavailable 503
// (a missing renderer), anything else 500 with the
// detail only in the log. The API answers {"error": "..."}.
//
// # Security
//
// Leaked files are hostile. Every response carries a strict
// Content-Security-Policy with no inline script, nosniff and no referrer;
// leaked HTML is shown as text or inside an <iframe sandbox> without
// allow-scripts; originals are served as attachments, except images of a
// sniffed image type, which are shown. The server binds 127.0.0.1 unless
// told otherwise and refuses any address but 127.0.0.1, ::1 and localhost
// without users or tokens (NeedsAuth). Every request must name the server
// in its Host header (421 otherwise, against DNS rebinding); every
// state-changing one must come from its own origin (Sec-Fetch-Site,
// Origin) and carry a CSRF token. A login is a random ID in a server-side
// session table, so logout ends it; failed logins are throttled per
// address and per user name (LoginLimits). Every search and view is
// written to the audit log.
package server
