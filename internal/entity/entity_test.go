package entity

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

// wordDetector emits every occurrence of "ab" and of "abc" as domains, so
// overlapping matches of one kind must be reduced to the longest.
type wordDetector struct{}

func (wordDetector) Kinds() []leak.Kind { return []leak.Kind{leak.KindDomain} }
func (wordDetector) Keywords() []string { return []string{"ab"} }
func (wordDetector) Detect(text []byte, emit func(Match)) {
	for i := 0; i+2 <= len(text); i++ {
		if string(text[i:i+2]) == "ab" {
			emit(Match{Kind: leak.KindDomain, Value: "ab", Start: i, End: i + 2})
			if i+3 <= len(text) && text[i+2] == 'c' {
				emit(Match{Kind: leak.KindDomain, Value: "abc", Start: i, End: i + 3})
			}
		}
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		chunk int
		want  []Match
	}{
		{"longest wins", "xx abc ab", DefaultChunk, []Match{{leak.KindDomain, "abc", "", 3, 6}, {leak.KindDomain, "ab", "", 7, 9}}},
		{"prefilter skips", "xyz ABD", DefaultChunk, []Match{{leak.KindDomain, "ab", "", 4, 6}}[:0]},
		{"chunk boundary", "aaaa abc aaaa abc aaaa", 6, []Match{{leak.KindDomain, "abc", "", 5, 8}, {leak.KindDomain, "abc", "", 14, 17}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewScanner(wordDetector{}).WithChunk(tt.chunk, 8).Scan([]byte(tt.text))
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b []Match) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" && !(len(tt.want) == 0 && len(got) == 0) {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
