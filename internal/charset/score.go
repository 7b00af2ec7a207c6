package charset

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// family tells how a candidate's decoded characters are judged.
type family int

const (
	famGB family = iota
	famBig5
	famJapanese
	famKorean
	famLatin
	famCyrillic
	famGreek
	famHebrew
	famArabic
)

type candidate struct {
	name string
	enc  encoding.Encoding
	fam  family
}

// candidates in order of preference: on equal scores the earlier wins, so
// the encodings most common in leaks come first.
var candidates = []candidate{
	{GB18030, simplifiedchinese.GB18030, famGB},
	{Big5, traditionalchinese.Big5, famBig5},
	{ShiftJIS, japanese.ShiftJIS, famJapanese},
	{EUCKR, korean.EUCKR, famKorean},
	{EUCJP, japanese.EUCJP, famJapanese},
	{Windows1252, charmap.Windows1252, famLatin},
	{Windows1251, charmap.Windows1251, famCyrillic},
	{Windows1250, charmap.Windows1250, famLatin},
	{KOI8R, charmap.KOI8R, famCyrillic},
	{Windows1253, charmap.Windows1253, famGreek},
	{Windows1254, charmap.Windows1254, famLatin},
	{Windows1256, charmap.Windows1256, famArabic},
	{Windows1255, charmap.Windows1255, famHebrew},
	{Windows1257, charmap.Windows1257, famLatin},
	{Windows1258, charmap.Windows1258, famLatin},
}

// Han frequency ranks, indexed by rune-0x4E00; 0 means not among the
// frequent characters, otherwise rank+1.
const hanBase, hanEnd = 0x4e00, 0xa000

var (
	simpRank [hanEnd - hanBase]uint16
	tradRank [hanEnd - hanBase]uint16
	hangul   = map[rune]bool{}
)

// commonHangul lists frequent Hangul syllables of modern Korean prose.
const commonHangul = "이다는의에하고가을를한지서기로사도자리아수대어들인시나정해게있것으부보주요우그면일전적니과" +
	"상위제성내구장라만무원국실여동했오생미개소비방없화마연관신경중세러되학물문와야스트드공때할년월날" +
	"분모저후점회데까안말및더통업용결발행금간명민입출식선반합현계당체추차단종본새속료변심음처치품편감" +
	"강건격견교권규근급능담독득등람량력련령록류른립많망매며목받배번법별병복봉불산살색석설섭습승신씨" +
	"악약양언역영예완왕외운움웠육은응작잘재절조좋준증직진질집책청최축친침케크타태터토투특파판팔평포" +
	"표프피필함향허험형호활황효히였겠죠네께님씀까요면서라고려져워봤었알래왜누군거예쁘빠른"

func init() {
	fill := func(t *[hanEnd - hanBase]uint16, s string) {
		i := 0
		for _, r := range s {
			if r >= hanBase && r < hanEnd && t[r-hanBase] == 0 {
				i++
				t[r-hanBase] = uint16(i)
			}
		}
	}
	fill(&simpRank, commonSimplified)
	fill(&tradRank, commonTraditional)
	for _, r := range commonHangul {
		hangul[r] = true
	}
}

// bestGuess scores every candidate on sample and returns the best name.
func bestGuess(sample []byte) string {
	// Drop a trailing partial line so that a cut multi-byte character does
	// not count as a decode error; keep everything if there is one line.
	if len(sample) == SampleSize {
		if i := bytes.LastIndexByte(sample, '\n'); i > len(sample)/2 {
			sample = sample[:i+1]
		}
	}
	high := 0
	for _, c := range sample {
		if c >= 0x80 {
			high++
		}
	}
	if high == 0 {
		return UTF8
	}
	best, bestScore := Windows1252, -1e18
	for _, c := range candidates {
		dec, _ := c.enc.NewDecoder().Bytes(sample)
		s := score(dec, c.fam) / float64(high)
		if s > bestScore {
			best, bestScore = c.name, s
		}
	}
	if best == GB18030 && !hasFourByteGB(sample) {
		return GBK
	}
	return best
}

// hasFourByteGB reports a GB18030 four-byte sequence: lead 0x81-0xFE, then
// a digit, a lead-range byte and a digit. GBK never has a digit second byte.
func hasFourByteGB(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x81 || c == 0xff {
			continue
		}
		if i+3 < len(b) && b[i+1] >= 0x30 && b[i+1] <= 0x39 &&
			b[i+2] >= 0x81 && b[i+2] <= 0xfe && b[i+3] >= 0x30 && b[i+3] <= 0x39 {
			return true
		}
		i++ // skip the trail byte of a two-byte character
	}
	return false
}

