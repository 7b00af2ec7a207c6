package ocreval

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name, want, got string
		score           Score
	}{
		{"exact", "张三 VPN", "张三VPN", Score{Truth: 5, Recall: 1, CER: 0, RawRecall: 1}},
		{"full width folded", "时间：2021", "时间:2021", Score{Truth: 7, Recall: 1, CER: 0, RawRecall: 6.0 / 7}},
		{"half missing", "abcd", "ab", Score{Truth: 4, Recall: 0.5, CER: 0.5, RawRecall: 0.5}},
		{"extra noise", "ab", "xaybz", Score{Truth: 2, Recall: 1, CER: 1.5, RawRecall: 1}},
		{"empty truth", "", "x", Score{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.score, Compare(tt.want, tt.got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
