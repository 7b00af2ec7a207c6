package registry

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakscope/leakscope/internal/entity"
)

// TestScanCappedSameAsCap holds ScanCapped, which caps chunk by chunk, to
// Cap over the whole Scan, with chunks small enough that matches straddle
// their boundaries and caps small enough to bite.
func TestScanCappedSameAsCap(t *testing.T) {
	words := []string{"192.0.2.7", "10.1.2.3", "ops@acme.example", "https://acme.example/x", "5.49G", "3 TB", "2024-01-02",
		"$1,200", "Nordhavn Shipping Ltd", "Acme Telecom", "+1 202 555 0147", "CVE-2024-12345", "acme.example", "and", "the", "\n"}
	rng := rand.New(rand.NewPCG(5, 6))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	tests := []struct {
		name  string
		words int
		chunk int
		caps  entity.Caps
		cut   bool // the caps bite
	}{
		{name: "no cap hit", words: 300, chunk: 64, caps: entity.Caps{MaxMentions: -1, MaxPerKind: -1}},
		{name: "total cap", words: 2000, chunk: 100, caps: entity.Caps{MaxMentions: 40, MaxPerKind: 1000}, cut: true},
		{name: "per kind cap", words: 2000, chunk: 57, caps: entity.Caps{MaxMentions: 1000, MaxPerKind: 7}, cut: true},
		{name: "both caps", words: 5000, chunk: 300, caps: entity.Caps{MaxMentions: 60, MaxPerKind: 9}, cut: true},
		{name: "defaults", words: 500, chunk: 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scanner().WithChunk(tt.chunk, 48)
			for round := range 5 {
				in := []byte(text(tt.words))
				want, wantCut := entity.Cap(s.Scan(in), tt.caps)
				got, gotCut := s.ScanCapped(in, tt.caps)
				if wantCut != tt.cut {
					t.Fatalf("round %d: Cap truncated = %v, the case expects %v", round, wantCut, tt.cut)
				}
				if diff := cmp.Diff(want, got); diff != "" || gotCut != wantCut {
					t.Fatalf("round %d: truncated %v, want %v; (-Cap +ScanCapped):\n%s", round, gotCut, wantCut, diff)
				}
			}
		})
	}
}

// BenchmarkScanCapped measures a one-line flood of addresses and volumes,
// the shape that once gave a million mentions to one document.
func BenchmarkScanCapped(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 4<<20; i++ {
		fmt.Fprintf(&sb, "10.%d.%d.%d 5.%dG ", i>>16&255, i>>8&255, i&255, i%10)
	}
	text := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		ScanCapped(text, entity.Caps{})
	}
}

// FuzzScanCapped checks ScanCapped against Cap(Scan) on any text, with
// small chunks and caps so that both boundaries and caps are crossed.
func FuzzScanCapped(f *testing.F) {
	f.Add([]byte("ops@acme.example 192.0.2.7 192.0.2.7 5.49G Acme Telecom 2024-01-02"), uint8(16), uint8(3))
	f.Add([]byte(strings.Repeat("10.0.0.1 ", 50)), uint8(40), uint8(2))
	f.Fuzz(func(t *testing.T, text []byte, chunk, limit uint8) {
		s := Scanner().WithChunk(int(chunk)+8, 32)
		caps := entity.Caps{MaxMentions: int(limit)%20 + 1, MaxPerKind: int(limit)%7 + 1}
		want, wantCut := entity.Cap(s.Scan(text), caps)
		got, gotCut := s.ScanCapped(text, caps)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" || gotCut != wantCut {
			t.Fatalf("truncated %v, want %v; (-Cap +ScanCapped):\n%s", gotCut, wantCut, diff)
		}
	})
}
