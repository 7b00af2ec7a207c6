package chrf

import (
	"math"
	"testing"
)

func TestSentence(t *testing.T) {
	tests := []struct {
		name     string
		hyp, ref string
		want     float64
	}{
		{"identical", "the trojan gets past", "the trojan gets past", 100},
		{"whitespace ignored", "thetrojan  gets past", "the trojan gets past", 100},
		{"disjoint", "xyz", "abc", 0},
		{"empty hypothesis", "", "abc", 0},
		// By hand: unigrams P=1 R=2/3 F=10/14; bigrams P=1 R=1/2 F=5/9;
		// no trigram in the hypothesis, so two orders count.
		{"hand computed", "ab", "abc", 100 * (10.0/14 + 5.0/9) / 2},
		{"case kept", "AB", "ab", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentence(tt.hyp, tt.ref); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Sentence(%q, %q) = %.6f, want %.6f", tt.hyp, tt.ref, got, tt.want)
			}
		})
	}
}

// TestCorpusSums checks that a corpus score sums counts rather than
// averaging sentence scores: a long perfect line outweighs a short miss.
func TestCorpusSums(t *testing.T) {
	var s Stats
	s.Add("a long line translated perfectly", "a long line translated perfectly")
	s.Add("zz", "qq")
	got := s.Score()
	mean := (Sentence("a long line translated perfectly", "a long line translated perfectly") + Sentence("zz", "qq")) / 2
	if got <= mean || got >= 100 {
		t.Errorf("corpus score %.2f, want between the sentence mean %.2f and 100", got, mean)
	}
}
