package leak

import (
	"testing"
)

func TestPrimaryPath(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{name: "none", paths: nil, want: ""},
		{name: "on disk beats archive", paths: []string{"a.tar.gz!/x/shot.png", "screens/shot.png"}, want: "screens/shot.png"},
		{name: "shorter", paths: []string{"dir/long-name.txt", "d/b.txt"}, want: "d/b.txt"},
		{name: "byte order", paths: []string{"b.txt", "a.txt"}, want: "a.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PrimaryPath(tt.paths); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestID(t *testing.T) {
	id := Hash([]byte("abc"))
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if id.String() != want || id.Short() != want[:12] {
		t.Fatalf("got %s", id)
	}
	back, err := ParseID(want)
	if err != nil || back != id {
		t.Fatalf("ParseID: %s %v", back, err)
	}
	for _, bad := range []string{"", "abc", want[:63] + "g", want + "00"} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
	if !(ID{}).IsZero() || id.IsZero() {
		t.Error("IsZero")
	}
}

// TestLimitsPixels checks that a Limits literal that leaves MaxPixels
// unset still refuses decompression bombs at the default.
func TestLimitsPixels(t *testing.T) {
	tests := []struct {
		name string
		l    Limits
		want int64
	}{
		{name: "unset", l: Limits{MaxText: 1}, want: DefaultMaxPixels},
		{name: "defaults", l: DefaultLimits(), want: DefaultMaxPixels},
		{name: "set", l: Limits{MaxPixels: 1000}, want: 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.Pixels(); got != tt.want {
				t.Errorf("Pixels() = %d, want %d", got, tt.want)
			}
		})
	}
}
