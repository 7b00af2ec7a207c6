// Package pinyin gives the Mandarin readings of single Chinese characters,
// tones stripped, so that chat people resolution can tell that an account
// handle such as majun_0x or sujy_data is spelled from the name 马俊 or
// 苏静怡.
//
// # Readings
//
// A reading is the lowercase toneless pinyin of one character ("jun").
// Polyphonic characters keep every reading (单: dan, shan, chan), because
// a handle is spelled from whichever one the person uses and a missed
// reading would keep two accounts of one human apart. ü is given both as
// "v" and "u" (吕: lv, lu), the two spellings handles use.
//
// # Sources
//
// Readings come from CC-CEDICT (cedict_ts.u8), found where the gloss
// translator finds it (gloss.CedictPaths: $LEAKSCOPE_CEDICT, then the
// leakscope data directory) and read once, lazily, on the first lookup:
// only its single-character entries are kept. An embedded table of common
// Chinese surnames with their surname readings (单 as shan, 曾 as zeng,
// 区 as ou) is always present, so surnames resolve even without the
// dictionary, and a surname is spelled the way names spell it rather than
// by its everyday reading.
package pinyin
