package ocreval

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Score compares recognised text with the truth, ignoring whitespace.
type Score struct {
	Truth  int     // runes of the truth, whitespace removed
	Recall float64 // longest common subsequence / Truth
	CER    float64 // Levenshtein distance / Truth
	// RawRecall is Recall without NFKC folding: full-width punctuation in
	// the truth (：，（）) against tesseract's ASCII (:,()) counts as a miss.
	RawRecall float64
}

// Compare scores got against want, both with whitespace removed and
// NFKC-folded (full-width and half-width forms are one character: a search
// index folds them the same way).
func Compare(want, got string) Score {
	rw := strip(want)
	w, g := strip(norm.NFKC.String(want)), strip(norm.NFKC.String(got))
	s := Score{Truth: len(w)}
	if len(w) == 0 || len(rw) == 0 {
		return s
	}
	s.RawRecall = float64(lcs(rw, strip(got))) / float64(len(rw))
	s.Recall = float64(lcs(w, g)) / float64(len(w))
	s.CER = float64(levenshtein(w, g)) / float64(len(w))
	return s
}

func strip(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

func lcs(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
