package target

import (
	"strings"
	"testing"
)

// TestMatcherAgreesWithFindEvidence checks the one-pass matcher against
// the per-needle search on made-up texts, examples and counter-examples.
func TestMatcherAgreesWithFindEvidence(t *testing.T) {
	fold := func(s string) string { return strings.ReplaceAll(s, "電", "电") }
	opts := Options{Fold: fold}
	needles := []string{"明湖大学", "Castellano Shipping", "ACME", "北港電力"}
	tests := []struct {
		name  string
		units []string
		found bool
	}{
		{name: "chinese substring", units: []string{"先看看明湖大学那边的邮箱"}, found: true},
		{name: "a traditional needle found in its simplified form", units: []string{"北港电力的数据"}, found: true},
		{name: "a simplified needle does not match traditional text", units: []string{"明湖大學的資料"}},
		{name: "latin, any case, on word boundaries", units: []string{"notes", "mail from castellano shipping ltd"}, found: true},
		{name: "latin inside a longer word is no match", units: []string{"ACMEX and subacme"}},
		{name: "second unit", units: []string{"nothing here", "北港電力 2.3G"}, found: true},
		{name: "first needle in the first unit wins", units: []string{"ACME 与 明湖大学"}, found: true},
		{name: "none", units: []string{"明湖 大学"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUnit, wantSnip, wantOK := FindEvidence(tt.units, needles, opts)
			got, ok := FirstHit(NewMatcher(needles, opts).Find(tt.units))
			if ok != wantOK || ok != tt.found {
				t.Fatalf("found %v, FindEvidence %v, want %v", ok, wantOK, tt.found)
			}
			if ok && (got.Unit != wantUnit || got.Snippet != wantSnip) {
				t.Errorf("matcher (%d, %q), FindEvidence (%d, %q)", got.Unit, got.Snippet, wantUnit, wantSnip)
			}
		})
	}
}
