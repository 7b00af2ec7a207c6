package entity

import "slices"

// Per-document caps on mentions. A one-line text of a gigabyte (a dump of
// numbers, a hex blob) yields close to a million matches; storing them all
// costs minutes and hundreds of megabytes and tells the analyst nothing
// the first few thousand distinct values do not.
const (
	DefaultMaxMentions = 20_000
	DefaultMaxPerKind  = 5_000
)

// FlagTruncated marks a document whose mentions were cut by Caps.
const FlagTruncated = "entities-truncated"

// Caps bound the mentions kept for one document. A zero field takes its
// default; a negative one means no limit.
type Caps struct {
	// MaxMentions is the most mentions kept in all (DefaultMaxMentions).
	MaxMentions int
	// MaxPerKind is the most mentions of one kind kept (DefaultMaxPerKind),
	// so that a flood of one kind (volumes in a table of figures) leaves
	// room for the others.
	MaxPerKind int
}

func (c Caps) limits() (total, perKind int) {
	total, perKind = c.MaxMentions, c.MaxPerKind
	if total == 0 {
		total = DefaultMaxMentions
	}
	if perKind == 0 {
		perKind = DefaultMaxPerKind
	}
	if total < 0 {
		total = int(^uint(0) >> 1)
	}
	if perKind < 0 {
		perKind = int(^uint(0) >> 1)
	}
	return total, perKind
}

// Cap keeps at most c's mentions of ms, in ms's order, and reports whether
// any were dropped. The most useful are kept: first the first mention of
// each distinct value (kind and Norm) in text order, then repeated
// mentions in text order while room is left. So a document naming "Acme
// Telecom" 50,000 times and "Nordhavn Shipping" once keeps both.
func Cap(ms []Match, c Caps) ([]Match, bool) {
	total, perKind := c.limits()
	if len(ms) <= min(total, perKind) {
		return ms, false
	}
	type value struct {
		kind string
		norm string
	}
	keep := make([]bool, len(ms))
	n, byKind := 0, map[string]int{}
	take := func(i int) bool {
		k := string(ms[i].Kind)
		if n >= total || byKind[k] >= perKind {
			return false
		}
		keep[i] = true
		n++
		byKind[k]++
		return true
	}
	seen := map[value]bool{}
	for i, m := range ms {
		v := value{string(m.Kind), m.Norm}
		if m.Norm == "" {
			v.norm = m.Value
		}
		if seen[v] {
			continue
		}
		seen[v] = true
		take(i)
	}
	for i := range ms {
		if n >= total {
			break
		}
		if !keep[i] {
			take(i)
		}
	}
	out := make([]Match, 0, n)
	for i, m := range ms {
		if keep[i] {
			out = append(out, m)
		}
	}
	return out, len(out) < len(ms)
}

// dedupKind removes from ms, all of one kind and sorted by Start, the
// matches that overlap a longer one (the earlier on a tie) and exact
// duplicates. Overlap only matters inside a cluster of transitively
// overlapping matches, so each cluster (nearly always one match) is
// resolved on its own, longest first, and the whole costs n log n rather
// than the n² of checking every match against every kept one.
func dedupKind(ms []Match, out []Match) []Match {
	for i := 0; i < len(ms); {
		j, end := i+1, ms[i].End
		for j < len(ms) && ms[j].Start < end {
			end = max(end, ms[j].End)
			j++
		}
		cluster := ms[i:j]
		if len(cluster) == 1 {
			out = append(out, cluster[0])
			i = j
			continue
		}
		slices.SortStableFunc(cluster, func(a, b Match) int {
			if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
				return lb - la
			}
			return a.Start - b.Start
		})
		first := len(out)
		for _, m := range cluster {
			overlaps := false
			for _, k := range out[first:] {
				if m.Start < k.End && k.Start < m.End {
					overlaps = true
					break
				}
			}
			if !overlaps {
				out = append(out, m)
			}
		}
		i = j
	}
	return out
}
