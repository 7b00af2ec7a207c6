package authenticity

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// TestComparePublished: a path with other bytes differs, a path the case
// lacks is missing, a path with the same bytes is no finding.
func TestComparePublished(t *testing.T) {
	same := doc("same", "text/plain", "Acme/a.txt", nil)
	edited := doc("edited", "text/plain", "Acme/b.txt", nil)
	list := "# published by Nordhavn Shipping\n" +
		same.ID.String() + "  Acme/a.txt\n" +
		leak.Hash([]byte("original")).String() + " *Acme/b.txt\r\n" +
		leak.Hash([]byte("gone")).String() + "  Acme/c.txt\n"
	published, err := ReadHashList(strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want string // rule, "" for none
	}{
		{"same bytes", "Acme/a.txt", ""},
		{"other bytes", "Acme/b.txt", RuleDiffersFromPublished},
		{"not in the case", "Acme/c.txt", RuleMissingFromCase},
	}
	fs := comparePublished([]store.DocInfo{same, edited}, published)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, f := range fs {
				if f.Evidence[0].Path == tt.path {
					got = f.Rule
				}
			}
			if got != tt.want {
				t.Errorf("rule %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ReadHashList(strings.NewReader("not a hash list\n")); err == nil {
		t.Error("a list in another format was read")
	}
}
