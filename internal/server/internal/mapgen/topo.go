package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Limits on the input, so a hostile or corrupt file cannot make the
// generator allocate without bound.
const (
	maxInput  = 64 << 20
	maxArcs   = 1 << 20
	maxPoints = 1 << 23
)

// Topology is the part of a TopoJSON document mapgen reads: quantized,
// delta-encoded arcs and the "countries" geometry collection.
type Topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []Geometry `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// Geometry is one country: a Polygon (rings of arc indexes) or a
// MultiPolygon (polygons of rings). A negative index ~i is arc i reversed.
type Geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// Map is the generator's output, the file the server embeds.
type Map struct {
	Source      string    `json:"source"`
	License     string    `json:"license"`
	Attribution string    `json:"attribution"`
	Projection  string    `json:"projection"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Countries   []Country `json:"countries,omitempty"`
	// Other are shapes without an ISO code (disputed areas), drawn as
	// plain land.
	Other string `json:"other,omitempty"`
}

// Country is one country's outline as an SVG path in map units.
type Country struct {
	Code string `json:"code"` // ISO 3166-1 alpha-2
	Name string `json:"name"`
	Path string `json:"d"`
	// X, Y is the centre of the largest ring's bounding box, where a
	// marker goes for a country too small to see.
	X, Y float64
	Area float64 `json:"area"` // projected area of all rings, square map units

	bestArea float64 // area of the ring X, Y belong to
}

// MarshalJSON writes a Country with x and y rounded.
func (c Country) MarshalJSON() ([]byte, error) {
	type out struct {
		Code string  `json:"code"`
		Name string  `json:"name"`
		X    float64 `json:"x"`
		Y    float64 `json:"y"`
		Area float64 `json:"area"`
		Path string  `json:"d"`
	}
	return json.Marshal(out{c.Code, c.Name, round1(c.X), round1(c.Y), math.Round(c.Area), c.Path})
}

