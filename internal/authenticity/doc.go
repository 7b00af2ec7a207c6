// Package authenticity reads what a case stores (document metadata, file
// times, git commit times, chat message times, entities, blob hashes) and
// reports evidence for and against the claim that a leak is what it says
// it is. It never recomputes an analysis and never reads the original
// dump: a report built twice from the same case is the same report.
//
// # Claims
//
// A Claim is one time a document states about itself: its created or
// modified property, an EXIF time, a mail Date header, the time of the git
// commit a file came from, a file time of an occurrence, or the time of a
// chat message. A claim keeps the raw value and whether the value named a
// zone: "2021-03-04T10:00:00+08:00" does, EXIF "2021:03:04 10:00:00" does
// not. Distributions by hour and weekday are counted in the zone the claim
// itself states; claims that state none are counted as written (wall
// clock), and file and commit times, which are stored as instants, in the
// case's dominant zone, said so in the output.
//
// # Rules
//
// A Rule is a named check over one document (or one document and its
// container) that yields Findings. Each finding carries its Evidence: the
// document ID, its path and the values compared, so that an analyst can
// reproduce it by hand. Thresholds live in Params.
//
// # Producers
//
// A Producer is an authoring tool (a PDF producer, an Office application,
// a camera model or its firmware) named in metadata. The embedded table
// producers.tsv gives release dates with their sources; a document dated
// before the release of the tool that wrote it is flagged.
//
// # Manifest
//
// A Manifest lists every occurrence (file and container member) with the
// sha256, size, time and provenance of its content, signed with an
// ed25519 key the analyst holds. Verify checks the signature and re-hashes
// every blob of the case, so one changed byte in any stored file is found.
//
// # Caveats
//
// The report states what these checks cannot show: consistent metadata is
// easy to forge, and a forger who knows these rules can satisfy them.
package authenticity
