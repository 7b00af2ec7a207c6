// Package volume detects data volumes: sizes in bytes (5.49G, 95GB,
// 1.2 TB, 300M, 5个G) and record counts (186万条, 1.2亿条, 3 million
// records).
//
// # Units
//
// Leaks and the people who write them use G, GB and GiB interchangeably for
// 1024^3 bytes (a "95.2G" folder is what a file manager shows), so every
// unit is read as binary: K = 2^10, M = 2^20, G = 2^30, T = 2^40, P = 2^50.
// Norm is "bytes:<n>" (n rounded down) or "records:<n>". A consumer that
// wants the decimal reading can recompute it from the written Value.
//
// # False positives
//
// "5G" and "4G" the network generations are not volumes when followed by a
// word about networks or phones; bandwidths (100Mbps, 10 Gb/s) are not
// volumes; a number glued to a letter, a dash or a colon before it (v2.3G,
// 2021-06-03T10) is not one either.
package volume

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Detector finds volumes. It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindVolume} }

// Reach implements entity.DigitAnchored: every match holds a digit and
// its unit, currency or date words lie within a few dozen bytes of it.
func (Detector) Reach() int { return 96 }

var _ entity.DigitAnchored = Detector{}

// Keywords implements entity.Detector.
func (Detector) Keywords() []string {
	return []string{"k", "m", "g", "t", "p", "条", "record", "row", "entr", "万", "亿", "million", "billion"}
}

var (
	sizeRE = entity.MustPattern(`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(?:个\s?)?((?i:[KMGTP]i?B)|[KMGTP]|(?:[kmgt]b))`)
	// recordWordsRE reads a count with a scale word and up to two words
	// before the unit: "1.2 million call records".
	recordWordsRE = entity.MustPattern(`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?((?i:thousand|million|mn|billion|bn))\s(?:[a-z]+[ -]){1,2}((?i:records|rows|entries|accounts|users|subscribers|customers))\b`)
	recordRE      = entity.MustPattern(`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(万|亿|千万|百万|(?i:k|thousand|million|mn|billion|bn))?\s?(?:余|多)?\s?(条|(?i:records|rows|entries|accounts|users|lines))`)
)

var mult = map[byte]float64{'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40, 'P': 1 << 50}

var scale = map[string]float64{
	"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6,
	"k": 1e3, "thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
}

// Detect implements entity.Detector.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	for _, m := range sizeRE.FindAllSubmatchIndex(text) {
		s, e := m[0], m[1]
		if !startOK(text, s) || !endOK(text, e) {
			continue
		}
		unit := strings.ToUpper(string(text[m[6]:m[7]]))
		num := number(text, m)
		if unit == "G" && m[4] < 0 && num >= 2 && num <= 6 && networkAfter(text[e:]) {
			continue
		}
		n := num * mult[unit[0]]
		if n < 1 || n > 1<<62 {
			continue
		}
		emit(entity.Match{Kind: leak.KindVolume, Value: string(text[s:e]), Norm: "bytes:" + strconv.FormatInt(int64(n), 10), Start: s, End: e})
	}
	for _, m := range append(recordRE.FindAllSubmatchIndex(text), recordWordsRE.FindAllSubmatchIndex(text)...) {
		s, e := m[0], m[1]
		if !startOK(text, s) || !endOK(text, e) {
			continue
		}
		n := number(text, m)
		if m[6] >= 0 {
			n *= scale[strings.ToLower(string(text[m[6]:m[7]]))]
		}
		n = math.Round(n)
		if n < 1 || n > 1e15 {
			continue
		}
		emit(entity.Match{Kind: leak.KindVolume, Value: string(text[s:e]), Norm: "records:" + strconv.FormatInt(int64(n), 10), Start: s, End: e})
	}
}

// number parses the integer (group 1) and fraction (group 2) of a match.
func number(text []byte, m []int) float64 {
	s := strings.ReplaceAll(string(text[m[2]:m[3]]), ",", "")
	if m[4] >= 0 {
		s += "." + string(text[m[4]:m[5]])
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func startOK(text []byte, s int) bool {
	if s == 0 {
		return true
	}
	c := text[s-1]
	return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == ':' || c == '_' || c == '/')
}

func endOK(text []byte, e int) bool {
	if e >= len(text) {
		return true
	}
	c := text[e]
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
		return false
	}
	// 10 Gb/s, 100M/s
	return !(c == '/' && e+1 < len(text) && (text[e+1] == 's' || text[e+1] == 'S'))
}

// networkAfter reports whether the text after a bare "5G" talks about
// networks rather than data.
func networkAfter(rest []byte) bool {
	for _, w := range []string{"网络", "基站", "手机", "信号", "时代", "技术", "网", "套餐", "network", " network", " phone"} {
		if strings.HasPrefix(string(rest[:min(len(rest), 16)]), w) {
			return true
		}
	}
	r, _ := utf8.DecodeRune(rest)
	return r == '网'
}
