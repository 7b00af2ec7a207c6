package attack

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTables checks that the embedded tables parse and hold what the
// README promises (691 active techniques) and that lookups work.
func TestTables(t *testing.T) {
	if _, err := parse(); err != nil {
		t.Fatal(err)
	}
	if got := Techniques(); got != 691 {
		t.Errorf("%d techniques, want 691", got)
	}
	tech, ok := LookupTechnique("T1566.001")
	if !ok {
		t.Fatal("T1566.001 missing")
	}
	want := Technique{ID: "T1566.001", Name: "Spearphishing Attachment", Tactics: []string{"initial-access"},
		STIXID: "attack-pattern--2e34237d-8574-43f6-aace-ae2915de8597"}
	if diff := cmp.Diff(want, tech); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if u := tech.URL(); u != "https://attack.mitre.org/techniques/T1566/001/" {
		t.Errorf("url %s", u)
	}
}

func TestFindSoftware(t *testing.T) {
	tests := []struct {
		name, in, wantID string
		ok               bool
	}{
		{"name", "Cobalt Strike", "S0154", true},
		{"case folded", "mimikatz", "S0002", true},
		{"alias", "Korplug", "S0013", true},
		{"unknown", "Acme Scanner", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := FindSoftware(tt.in)
			if ok != tt.ok || s.ID != tt.wantID {
				t.Errorf("FindSoftware(%q) = %s %v, want %s %v", tt.in, s.ID, ok, tt.wantID, tt.ok)
			}
		})
	}
}
