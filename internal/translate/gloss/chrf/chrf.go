// Package chrf scores translations against references with chrF, the
// character n-gram F-score of Popović (2015), computed as sacrebleu's chrF
// does by default: character n-grams of orders 1 to 6, whitespace removed,
// case kept, recall weighted by beta = 2, no word n-grams.
//
// # Statistics
//
// For each order n a pair (hypothesis, reference) gives three counts: the
// n-grams of the hypothesis, those of the reference, and the matches (the
// clipped minimum of the two multisets). A corpus score sums the counts
// over all pairs before computing the F-scores, so that a long line weighs
// more than a short one, as in sacrebleu's corpus_score.
//
// # Score
//
// Per order, precision P = matches/hyp and recall R = matches/ref give
// F = (1+beta²)PR/(beta²P+R); the score is 100 times the mean F over the
// orders that both sides have n-grams of.
package chrf

import "strings"

// Order and Beta are sacrebleu's chrF defaults.
const (
	Order = 6
	Beta  = 2.0
)

// Stats are summed n-gram counts, per order (index 0 is unigrams).
type Stats struct {
	Hyp, Ref, Match [Order]int
}

// Add scores one hypothesis against its reference and adds the counts.
func (s *Stats) Add(hyp, ref string) {
	h, r := strip(hyp), strip(ref)
	for n := 1; n <= Order; n++ {
		hc, rc := ngrams(h, n), ngrams(r, n)
		hypN, refN, match := 0, 0, 0
		for g, c := range hc {
			hypN += c
			match += min(c, rc[g])
		}
		for _, c := range rc {
			refN += c
		}
		s.Hyp[n-1] += hypN
		s.Ref[n-1] += refN
		s.Match[n-1] += match
	}
}

// Score is the chrF of the counts added so far, 0 to 100.
func (s *Stats) Score() float64 {
	const eps = 1e-16
	f2 := Beta * Beta
	sum, orders := 0.0, 0
	for n := range Order {
		if s.Hyp[n] == 0 || s.Ref[n] == 0 {
			continue
		}
		p := float64(s.Match[n]) / float64(s.Hyp[n])
		r := float64(s.Match[n]) / float64(s.Ref[n])
		if d := f2*p + r; d > eps {
			sum += (1 + f2) * p * r / d
		}
		orders++
	}
	if orders == 0 {
		return 0
	}
	return 100 * sum / float64(orders)
}

// Sentence is the chrF of one pair.
func Sentence(hyp, ref string) float64 {
	var s Stats
	s.Add(hyp, ref)
	return s.Score()
}

// strip removes whitespace, which chrF does not count.
func strip(s string) []rune {
	return []rune(strings.Join(strings.Fields(s), ""))
}

func ngrams(rs []rune, n int) map[string]int {
	m := make(map[string]int, max(len(rs)-n+1, 0))
	for i := 0; i+n <= len(rs); i++ {
		m[string(rs[i:i+n])]++
	}
	return m
}
