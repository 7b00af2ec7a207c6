// Package charset finds the character encoding of text bytes and converts
// them to UTF-8. Leaked files come from Windows machines in China, Taiwan,
// Japan, Korea and Russia, and almost none of them say what encoding they
// are in; a wrong guess makes every downstream stage (search, translation,
// entities) blind, so the guess is scored rather than assumed.
//
// # Name
//
// The stored name of an encoding, recorded as the "charset" metadata of a
// document. Names are lower case and never change: utf-8, utf-8-bom,
// utf-16le, utf-16be, gbk, gb18030, big5, shift_jis, euc-jp, euc-kr,
// koi8-r and windows-1250 to windows-1258. "gbk" is reported when the bytes
// use only the two-byte GBK range (GB2312 text is GBK); "gb18030" when a
// four-byte GB18030 sequence occurs. Both decode with the GB18030 decoder,
// a superset. ISO-8859-1 is reported as windows-1252, as the WHATWG
// Encoding Standard does: the two differ only in 0x80-0x9F, where
// ISO-8859-1 has control characters that never occur in real text.
//
// # Detection
//
// A byte-order mark decides at once. Without one: NUL bytes at every other
// position mean UTF-16 without a BOM; bytes that are valid UTF-8 are UTF-8
// (pure ASCII included). Otherwise every candidate encoding decodes a
// sample and is scored per non-ASCII byte: a frequent Han character (from
// frequency tables of simplified and traditional Chinese, see
// gen_freq.go), kana, a frequent Hangul syllable or a letter of the code
// page's own script scores positively; undecodable bytes, private-use
// characters and implausible letter patterns score negatively. The best
// score wins, ties going to the more common encoding. GBK and Big5 share
// most of their byte ranges, so each decodes the other "validly": what
// tells them apart is that the wrong one yields rare characters, kana and
// decode errors on the 0x40-0x7E trail bytes only Big5 uses.
//
// # Streaming
//
// NewReader detects on a prefix (64 KiB, widened to 1 MiB while it is
// pure ASCII) and then converts the rest as a stream, so a file of
// hundreds of megabytes needs no more memory than the caller's buffer.
// Output is always valid UTF-8: undecodable bytes become U+FFFD.
//
// BOM-less UTF-16 of CJK-only text (no NUL bytes) is not detected; it is
// rare outside of memory dumps.
package charset
