// Package archive reads container formats one level deep: zip, tar,
// gzip/bzip2/xz (with a tar inside read as the tar itself), 7z and rar.
// Each extractor hands the members it finds to extract.Sink.Child and never
// writes them anywhere itself: the pipeline stores content by hash, so a
// hostile member name cannot place a file (no zip slip by construction).
//
// # Member
//
// A regular file of the container, handed over as an extract.Child with its
// name exactly as the container spells it, its declared size and time.
// Directories are not members: they carry no content, and a file's path
// already names its directories. Special files (devices, fifos) are skipped.
//
// # Link
//
// A symbolic or hard link member becomes a Child with Link set to its
// target and no reader; it is never followed. The container is flagged
// "symlink" (and "hardlink" for hard links), and "symlink-escape" when a
// target is absolute or climbs out of the archive root with "..". A later
// member whose path runs through a link member ("out -> /tmp" then
// "out/x.txt") carries the child flag "through-symlink", because a naive
// extractor would have written it outside its directory.
//
// # Hostile names
//
// A name with a ".." component, an absolute name ("/x", "C:\x", "\\x"),
// or ".." between backslashes flags the container "path-traversal" and the
// child too. The name is still reported as written: the pipeline keeps it
// byte-exact as the occurrence path and must never use it as a file path.
//
// # Name encoding
//
// Zip names without the UTF-8 flag are in an unspecified code page, which
// for Chinese leaks is GBK in practice. A name that is not valid UTF-8 is
// decoded as GB18030 (a superset of GBK and GB2312) when that decoding
// round-trips to exactly the same bytes, and the child is flagged
// "name-gb18030": the original bytes are recoverable by encoding the name
// back, so nothing is lost, and the path becomes readable and valid UTF-8.
// A name that does not round-trip is kept as raw bytes and flagged
// "name-not-utf8". The Info-ZIP Unicode Path extra field, when present and
// matching the name's CRC, wins over both. The same rule applies to tar and
// rar names; 7z names are UTF-16 and always decode.
//
// # Damage
//
// A zip whose central directory is missing or unreadable (cut short, as
// leaks often are) is salvaged by walking its local file headers; the
// container is flagged "truncated" (no end of central directory) or
// "corrupt", and Extract returns an error describing the damage after the
// salvaged members were handed over. A stream cut short mid-member flags
// "truncated"; a checksum mismatch flags "corrupt". A member's read error
// is returned by its reader to the sink, so the pipeline decides what to
// keep of a partial member. Encrypted members are flagged "encrypted" and
// skipped.
//
// # Limits
//
// Entry counts, sizes, expansion ratios and depth are the pipeline's: it
// counts what the readers yield and returns a *extract.LimitError from
// Child, on which every extractor here stops and returns that error. The
// extractors bound only what they allocate themselves: a link target or a
// decompression dictionary.
package archive