// Marshal writes the map as compact JSON, one country a line so that a
// diff of a regenerated map is readable.
func (m *Map) Marshal() ([]byte, error) {
	var b bytes.Buffer
	head := *m
	head.Countries = nil
	h, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	b.Write(h[:len(h)-1])
	b.WriteString(",\"countries\":[\n")
	for i, c := range m.Countries {
		cb, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		b.Write(cb)
		if i < len(m.Countries)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// readInput reads a TopoJSON file, or the member of an npm tarball.
func readInput(in, member string) ([]byte, error) {
	f, err := os.Open(in)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !strings.HasSuffix(in, ".tgz") && !strings.HasSuffix(in, ".tar.gz") {
		return io.ReadAll(io.LimitReader(f, maxInput))
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no %s", in, member)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in, err)
		}
		if h.Name == member {
			return io.ReadAll(io.LimitReader(tr, maxInput))
		}
	}
}

// Decode parses a TopoJSON topology and checks its bounds.
func Decode(raw []byte) (*Topology, error) {
	if len(raw) > maxInput {
		return nil, errors.New("topojson: input too large")
	}
	var t Topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	if len(t.Arcs) > maxArcs {
		return nil, errors.New("topojson: too many arcs")
	}
	n := 0
	for _, a := range t.Arcs {
		n += len(a)
	}
	if n > maxPoints {
		return nil, errors.New("topojson: too many points")
	}
	if len(t.Objects.Countries.Geometries) == 0 {
		return nil, errors.New("topojson: no countries object")
	}
	return &t, nil
}

// point is a projected position in map units.
type point struct{ X, Y float64 }

// Options control Build.
type Options struct {
	Width     float64 // output width in map units
	Tolerance float64 // simplification tolerance in map units
	Source    string
}

// Equal Earth projection (Šavrič, Patterson, Jenny 2018): equal-area, so
// a country's shaded area is proportional to its real area, and a
// pleasant shape for a world map. Returns x in [-2.7, 2.7], y in
// [-1.3, 1.3] for the unit sphere, y up.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

func equalEarth(lon, lat float64) (x, y float64) {
	l, p := lon*math.Pi/180, lat*math.Pi/180
	th := math.Asin(math.Sqrt(3) / 2 * math.Sin(p))
	t2 := th * th
	t6 := t2 * t2 * t2
	x = 2 * math.Sqrt(3) * l * math.Cos(th) / (3 * (9*eeA4*t6*t2 + 7*eeA3*t6 + 3*eeA2*t2 + eeA1))
	y = th * (eeA4*t6*t2 + eeA3*t6 + eeA2*t2 + eeA1)
	return x, y
}

// eeMaxX and eeMaxY bound the projection of the whole sphere.
var eeMaxX, eeMaxY = func() (float64, float64) {
	x, _ := equalEarth(180, 0)
	_, y := equalEarth(0, 90)
	return x, y
}()

// noCode names the Natural Earth shapes that have no numeric ISO code
// and the alpha-2 code they are drawn under; "" draws them as plain land.
var noCode = map[string]string{
	"Kosovo":            "XK",
	"Somaliland":        "SO",
	"N. Cyprus":         "CY",
	"Indian Ocean Ter.": "",
	"Siachen Glacier":   "",
}

// skip are codes not drawn: Antarctica takes a fifth of the height and is
// never a target.
var skip = map[string]bool{"AQ": true}

// Build projects, simplifies and encodes every country.
func Build(t *Topology, o Options) (*Map, error) {
	if o.Width <= 0 {
		return nil, errors.New("width must be positive")
	}
	arcs := decodeArcs(t)
	scale := o.Width / (2 * eeMaxX)
	// The map is cut at 60°S (Antarctica is not drawn) and spans the
	// whole sphere above it.
	_, ySouth := equalEarth(0, -60)
	top := eeMaxY * scale
	height := math.Ceil((eeMaxY - ySouth) * scale)
	proj := func(lon, lat float64) point {
		x, y := equalEarth(lon, lat)
		return point{x*scale + o.Width/2, top - y*scale}
	}
	// Arcs are simplified once, in projected units, and kept in degrees:
	// rings that cross the antimeridian are cut before projecting.
	simple := make(map[int][][2]float64)
	arc := func(i int) ([][2]float64, error) {
		j := i
		if j < 0 {
			j = ^j
		}
		if j >= len(arcs) {
			return nil, fmt.Errorf("arc %d out of range", j)
		}
		s, ok := simple[j]
		if !ok {
			pts := make([]point, len(arcs[j]))
			for k, p := range arcs[j] {
				pts[k] = proj(p[0], p[1])
			}
			for _, k := range simplify(pts, o.Tolerance) {
				s = append(s, arcs[j][k])
			}
			simple[j] = s
		}
		if i < 0 {
			r := slices.Clone(s)
			slices.Reverse(r)
			return r, nil
		}
		return s, nil
	}
	byCode := map[string]*Country{}
	var order []string
	var other strings.Builder
	for _, g := range t.Objects.Countries.Geometries {
		code, name, ok := codeOf(g)
		if !ok || skip[code] {
			continue
		}
		polys, err := polygons(g)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.Properties.Name, err)
		}
		var rings [][]point
		for _, poly := range polys {
			for _, ring := range poly {
				var ll [][2]float64
				for _, ai := range ring {
					a, err := arc(ai)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", g.Properties.Name, err)
					}
					if len(ll) > 0 && len(a) > 0 {
						a = a[1:]
					}
					ll = append(ll, a...)
				}
				for _, piece := range cutAntimeridian(ll) {
					pts := make([]point, len(piece))
					for k, p := range piece {
						pts[k] = proj(p[0], p[1])
					}
					rings = append(rings, pts)
				}
			}
		}
		if code == "" {
			other.WriteString(encodeRings(rings, 0))
			continue
		}
		c := byCode[code]
		if c == nil {
			c = &Country{Code: code, Name: name}
			byCode[code] = c
			order = append(order, code)
		}
		addRings(c, rings)
	}
	m := &Map{Source: o.Source, License: "ISC (world-atlas, © 2013-2019 Michael Bostock); data: Natural Earth, public domain",
		Attribution: "Map: world-atlas 2.0.2 (ISC) from Natural Earth 4.1.0 (public domain)",
		Projection:  "Equal Earth, cut at 60°S", Width: int(math.Ceil(o.Width)), Height: int(height), Other: other.String()}
	slices.Sort(order)
	for _, code := range order {
		m.Countries = append(m.Countries, *byCode[code])
	}
	return m, nil
}

