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
// # Graph
//
// Edges count messages from a sender to a recipient. In a group chat the
// recipient is the group ("#" + title), not each member: one message is
// one edge, and the graph shows who is active where without inflating the
// weight of large groups.
package people
