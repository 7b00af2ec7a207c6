// Package chat reconstructs conversations from the chat material of a
// leak: line-based logs (plain text and Markdown exports, QQ 消息记录),
// JSON exports (message lists, JSON lines, XMPP-style dumps, Telegram
// Desktop result.json) and screenshots (tesseract TSV word boxes). It is
// pure computation: no store, no I/O beyond the reader it is given, no
// external programs; the pipeline runs OCR and hands the TSV in.
//
// # Conversation
//
// One chat as one source shows it: a group or a one-to-one thread, with its
// title, its participants as written and its messages in source order.
// The same real chat seen in an export and in a screenshot is two
// conversations; people.Resolve links their senders.
//
// # Message
//
// One message: time (with zone; timestamps without an offset are local
// time of Options.Zone, China Standard Time by default), sender and
// recipients as the source writes them, text, and where it came from
// (source path and position). System lines (joined, recalled/撤回) are kept
// with System set and are not counted as anyone's messages. Screenshot
// messages carry OCR, Confidence and Outgoing (drawn on the owner's side).
//
// # Shape detection
//
// Formats are detected, not configured. A line log is parsed with the one
// line shape that starts most lines in its head, so continuation lines of
// a multi-line message stay with it. JSON key names are detected per
// message among the common ones; Options.KeyMap adds others. JSON is
// streamed token by token (StreamJSON), so a 1 GB dump parses in bounded
// memory.
package chat
