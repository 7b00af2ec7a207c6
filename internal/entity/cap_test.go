package entity

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

// at is a match of kind k with norm n at offset i, one byte long.
func at(k leak.Kind, n string, i int) Match {
	return Match{Kind: k, Value: n, Norm: n, Start: i, End: i + 1}
}

func TestCap(t *testing.T) {
	// 10 mentions of one value, then 3 distinct ones, then 5 of another kind.
	var flood []Match
	for i := range 10 {
		flood = append(flood, at(leak.KindOrg, "Acme Telecom", i))
	}
	flood = append(flood, at(leak.KindOrg, "Nordhavn Shipping", 10), at(leak.KindOrg, "Nordhavn Bank", 11), at(leak.KindOrg, "Acme Air", 12))
	for i := range 5 {
		flood = append(flood, at(leak.KindIPv4, fmt.Sprintf("192.0.2.%d", i), 20+i))
	}
	norms := func(ms []Match) []string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%d:%s", m.Start, m.Norm))
		}
		return out
	}
	tests := []struct {
		name      string
		caps      Caps
		want      []string
		truncated bool
	}{
		{name: "under the caps", caps: Caps{MaxMentions: 100, MaxPerKind: 100}, want: norms(flood)},
		{name: "no limit", caps: Caps{MaxMentions: -1, MaxPerKind: -1}, want: norms(flood)},
		{name: "distinct values first", caps: Caps{MaxMentions: 6, MaxPerKind: 100},
			want: []string{"0:Acme Telecom", "10:Nordhavn Shipping", "11:Nordhavn Bank", "12:Acme Air", "20:192.0.2.0", "21:192.0.2.1"}, truncated: true},
		{name: "repeats fill the room left", caps: Caps{MaxMentions: 11, MaxPerKind: 100},
			want: []string{"0:Acme Telecom", "1:Acme Telecom", "2:Acme Telecom", "10:Nordhavn Shipping", "11:Nordhavn Bank", "12:Acme Air",
				"20:192.0.2.0", "21:192.0.2.1", "22:192.0.2.2", "23:192.0.2.3", "24:192.0.2.4"}, truncated: true},
		{name: "per kind cap leaves room for other kinds", caps: Caps{MaxMentions: 100, MaxPerKind: 3},
			want: []string{"0:Acme Telecom", "10:Nordhavn Shipping", "11:Nordhavn Bank", "20:192.0.2.0", "21:192.0.2.1", "22:192.0.2.2"}, truncated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, truncated := Cap(slices.Clone(flood), tt.caps)
			if diff := cmp.Diff(tt.want, norms(got)); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if truncated != tt.truncated {
				t.Errorf("truncated = %v, want %v", truncated, tt.truncated)
			}
		})
	}
}

func TestCapDefaults(t *testing.T) {
	ms := make([]Match, 0, 3*DefaultMaxPerKind)
	for i := range cap(ms) {
		ms = append(ms, at(leak.KindIPv4, fmt.Sprint(i), i))
	}
	got, truncated := Cap(ms, Caps{})
	if len(got) != DefaultMaxPerKind || !truncated {
		t.Errorf("kept %d (truncated %v), want %d", len(got), truncated, DefaultMaxPerKind)
	}
}

// dedupQuadratic is Dedup as first written: every match checked against
// every kept match of its kind. TestDedupSameAsQuadratic holds the fast
// version to it.
func dedupQuadratic(ms []Match) []Match {
	slices.SortStableFunc(ms, func(a, b Match) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return lb - la
		}
		return a.Start - b.Start
	})
	var out, kept []Match
	for i, m := range ms {
		if i > 0 && ms[i-1].Kind != m.Kind {
			kept = kept[:0]
		}
		overlaps := false
		for _, k := range kept {
			if m.Start < k.End && k.Start < m.End {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, m)
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		if a.Kind < b.Kind {
			return -1
		} else if a.Kind > b.Kind {
			return 1
		}
		return 0
	})
	return out
}

func TestDedupSameAsQuadratic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := []leak.Kind{leak.KindIPv4, leak.KindOrg, leak.KindDate}
	tests := []struct {
		name   string
		n      int
		spread int // offsets fall in [0, spread)
	}{
		{name: "sparse", n: 200, spread: 100_000},
		{name: "dense overlaps", n: 500, spread: 300},
		{name: "pile on one spot", n: 100, spread: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for round := range 50 {
				var ms []Match
				for i := range tt.n {
					s := rng.IntN(tt.spread)
					ms = append(ms, Match{Kind: kinds[rng.IntN(len(kinds))], Value: fmt.Sprint(i), Start: s, End: s + 1 + rng.IntN(20)})
				}
				want := dedupQuadratic(slices.Clone(ms))
				got := Dedup(slices.Clone(ms))
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("round %d (-quadratic +fast):\n%s", round, diff)
				}
			}
		})
	}
}

// BenchmarkDedup measures Dedup on a million disjoint matches, the shape
// of a one-line dump of figures.
func BenchmarkDedup(b *testing.B) {
	ms := make([]Match, 1_000_000)
	for i := range ms {
		ms[i] = Match{Kind: leak.KindVolume, Start: 4 * i, End: 4*i + 3}
	}
	work := make([]Match, len(ms))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, ms)
		Dedup(work)
	}
	b.ReportMetric(float64(len(ms))*float64(b.N)/b.Elapsed().Seconds(), "matches/s")
}