// addRings appends rings to c's path, keeping the largest ring's centre
// as the marker position.
func addRings(c *Country, rings [][]point) {
	best := c.bestArea
	// Drop specks: rings under minRing square units, unless the country
	// would vanish without them.
	const minRing = 0.8
	var kept [][]point
	bigAny := false
	for _, r := range rings {
		if math.Abs(area(r)) >= minRing {
			bigAny = true
		}
	}
	for _, r := range rings {
		a := math.Abs(area(r))
		if a < minRing && (bigAny || c.Path != "") {
			continue
		}
		kept = append(kept, r)
		c.Area += a
		if a > best {
			best = a
			minX, minY, maxX, maxY := bbox(r)
			c.X, c.Y = (minX+maxX)/2, (minY+maxY)/2
		}
	}
	if len(kept) == 0 && len(rings) > 0 {
		kept = rings[:1]
		minX, minY, maxX, maxY := bbox(rings[0])
		c.X, c.Y = (minX+maxX)/2, (minY+maxY)/2
	}
	c.bestArea = best
	c.Path += encodeRings(kept, 0)
}

func bbox(r []point) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range r {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	return
}

// area is the signed shoelace area of a ring.
func area(r []point) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].X*r[j].Y - r[j].X*r[i].Y
	}
	return s / 2
}

// codeOf maps a geometry to its alpha-2 code and English name. ok is
// false for shapes to leave out entirely.
func codeOf(g Geometry) (code, name string, ok bool) {
	if g.ID == "" || g.ID == "-99" {
		c, known := noCode[g.Properties.Name]
		if !known {
			return "", "", false
		}
		if c == "" {
			return "", g.Properties.Name, true
		}
		return c, displayName(c, g.Properties.Name), true
	}
	if _, err := strconv.Atoi(g.ID); err != nil {
		return "", "", false
	}
	r, err := language.ParseRegion(g.ID)
	if err != nil {
		return "", g.Properties.Name, true // unknown numeric code: plain land
	}
	c := r.String()
	if len(c) != 2 || c == "ZZ" {
		return "", g.Properties.Name, true
	}
	return c, displayName(c, g.Properties.Name), true
}

func displayName(code, fallback string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return fallback
	}
	if n := display.English.Regions().Name(r); n != "" && n != "Unknown Region" {
		return n
	}
	return fallback
}

// polygons returns a geometry's arcs as polygons of rings.
func polygons(g Geometry) ([][][]int, error) {
	switch g.Type {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return nil, err
		}
		return [][][]int{p}, nil
	case "MultiPolygon":
		var mp [][][]int
		if err := json.Unmarshal(g.Arcs, &mp); err != nil {
			return nil, err
		}
		return mp, nil
	case "", "null":
		return nil, nil
	}
	return nil, fmt.Errorf("geometry type %q", g.Type)
}

// decodeArcs undoes quantization and delta encoding: positions in degrees.
func decodeArcs(t *Topology) [][][2]float64 {
	out := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([][2]float64, len(a))
		var x, y float64
		for k, p := range a {
			if t.Transform == nil {
				pts[k] = p
				continue
			}
			x += p[0]
			y += p[1]
			pts[k] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = pts
	}
	return out
}

// simplify is Douglas-Peucker with the end points kept; it returns the
// indexes of the points kept. Simplifying arcs, not rings, keeps shared
// borders identical on both sides.
func simplify(pts []point, tol float64) []int {
	if len(pts) <= 2 || tol <= 0 {
		idx := make([]int, len(pts))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, dmax := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist(pts[i], pts[s.a], pts[s.b]); d > dmax {
				far, dmax = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.a, far}, span{far, s.b})
		}
	}
	var out []int
	for i, k := range keep {
		if k {
			out = append(out, i)
		}
	}
	return out
}

