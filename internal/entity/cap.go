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

// ScanCapped returns what Cap(s.Scan(text), c) returns, in memory bounded
// by the caps instead of by the number of matches: a 32 MiB line of
// figures has millions of matches, and Scan holds them all before Cap
// keeps a few thousand. Each chunk's matches are de-duplicated as soon as
// no later match can overlap them, then handed in text order to a capper
// that keeps only what Cap could keep.
func (s *Scanner) ScanCapped(text []byte, c Caps) ([]Match, bool) {
	cp := newCapper(c)
	var pending, ready []Match
	s.chunks(text, func(ms []Match, next int) {
		pending = append(pending, ms...)
		var settled []Match
		settled, pending = settle(pending, next)
		ready = append(ready, settled...)
		sortByPosition(ready)
		cut := len(ready)
		if len(pending) > 0 {
			first := pending[0].Start
			for _, m := range pending {
				first = min(first, m.Start)
			}
			cut, _ = slices.BinarySearchFunc(ready, first, func(m Match, start int) int { return m.Start - start })
		}
		for _, m := range ready[:cut] {
			cp.add(m)
		}
		ready = append(ready[:0], ready[cut:]...)
	})
	for _, m := range ready {
		cp.add(m)
	}
	return cp.finish()
}

// settle de-duplicates the clusters of pending (see dedupKind) that no
// match starting at next or later can overlap, and returns them with the
// matches still open.
func settle(pending []Match, next int) (settled, open []Match) {
	slices.SortStableFunc(pending, func(a, b Match) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		return a.Start - b.Start
	})
	for i := 0; i < len(pending); {
		j, end := i+1, pending[i].End
		for j < len(pending) && pending[j].Kind == pending[i].Kind && pending[j].Start < end {
			end = max(end, pending[j].End)
			j++
		}
		if end <= next {
			settled = dedupKind(pending[i:j], settled)
		} else {
			open = append(open, pending[i:j]...)
		}
		i = j
	}
	return settled, open
}

func sortByPosition(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
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
}

// capper is Cap fed one match at a time in text order. It holds the
// distinct values taken and, per kind, the earliest MaxPerKind repeats:
// Cap's second pass can take no repeat beyond those.
type capper struct {
	total, perKind int
	n              int
	byKind         map[string]int
	seen           map[[2]string]bool // values of kinds not yet full
	kept           []Match
	repeats        map[string][]Match
	dropped        bool
}

func newCapper(c Caps) *capper {
	total, perKind := c.limits()
	return &capper{total: total, perKind: perKind, byKind: map[string]int{}, seen: map[[2]string]bool{}, repeats: map[string][]Match{}}
}

func (c *capper) add(m Match) {
	k := string(m.Kind)
	if c.n >= c.total || c.byKind[k] >= c.perKind {
		c.dropped = true // no mention of this kind can be kept any more
		return
	}
	v := [2]string{k, m.Norm}
	if m.Norm == "" {
		v[1] = m.Value
	}
	if !c.seen[v] {
		c.seen[v] = true
		c.kept = append(c.kept, m)
		c.n++
		c.byKind[k]++
		return
	}
	if len(c.repeats[k]) < c.perKind {
		c.repeats[k] = append(c.repeats[k], m)
	} else {
		c.dropped = true
	}
}

func (c *capper) finish() ([]Match, bool) {
	var rep []Match
	for _, r := range c.repeats {
		rep = append(rep, r...)
	}
	sortByPosition(rep)
	for _, m := range rep {
		k := string(m.Kind)
		if c.n >= c.total || c.byKind[k] >= c.perKind {
			c.dropped = true
			continue
		}
		c.kept = append(c.kept, m)
		c.n++
		c.byKind[k]++
	}
	sortByPosition(c.kept)
	return c.kept, c.dropped
}
