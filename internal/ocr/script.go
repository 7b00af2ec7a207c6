package ocr

import (
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Script counts what a first pass recognised, to choose the next pass.
type Script struct {
	Han      int // Han characters
	Latin    int // ASCII letters
	TradOnly int // Han characters in Big5 but not in GB2312: traditional forms
	SimpOnly int // Han characters in GB2312 but not in Big5: simplified forms
}

// CountScript classifies the runes of s. A character that only Big5 can
// encode is a traditional form (們 這 資), one that only GB2312 can encode
// is a simplified form (们 这 资); characters common to both (的 是 个) say
// nothing. The two legacy character sets stand in for a conversion table.
func CountScript(s string) Script {
	var sc Script
	gb := simplifiedchinese.HZGB2312.NewEncoder()
	big5 := traditionalchinese.Big5.NewEncoder()
	for _, r := range s {
		switch {
		case r < 0x80 && unicode.IsLetter(r):
			sc.Latin++
		case unicode.Is(unicode.Han, r):
			sc.Han++
			_, e1 := gb.String(string(r))
			_, e2 := big5.String(string(r))
			switch {
			case e1 != nil && e2 == nil:
				sc.TradOnly++
			case e1 == nil && e2 != nil:
				sc.SimpOnly++
			}
		}
	}
	return sc
}

// TradShare is the share of traditional forms among the characters that
// tell the scripts apart, 0 when none do.
func (sc Script) TradShare() float64 {
	if sc.TradOnly+sc.SimpOnly == 0 {
		return 0
	}
	return float64(sc.TradOnly) / float64(sc.TradOnly+sc.SimpOnly)
}

// HanShare is the share of Han characters among Han and Latin letters.
func (sc Script) HanShare() float64 {
	if sc.Han+sc.Latin == 0 {
		return 0
	}
	return float64(sc.Han) / float64(sc.Han+sc.Latin)
}

// GluedLatin counts Latin tokens of 16 or more letters in s: English words
// run together, which tesseract's Chinese models produce by dropping the
// spaces between English words. Word search has to tolerate them; the text
// is kept as recognised and the count reported.
func GluedLatin(s string) int {
	n, run := 0, 0
	for _, r := range s + " " {
		if r < 0x80 && unicode.IsLetter(r) {
			run++
			continue
		}
		if run >= 16 {
			n++
		}
		run = 0
	}
	return n
}
