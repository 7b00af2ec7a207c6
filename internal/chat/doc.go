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
// time of Options.Zone; the chats stage sets it from the case's chat_zone
// or the document's language, ZoneFor, and records which), sender and
// recipients as the source writes them, text, and where it came from
// (source path and position). System lines (joined, recalled/撤回) are kept
// with System set and are not counted as anyone's messages. Screenshot
// messages carry OCR, Confidence and Outgoing (drawn on the owner's side).
//
// # Shape detection
//
// Formats are detected, not configured. A line log is parsed with the one
// line shape that starts most of 500 lines sampled over the whole file,
// so continuation lines of a multi-line message stay with it; labelled
// blocks (Date:/From:/Message:) are their own shape. JSON key names are
// detected per message among the common ones, nested sender objects
// included (u.username, author.name with author.id); Options.KeyMap adds
// others, and Stats.Keys records what was chosen. JSON is streamed
// (ReadJSON), so a 1 GB dump parses in bounded memory. A line log is rejected when its parse has the shape of a log, a
// listing or a table rather than a conversation (looksLikeLog): senders
// that are sizes, file names, <DIR> tags, log levels or dates; messages
// that are nearly all empty; a new "sender" on nearly every line.
//
// # Screenshot layout
//
// With Screenshot.Image the parser reads the layout from the pixels
// (layout.go): bubbles are connected fills of a colour other than the
// window background, avatars squares at the window's edges; a bubble
// beside a left avatar is someone else's message, beside a right one the
// owner's. The whole-page TSV supplies the bubble text and the time
// banners. Screenshot.Recognise re-reads what that pass loses: the grey
// sender name strip above each left bubble, the title, the owner's avatar
// letter (Conversation.OwnerMark) and garbled bubbles. Bubbles beside the
// same avatar (same colour, same picture) are one person and share the
// most confident name read above any of them; names that read as one or
// two Latin letters, or as a short Latin word with less than 0.9
// confidence, are dropped (left for people.Resolve to fill) unless
// Screenshot.Known vouches for them. Without an image, or when the pixels
// show no avatar-flanked bubbles, the TSV alone is used.
//
// # Avatars
//
// Default avatars are a letter of the account's name on a colour, drawn
// the same in every screenshot of that account. The parser reads the
// letter of each distinct avatar once, as one character and as one word
// (tesseract's --psm 10 and 8 each misread letters the other reads), and
// takes a 16x16 ink mask of it. Bubbles share a name only when their
// avatars agree in colour, letter and mask (子 and 哥 on the same red are
// two people). Message.Avatar and Conversation.OwnerAvatar carry the
// letter, colour and mask, and SameAvatar compares them, so that
// people.Resolve can carry a person found beside one avatar to unread
// bubbles and unknown owners with the same avatar in other screenshots.
// Message.SenderConf keeps the confidence of a name read by OCR:
// people.Resolve makes a new person only of a confident one.
//
// # Degrade, never drop
//
// A JSON record that cannot be read costs that record only: the reader
// counts it (Stats.Skipped, by SkipReason) and resyncs at the next place
// a record can start, a '{' at the start of a line or after "},". In
// JSON lines (sniffLines) a record ends at its line. The chats stage
// stores the counts with the document and flags it
// chat-messages-skipped, which `status` and `errors` show.
//
// # JSON fast path
//
// ReadJSON finds where each record ends with a byte scanner (jsonscan.go)
// and decodes flat message objects without reflection; nested values go
// to encoding/json and values over 1 MB (a chat object with all its
// messages) are walked key by key from the stream by the same scanner,
// so memory stays bounded by 1 MB plus the largest message.
package chat
