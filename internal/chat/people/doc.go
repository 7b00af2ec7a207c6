// Package people resolves the sender and recipient strings of chat
// conversations to persons, one per human across sources, and derives the
// per-person statistics, the who-talks-to-whom graph, per-conversation
// timelines and the `chats` JSON of the contract.
//
// # Directory
//
// Evidence about people found inside the leak itself: a staff directory
// spreadsheet (DirectoryFromTable reads it from the extracted text, one row
// per line, tab-separated cells), signatures added with Directory.Add. It
// is never taken from outside the leak.
//
// # Person
//
// One human: a real name when any source gives one, and every alias seen
// (nicknames, handles, e-mail addresses). Rules are conservative: an alias
// joins a person only when exactly one person fits it.
//
// # Pinyin handles
//
// Leaks mix sources that name one human differently: a text log writes
// 马俊, a JSON export the account majun_0x. Once the text and JSON sources
// are read, a person known only by a Latin handle joins the one person
// with a Chinese name whose pinyin the handle's leading letters spell
// (after wxid_ and similar prefixes, before digits and _data-like
// suffixes): in full (majun), surname plus given initials (sujy, luoxm),
// all initials (hlw) or given name first (junma), over every reading of
// polyphonic characters. It joins only when exactly one named person
// fits, the handle has no Chinese alias already, and the two never spoke
// in the same conversation. Readings come from the Pinyin hook
// (package pinyin by default: CC-CEDICT plus a surname table).
//
// # OCR names
//
// A sender name read from a screenshot (chat.Message.SenderConf > 0) is
// matched to the persons known from the directory and from text and JSON
// sources: exactly, by the nickname rules, or within OCR distance (one
// edit in three characters, confusable Latin glyphs at half an edit, one
// candidate ahead of the next by a whole edit). Only a confidently read
// name that matches no one becomes a new person; a doubtful one is left
// unattributed rather than invented (tesseract reads 磊子 as 重子). Unread
// senders and owners are then filled from cross-source evidence: the same
// message text on the same day, the same avatar beside a known person in
// another screenshot, and in one-to-one chats the one partner the known
// side has in a text or JSON chat active around the screenshot's date.
//
// # Graph
//
// Edges count messages from a sender to a recipient. In a group chat the
// recipient is the group ("#" + title), not each member: one message is
// one edge, and the graph shows who is active where without inflating the
// weight of large groups.
package people
