package msg

import (
	"strings"
	"testing"
)

// TestRTFNesting feeds RTF groups nested 100,000 deep to rtfText: groups
// past leak.MaxNesting share the deepest kept group's state and their
// braces do not pop the groups around them, so a hidden destination stays
// hidden and the text after the deep run is kept.
func TestRTFNesting(t *testing.T) {
	const n = 100_000
	deep := strings.Repeat("{", n) + strings.Repeat("}", n)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "deep run in a hidden destination", in: `{\rtf1 {\*\generator Acme ` + deep + ` secret}visible\par}`, want: "visible"},
		{name: "deep run in the body", in: `{\rtf1 before ` + deep + ` after\par}`, want: "before  after"},
		{name: "unclosed deep run", in: `{\rtf1 kept ` + strings.Repeat("{", n) + "x", want: "kept x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rtfText([]byte(tt.in), 1252); got != tt.want {
				t.Errorf("rtfText = %q, want %q", got, tt.want)
			}
		})
	}
}
