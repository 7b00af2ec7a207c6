// Package pst extracts Outlook personal folders files (PST and OST, ANSI
// and Unicode) with readpst from Debian's pst-utils (libpst 0.6.76), run
// as a child process by internal/tool with Limits.ToolTimeout: there is no
// maintained pure-Go reader, and libpst reads the files Outlook 2003 to
// 365 write.
//
// # Mailbox
//
// The document's text lists the folders with their message counts
// ("Acme Telecom/Inbox (12)"), so that a search for a folder name finds the
// mailbox. Metadata: messages, folders.
//
// # Message
//
// readpst -e writes each message as a MIME file with its attachments
// inline; each becomes a child named "<folder path>/<n>", the number
// readpst gave it in its folder, so that an attachment is
// "box.pst!/Inbox/3!/report.pdf". Deleted items still in the file are
// included (-D): in a leak they are often what matters. Contacts and
// appointments keep readpst's extension (".vcf", ".ics").
//
// # Bounds
//
// At most Limits.MaxEntries messages, and at most Limits.MaxExpanded bytes
// written by readpst, are accepted; past either the extraction fails with
// a *extract.LimitError. readpst runs in the private temporary directory,
// which the pipeline removes afterwards.
//
// # Setup
//
// apt-get install pst-utils. Without it every PST fails with
// tool.ErrMissing.
package pst
