package entity

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPatternSameAsRegexp holds Pattern to regexp on expressions that
// exercise each way it narrows the search: first runes, case folding,
// line starts, the rune after a numeric run, bounded and unbounded reach,
// and the fallbacks (assertions, empty matches).
func TestPatternSameAsRegexp(t *testing.T) {
	texts := []string{
		"", "Acme Telecom 12 GB 1,234.5 元 3 mb 7MB\n42: ok\n 43: no\n44:yes",
		"1234,567G 12.5.3元 5 5 GB x9GB wordfoo foo 2021-05-03 14:22 \xff9\xe5G",
		"Nordhavn Shipping 100 records, 3 Thousand call RECORDS\n\n7: 8:",
	}
	tests := []struct {
		name string
		expr string
	}{
		{name: "number and unit", expr: `(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(GB|MB|元)`},
		{name: "fold", expr: `(?i)\d+\s?mb`},
		{name: "line start", expr: `(?m)^\d+:`},
		{name: "word boundary falls back", expr: `\bfoo`},
		{name: "empty match falls back", expr: `\d*`},
		{name: "unbounded after unit", expr: `\d+ (?i:thousand) [a-z]+ records\b`},
		{name: "letters first", expr: `[A-Z][a-z]+ [A-Z][a-z]+`},
		{name: "numeric only", expr: `\d+\.\d+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MustPattern(tt.expr)
			re := regexp.MustCompile(tt.expr)
			for _, s := range texts {
				want := re.FindAllSubmatchIndex([]byte(s), -1)
				if diff := cmp.Diff(want, p.FindAllSubmatchIndex([]byte(s))); diff != "" {
					t.Errorf("%q (-regexp +pattern)\n%s", s, diff)
				}
			}
		})
	}
}

// TestPatternNarrows checks that the narrowing is in effect where it
// should be: a Pattern that silently fell back would pass the equality
// test and be as slow as before.
func TestPatternNarrows(t *testing.T) {
	tests := []struct {
		name              string
		expr              string
		fallback, follows bool
	}{
		{name: "number and unit", expr: `\d+\s?(GB|元)`, follows: true},
		{name: "currency first", expr: `[$¥]\d+`, follows: true},
		{name: "assertion", expr: `\bfoo`, fallback: true},
		{name: "numeric only", expr: `\d+\.\d+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MustPattern(tt.expr)
			if p.fallback != tt.fallback || !p.fallback && p.useFollow != tt.follows {
				t.Errorf("fallback %v follow %v, want %v %v", p.fallback, p.useFollow, tt.fallback, tt.follows)
			}
		})
	}
}
