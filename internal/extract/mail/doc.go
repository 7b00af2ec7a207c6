// Package mail reads e-mail: single RFC 5322 messages (.eml) and mbox
// mail boxes.
//
// # Message
//
// The text of a message is its decoded headers (From, To, Cc, Date,
// Subject, one per line) followed by a blank line and its body: the
// text/plain part, or, when a message has only HTML, the visible text of
// the text/html part. Headers in RFC 2047 encoded words and bodies in any
// charset the WHATWG encoding index knows (GBK, GB2312, GB18030, Big5,
// Shift_JIS, ISO-8859-x, windows-125x, UTF-16 ...) are decoded to UTF-8;
// an undeclared non-UTF-8 body is tried as GB18030, then made valid UTF-8
// with replacement characters. Metadata: from, to, cc, subject, date,
// message-id, charset.
//
// # Attachment
//
// Every part with a file name or an attachment disposition, every
// non-text inline part, and every message/rfc822 part becomes a child named
// by its decoded file name (RFC 2047 or RFC 2231), or "attachment-N"
// (1-based, in the order of the message) when it has none. The pipeline
// extracts a forwarded message/rfc822 child with this package again.
//
// # Mail box
//
// An mbox is split at "From " lines; each message is a child named by its
// 1-based number ("1", "2", ...), with mboxrd/mboxo ">From " quoting
// undone. A message's own attachments are found when the pipeline extracts
// that child as a message; the contract names them box.mbox!/<n>/<name>,
// so the pipeline must join a message child's members with MessageSep
// ("/") rather than "!/" (see MessageSep).
//
// # Outlook .msg
//
// Read by internal/extract/msg (an OLE compound file), which rewrites
// attached messages as .eml children so that this package reads them.
package mail
