package server

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
)

// targetGraph is the "who targets what" drawing: people on the left,
// targets on the right, a curve for each person who wrote about a
// target, thicker for more messages. Two columns stay readable at thirty
// nodes a side where a force layout would not.
type targetGraph struct {
	Width, Height float64
	People        []tgNode
	Targets       []tgNode
	Edges         []tgEdge
	MorePeople    int
	MoreTargets   int
}

type tgNode struct {
	Name, Sub string
	X, Y, R   float64
	Weight    int
	Link      string
}

type tgEdge struct {
	Person, Target string
	Count          int
	D              string // SVG path: a cubic curve
	W              float64
	Dashed         bool // only placed in a conversation, not named by this person
	Title          string
}

// Bounds of the drawing.
const (
	maxTGTargets = 40 // targets drawn, most linked first
	maxTGPeople  = 30
)

// whoTargetsWhat draws the links the analyses stored (Backend.TargetLinks):
// the senders of chat messages that name a target, and, dashed, the
// participants of a conversation a target's evidence points to when no
// message names it. The page draws; it searches nothing.
func (s *Server) whoTargetsWhat(links []TargetLink) targetGraph {
	type key struct{ person, target string }
	weight := map[key]int{}
	dashed := map[key]bool{}
	personW, targetW := map[string]int{}, map[string]int{}
	sub := map[string]string{}
	perTarget := map[string]int{}
	for _, l := range links {
		perTarget[l.Target] += l.Messages
	}
	keep := sortedByWeight(perTarget)
	if len(keep) > maxTGTargets {
		keep = keep[:maxTGTargets]
	}
	kept := map[string]bool{}
	for _, t := range keep {
		kept[t] = true
	}
	for _, l := range links {
		if !kept[l.Target] || l.Person == "" {
			continue
		}
		k := key{l.Person, l.Target}
		weight[k] += l.Messages
		dashed[k] = l.Dashed
		sub[l.Target] = l.Country
	}
	for k, w := range weight {
		personW[k.person] += w
		targetW[k.target] += w
	}
	people := sortedByWeight(personW)
	g := targetGraph{Width: 1000}
	if len(people) > maxTGPeople {
		g.MorePeople = len(people) - maxTGPeople
		people = people[:maxTGPeople]
	}
	pIndex := map[string]int{}
	for i, p := range people {
		pIndex[p] = i
	}
	// Order targets by the mean row of the people linked to them, so that
	// most curves run roughly level and few cross.
	type tgt struct {
		name string
		bary float64
	}
	var tl []tgt
	for name := range targetW {
		sum, n := 0.0, 0.0
		for k, w := range weight {
			if i, ok := pIndex[k.person]; ok && k.target == name {
				sum += float64(i * w)
				n += float64(w)
			}
		}
		if n > 0 {
			tl = append(tl, tgt{name, sum / n})
		}
	}
	slices.SortFunc(tl, func(a, b tgt) int {
		if a.bary != b.bary {
			if a.bary < b.bary {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	if len(tl) > maxTGPeople {
		g.MoreTargets = len(tl) - maxTGPeople
		tl = tl[:maxTGPeople]
	}
	rows := max(len(people), len(tl))
	const rowH, top = 26.0, 24.0
	g.Height = top*2 + float64(max(rows, 1))*rowH
	xl, xr := 240.0, g.Width-420
	place := func(n int, i int) float64 {
		// Centre the shorter column against the taller one.
		return top + rowH/2 + float64(i)*rowH + float64(rows-n)*rowH/2
	}
	mostP, mostT := 1, 1
	for _, p := range people {
		mostP = max(mostP, personW[p])
	}
	for _, t := range tl {
		mostT = max(mostT, targetW[t.name])
	}
	pos := map[string][2]float64{}
	for i, p := range people {
		y := round(place(len(people), i))
		g.People = append(g.People, tgNode{Name: p, X: xl, Y: y, R: round(4 + 6*math.Sqrt(float64(personW[p])/float64(mostP))), Weight: personW[p],
			Link: "/?q=" + urlQueryEscape(fmt.Sprintf("sender:%q", p))})
		pos["p\x00"+p] = [2]float64{xl, y}
	}
	for i, t := range tl {
		y := round(place(len(tl), i))
		g.Targets = append(g.Targets, tgNode{Name: t.name, Sub: sub[t.name], X: xr, Y: y, R: round(4 + 6*math.Sqrt(float64(targetW[t.name])/float64(mostT))), Weight: targetW[t.name],
			Link: "/targets?q=" + urlQueryEscape(t.name)})
		pos["t\x00"+t.name] = [2]float64{xr, y}
	}
	mostE := 1
	for _, w := range weight {
		mostE = max(mostE, w)
	}
	for k, w := range weight {
		a, ok1 := pos["p\x00"+k.person]
		b, ok2 := pos["t\x00"+k.target]
		if !ok1 || !ok2 {
			continue
		}
		mx := (a[0] + b[0]) / 2
		e := tgEdge{Person: k.person, Target: k.target, Count: w, Dashed: dashed[k],
			D: fmt.Sprintf("M%g %gC%g %g %g %g %g %g", a[0], a[1], mx, a[1], mx, b[1], b[0], b[1]),
			W: round(1 + 4*float64(w)/float64(mostE))}
		if e.Dashed {
			e.Title = k.person + " took part in a conversation that is evidence for " + k.target
		} else {
			e.Title = fmt.Sprintf("%s named %s in %d message(s)", k.person, k.target, w)
		}
		g.Edges = append(g.Edges, e)
	}
	slices.SortFunc(g.Edges, func(a, b tgEdge) int {
		return strings.Compare(a.Person+"\x00"+a.Target, b.Person+"\x00"+b.Target)
	})
	return g
}

// sortedByWeight lists the keys of m, heaviest first, then by name.
func sortedByWeight(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	return out
}

// apiTargetLinks answers who writes about which target (the links the
// who-targets-what graph draws), as the analyses stored them.
func (s *Server) apiTargetLinks(w http.ResponseWriter, r *http.Request) error {
	links, err := s.be.TargetLinks(r.Context())
	if err != nil {
		return err
	}
	s.auditf(r, "view_target_links")
	if links == nil {
		links = []TargetLink{}
	}
	return writeJSON(w, links)
}