// cutAntimeridian returns a ring in degrees as one or two rings within
// [-180, 180]: a ring that jumps across the antimeridian (Russia's
// Chukotka, Fiji) is unwrapped into continuous longitudes, then clipped
// once as it is and once shifted by 360°. The clip edge is densified so
// that it follows the map's curved border.
func cutAntimeridian(ring [][2]float64) [][][2]float64 {
	if len(ring) < 3 {
		return [][][2]float64{ring}
	}
	un := make([][2]float64, len(ring))
	un[0] = ring[0]
	off := 0.0
	for i := 1; i < len(ring); i++ {
		d := ring[i][0] - ring[i-1][0]
		if d > 180 {
			off -= 360
		} else if d < -180 {
			off += 360
		}
		un[i] = [2]float64{ring[i][0] + off, ring[i][1]}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range un {
		lo, hi = min(lo, p[0]), max(hi, p[0])
	}
	if lo >= -180 && hi <= 180 {
		return [][][2]float64{ring}
	}
	var out [][][2]float64
	for _, shift := range []float64{0, 360, -360} {
		sh := make([][2]float64, len(un))
		for i, p := range un {
			sh[i] = [2]float64{p[0] + shift, p[1]}
		}
		c := clipX(clipX(sh, -180, true), 180, false)
		if len(c) >= 3 {
			out = append(out, densifyEdge(c))
		}
	}
	return out
}

// clipX clips a ring to x >= edge (keepAbove) or x <= edge
// (Sutherland-Hodgman against one vertical line).
func clipX(ring [][2]float64, edge float64, keepAbove bool) [][2]float64 {
	in := func(p [2]float64) bool {
		if keepAbove {
			return p[0] >= edge
		}
		return p[0] <= edge
	}
	var out [][2]float64
	for i := range ring {
		cur, prev := ring[i], ring[(i+len(ring)-1)%len(ring)]
		if in(cur) {
			if !in(prev) {
				out = append(out, crossX(prev, cur, edge))
			}
			out = append(out, cur)
		} else if in(prev) {
			out = append(out, crossX(prev, cur, edge))
		}
	}
	return out
}

func crossX(a, b [2]float64, x float64) [2]float64 {
	t := (x - a[0]) / (b[0] - a[0])
	return [2]float64{x, a[1] + t*(b[1]-a[1])}
}

// densifyEdge adds a point every degree of latitude along stretches of
// the ring that run on the ±180° meridian.
func densifyEdge(ring [][2]float64) [][2]float64 {
	var out [][2]float64
	for i, p := range ring {
		out = append(out, p)
		q := ring[(i+1)%len(ring)]
		if math.Abs(p[0]) == 180 && p[0] == q[0] {
			n := int(math.Abs(q[1] - p[1]))
			for k := 1; k < n; k++ {
				out = append(out, [2]float64{p[0], p[1] + (q[1]-p[1])*float64(k)/float64(n)})
			}
		}
	}
	return out
}

func segDist(p, a, b point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.X-a.X, p.Y-a.Y)
	}
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / l2
	t = max(0, min(1, t))
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// encodeRings writes rings as an SVG path: an absolute move, relative
// lines in whole units (tenths would double the size for no visible
// gain at screen sizes), and a close per ring.
func encodeRings(rings [][]point, _ int) string {
	var b strings.Builder
	for _, r := range rings {
		var prev [2]int
		n := 0
		for i, p := range r {
			q := [2]int{int(math.Round(p.X)), int(math.Round(p.Y))}
			if i == 0 {
				fmt.Fprintf(&b, "M%d %d", q[0], q[1])
				prev = q
				n++
				continue
			}
			if q == prev {
				continue
			}
			if n == 1 {
				b.WriteByte('l')
			} else if q[0]-prev[0] >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(q[0] - prev[0]))
			if q[1]-prev[1] >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(q[1] - prev[1]))
			prev = q
			n++
		}
		if n == 1 {
			b.WriteString("h1") // a speck stays visible as a dot
		}
		b.WriteByte('z')
	}
	return b.String()
}
