package server

import (
	"math"
	"slices"
	"strings"
)

// bar is one bar of a horizontal bar chart; Width is a percentage of the
// largest bar.
type bar struct {
	Label string
	Count int
	Width int
}

// barChart turns counts into bars, ordered by label (for years) or by
// count, largest first.
func barChart(counts map[string]int, byLabel bool) []bar {
	var bars []bar
	most := 0
	for k, v := range counts {
		bars = append(bars, bar{Label: k, Count: v})
		most = max(most, v)
	}
	slices.SortFunc(bars, func(a, b bar) int {
		if !byLabel && a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Label, b.Label)
	})
	for i := range bars {
		if most > 0 {
			bars[i].Width = max(1, bars[i].Count*100/most)
		}
	}
	return bars
}

// column is one column of a vertical bar chart, in viewBox units.
type column struct {
	Label      string
	Count      int
	X, Y, W, H float64
	LX         float64 // centre, for the labels
}

// columns is a vertical bar chart: Width x Height viewBox with the plot
// between Base (the x axis) and Top.
type columns struct {
	Width, Height, Base float64
	Cols                []column
	// Every is how often a label is written (every n-th column) so that
	// dense axes stay readable.
	Every int
}

// columnChart draws counts by label in label order (years, days),
// "unknown" last.
func columnChart(counts map[string]int) columns {
	labels := make([]string, 0, len(counts))
	most := 0
	for k, v := range counts {
		labels = append(labels, k)
		most = max(most, v)
	}
	slices.SortFunc(labels, func(a, b string) int {
		if (a == "unknown") != (b == "unknown") {
			if a == "unknown" {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	c := columns{Width: 400, Height: 190, Base: 160, Every: 1}
	if len(labels) == 0 {
		return c
	}
	step := (c.Width - 20) / float64(len(labels))
	c.Every = max(1, int(math.Ceil(36/step)))
	for i, l := range labels {
		h := 0.0
		if most > 0 {
			h = math.Max(1, float64(counts[l])/float64(most)*(c.Base-24))
		}
		x := 10 + float64(i)*step
		col := column{Label: l, Count: counts[l], X: round(x + step*0.1), W: round(max(1, step*0.8)), H: round(h), Y: round(c.Base - h), LX: round(x + step/2)}
		c.Cols = append(c.Cols, col)
	}
	return c
}

// graph is a who-talks-to-whom drawing: people on a circle, a line for
// every pair who share a conversation, thicker for more conversations.
type graph struct {
	Size  int
	Nodes []gnode
	Edges []gedge
}

type gnode struct {
	Name     string
	Messages int
	X, Y, R  float64
	LX, LY   float64 // label position
	Anchor   string
}

type gedge struct {
	A, B           string
	Count          int
	X1, Y1, X2, Y2 float64
	W              float64
}

const maxGraphNodes = 60

func talkGraph(c Chats) graph {
	msgs := map[string]int{}
	for _, p := range c.Participants {
		msgs[p.Name] = p.Messages
	}
	pairs := map[[2]string]int{}
	for _, conv := range c.Conversations {
		ps := slices.Clone(conv.Participants)
		slices.Sort(ps)
		ps = slices.Compact(ps)
		for i := range ps {
			if _, ok := msgs[ps[i]]; !ok {
				msgs[ps[i]] = 0
			}
			for j := i + 1; j < len(ps); j++ {
				pairs[[2]string{ps[i], ps[j]}]++
			}
		}
	}
	names := make([]string, 0, len(msgs))
	for n := range msgs {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if msgs[a] != msgs[b] {
			return msgs[b] - msgs[a]
		}
		return strings.Compare(a, b)
	})
	if len(names) > maxGraphNodes {
		names = names[:maxGraphNodes]
	}
	g := graph{Size: 640}
	center, radius := 320.0, 220.0
	most := 1
	for _, n := range names {
		most = max(most, msgs[n])
	}
	pos := map[string]gnode{}
	for i, n := range names {
		a := 2*math.Pi*float64(i)/float64(len(names)) - math.Pi/2
		nd := gnode{Name: n, Messages: msgs[n],
			X: round(center + radius*math.Cos(a)), Y: round(center + radius*math.Sin(a)),
			R: round(6 + 14*math.Sqrt(float64(msgs[n])/float64(most))),
		}
		nd.LX, nd.LY = round(center+(radius+28)*math.Cos(a)), round(center+(radius+28)*math.Sin(a)+4)
		nd.Anchor = "middle"
		if math.Cos(a) > 0.3 {
			nd.Anchor = "start"
		} else if math.Cos(a) < -0.3 {
			nd.Anchor = "end"
		}
		pos[n] = nd
		g.Nodes = append(g.Nodes, nd)
	}
	mostPair := 1
	for _, v := range pairs {
		mostPair = max(mostPair, v)
	}
	for p, v := range pairs {
		a, ok1 := pos[p[0]]
		b, ok2 := pos[p[1]]
		if !ok1 || !ok2 {
			continue
		}
		g.Edges = append(g.Edges, gedge{A: p[0], B: p[1], Count: v, X1: a.X, Y1: a.Y, X2: b.X, Y2: b.Y, W: round(1 + 5*float64(v)/float64(mostPair))})
	}
	slices.SortFunc(g.Edges, func(a, b gedge) int { return strings.Compare(a.A+"\x00"+a.B, b.A+"\x00"+b.B) })
	return g
}

func round(f float64) float64 { return math.Round(f*10) / 10 }