// score sums the plausibility of the non-ASCII characters of decoded text
// for a candidate family. A perfect text scores about one per source byte.
func score(text []byte, fam family) float64 {
	var total float64
	var prev rune = ' '
	run := 0 // length of the current run of non-ASCII letters
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		next := rune(' ')
		if i < len(text) {
			next, _ = utf8.DecodeRune(text[i:])
		}
		if r < 0x80 {
			prev, run = r, 0
			continue
		}
		if fam <= famKorean {
			total += scoreCJK(r, fam)
		} else {
			if unicode.IsLetter(r) {
				run++
			} else {
				run = 0
			}
			total += scoreSingle(r, prev, next, run, fam)
		}
		prev = r
	}
	return total
}

func hanWeight(rank uint16) float64 {
	switch {
	case rank == 0:
		return 0
	case rank <= 500:
		return 2
	default:
		return 1.2
	}
}

func scoreCJK(r rune, fam family) float64 {
	switch {
	case r == utf8.RuneError:
		return -6
	case r >= 0xe000 && r <= 0xf8ff: // private use: user-defined GBK/Big5 areas
		return -6
	case r >= hanBase && r < hanEnd:
		s, t := simpRank[r-hanBase], tradRank[r-hanBase]
		switch fam {
		case famGB:
			if s == 0 && t != 0 {
				return 0.5 // traditional text written in GBK
			}
			return hanWeight(s)
		case famBig5:
			return hanWeight(t)
		case famKorean: // Hanja are rare in modern Korean
			if s != 0 || t != 0 {
				return 0.5
			}
			return -0.5
		default:
			return max(hanWeight(s), hanWeight(t))
		}
	case r >= 0x3400 && r < 0x4dc0: // CJK extension A: rare everywhere
		return -1
	case r >= 0x3040 && r <= 0x30ff: // kana
		if fam == famJapanese {
			return 2
		}
		return -1
	case r >= 0xac00 && r <= 0xd7a3:
		if fam == famKorean && hangul[r] {
			return 2
		}
		return 0
	case r >= 0x3000 && r <= 0x303f, r >= 0xff01 && r <= 0xff5e:
		return 1.5 // CJK punctuation and full-width forms
	case r >= 0xff61 && r <= 0xff9f: // half-width katakana
		return -1
	case r >= 0x0370 && r <= 0x04ff: // Greek and Cyrillic rows of CJK sets
		return -0.5
	}
	return 0
}

func scoreSingle(r, prev, next rune, run int, fam family) float64 {
	if r == utf8.RuneError || unicode.IsControl(r) {
		return -3
	}
	if !unicode.IsLetter(r) {
		typographic := (r >= 0x2010 && r <= 0x2027) || r == '«' || r == '»' || r == '°' || r == '€' ||
			r == '©' || r == '®' || r == '™' || r == '§' || r == '±' || r == '·' || r == '№' || r == 0xa0
		between := unicode.IsLetter(prev) && unicode.IsLetter(next)
		switch {
		case typographic && !between:
			return 0.3
		case between:
			return -1
		case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsNumber(r):
			return -0.5
		}
		return 0
	}
	var home *unicode.RangeTable
	switch fam {
	case famLatin:
		home = unicode.Latin
	case famCyrillic:
		home = unicode.Cyrillic
	case famGreek:
		home = unicode.Greek
	case famHebrew:
		home = unicode.Hebrew
	case famArabic:
		home = unicode.Arabic
	}
	if !unicode.Is(home, r) {
		return -0.5
	}
	if fam == famLatin {
		// Accented letters in Latin scripts are islands among ASCII ones.
		switch {
		case run >= 3:
			return -1
		case run == 2:
			return 0.3
		}
		return 1
	}
	if run > 15 { // longer than any word: text without spaces (CJK)
		return -1
	}
	if isASCIILetter(prev) || isASCIILetter(next) {
		return -1 // a Cyrillic or Greek letter inside a Latin word
	}
	if fam == famCyrillic || fam == famGreek {
		if unicode.IsUpper(r) {
			if unicode.IsLower(prev) {
				return -1 // "пРИВЕТ": case pattern of the wrong code page
			}
			return 0.5
		}
		return 1
	}
	return 1
}

func isASCIILetter(r rune) bool { return r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z') }
