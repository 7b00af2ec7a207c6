// Package msg reads Outlook .msg files: a MAPI message saved as an OLE
// compound file (MS-OXMSG), read with internal/ole without any external
// tool.
//
// # Message
//
// A message is a storage whose properties live in streams named
// __substg1.0_IIIITTTT (property id, type: 001F UTF-16, 001E 8-bit in the
// message's code page, 0102 binary) and, for fixed-size values such as the
// submit time, in the __properties_version1.0 stream. The text has the
// shape the mail extractor gives an .eml: From, To, Cc, Bcc, Date, Subject
// (one per line, only those present), a blank line, then the body: the
// plain body (PidTagBody), else the visible text of the HTML body, else
// the text of the compressed RTF body. Contacts, tasks and appointments add
// "Label: value" lines (name, company, phones ...) before the body.
// Metadata: from, to, cc, bcc, subject, date (RFC 1123 with zone, like a
// mail Date header), message-id, message-class.
//
// # Recipient
//
// A __recip_version1.0_#N storage. To, Cc and Bcc are built from the
// recipients ("Name <smtp address>") when there are any, and from the
// display lists otherwise; the transport headers fill what is missing.
//
// # Attachment
//
// An __attach_version1.0_#N storage. Its bytes become a child named by
// its long file name, short file name or display name ("attachment-N"
// when it has none). An attached message (an embedded storage) is
// rewritten as a MIME message named "<name>.eml", its own attachments as
// base64 parts, so that the pipeline reads it with the mail extractor; the
// rewrite is bounded (embedBudget) because a hostile file may point many
// attachments at one sector chain. OLE objects pasted into a mail are not
// rebuilt; the message is flagged "embedded-object".
//
// # Flags
//
// "corrupt" when a table or property could not be read in full (what was
// read is still used), "encrypted" for an S/MIME encrypted message.
package msg
