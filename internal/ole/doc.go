// Package ole reads OLE2 compound files (Microsoft's Compound File Binary
// format, MS-CFB) and the property sets stored in them (MS-OLEPS): the
// container of Word .doc, Excel .xls, PowerPoint .ppt, Outlook .msg and
// password-protected Office 2007+ files. It is pure Go so that metadata and
// mail can be read without a child process, and it is bounded so that a
// hostile file costs little.
//
// # Compound file
//
// A File is a small file system inside one file: fixed-size sectors, a
// FAT linking the sectors of each stream into a chain, a DIFAT listing
// the FAT's own sectors, and a mini FAT for streams under 4096 bytes,
// which live in 64-byte mini sectors inside one "mini stream".
//
// # Entry
//
// A directory entry: a storage (a folder) or a stream (a file). The
// entries of one storage form a red-black tree; Children lists them in
// tree order.
//
// # Property set
//
// A stream such as "\x05SummaryInformation" holding typed values keyed by
// number: title, author, creation time. Strings are either UTF-16 or in the
// set's code page (1252, 936 GBK, 950 Big5 ...), decoded to UTF-8 here.
// Summary gathers the standard ones and Summary.Meta names them with the
// metadata keys the extractors share (title, author, created ...).
//
// # Hostile input
//
// Every chain walk stops at a revisited sector (ErrLoop), at a sector
// past the end of the file (ErrTruncated) or at the length the declared
// size needs. Tables are sized by the file, never by header fields: a
// header claiming four billion FAT sectors reads only the sectors the file
// holds. ReadStream refuses streams over Limits.MaxStream (ErrTooLarge);
// Stream reads larger ones incrementally. Damaged tables are read as far
// as they go and reported through File.Damaged.
package ole
