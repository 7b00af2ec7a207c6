package ioc

import (
	"strings"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Hashes finds MD5, SHA-1 and SHA-256 digests written in hex: a run of
// exactly 32, 40 or 64 hex digits that is not part of a longer word (so a
// 64-digit run is never read as two MD5s, and 0x-prefixed Ethereum
// addresses are not SHA-1s), with at least one digit and one letter. Norm is
// lower case. It is pure and safe for concurrent use.
type Hashes struct{}

var _ entity.Detector = Hashes{}

// Kinds implements entity.Detector.
func (Hashes) Kinds() []leak.Kind { return []leak.Kind{leak.KindMD5, leak.KindSHA1, leak.KindSHA256} }

// Keywords implements entity.Detector.
func (Hashes) Keywords() []string { return nil }

// Detect implements entity.Detector.
func (Hashes) Detect(text []byte, emit func(entity.Match)) {
	for i := 0; i < len(text); {
		if !isHex(text[i]) {
			i++
			continue
		}
		j := i
		digits, letters := 0, 0
		for j < len(text) && isHex(text[j]) {
			if isDigit(text[j]) {
				digits++
			} else {
				letters++
			}
			j++
		}
		before := i > 0 && (isAlnum(text[i-1]) || text[i-1] == '_')
		after := j < len(text) && (isAlnum(text[j]) || text[j] == '_')
		if !before && !after && digits > 0 && letters > 0 {
			var k leak.Kind
			switch j - i {
			case 32:
				k = leak.KindMD5
			case 40:
				k = leak.KindSHA1
			case 64:
				k = leak.KindSHA256
			}
			if k != "" && !mixedCase(text[i:j]) {
				v := string(text[i:j])
				emit(entity.Match{Kind: k, Value: v, Norm: strings.ToLower(v), Start: i, End: j})
			}
		}
		// Skip the rest of the word.
		for j < len(text) && (isAlnum(text[j]) || text[j] == '_') {
			j++
		}
		i = j
	}
}

// mixedCase reports whether s has both lower- and upper-case letters, which
// hex digests never do and base64 or identifiers often do.
func mixedCase(s []byte) bool {
	lo, up := false, false
	for _, c := range s {
		lo = lo || 'a' <= c && c <= 'f'
		up = up || 'A' <= c && c <= 'F'
	}
	return lo && up
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// CVE finds CVE identifiers (CVE-2021-44228, cve-2017-11882). Norm is upper
// case. It is pure and safe for concurrent use.
type CVE struct{}

var _ entity.Detector = CVE{}

// Kinds implements entity.Detector.
func (CVE) Kinds() []leak.Kind { return []leak.Kind{leak.KindCVE} }

// Keywords implements entity.Detector.
func (CVE) Keywords() []string { return []string{"cve"} }

// Detect implements entity.Detector.
func (CVE) Detect(text []byte, emit func(entity.Match)) {
	for i := 0; i+13 <= len(text); i++ {
		c := text[i]
		if c != 'c' && c != 'C' {
			continue
		}
		if i > 0 && isAlnum(text[i-1]) || !strings.EqualFold(string(text[i:i+4]), "cve-") {
			continue
		}
		j := i + 4
		y := j
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-y != 4 || j >= len(text) || text[j] != '-' {
			continue
		}
		j++
		n := j
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-n < 4 || j-n > 7 || j < len(text) && isAlnum(text[j]) {
			continue
		}
		v := string(text[i:j])
		emit(entity.Match{Kind: leak.KindCVE, Value: v, Norm: strings.ToUpper(v), Start: i, End: j})
		i = j - 1
	}
}
