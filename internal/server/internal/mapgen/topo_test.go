package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// tinyTopo is a hand-made topology: a square (numeric code 156, CN), a
// ring crossing the antimeridian (242, FJ) built from two arcs, Kosovo
// without an id, and Antarctica (010), which is dropped. Quantized with
// a transform of one degree per unit.
const tinyTopo = `{"type":"Topology",
"transform":{"scale":[1,1],"translate":[-180,-90]},
"arcs":[
 [[280,110],[10,0],[0,10],[-10,0],[0,-10]],
 [[358,70],[4,0],[0,4]],
 [[2,74],[-4,0],[0,-4]],
 [[200,132],[1,0],[0,1],[-1,0],[0,-1]],
 [[0,2],[359,0],[0,3],[-359,0],[0,-3]]
],
"objects":{"countries":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","arcs":[[0]],"id":"156","properties":{"name":"China"}},
 {"type":"Polygon","arcs":[[1,2]],"id":"242","properties":{"name":"Fiji"}},
 {"type":"Polygon","arcs":[[3]],"properties":{"name":"Kosovo"}},
 {"type":"Polygon","arcs":[[4]],"id":"010","properties":{"name":"Antarctica"}}
]}}}`

func TestBuild(t *testing.T) {
	topo, err := Decode([]byte(tinyTopo))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(topo, Options{Width: 2000, Tolerance: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range m.Countries {
		codes = append(codes, c.Code+" "+c.Name)
	}
	if diff := cmp.Diff([]string{"CN China", "FJ Fiji", "XK Kosovo"}, codes); diff != "" {
		t.Errorf("countries (-want +got):\n%s", diff)
	}
	fj := m.Countries[1]
	if n := strings.Count(fj.Path, "M"); n != 2 {
		t.Errorf("Fiji crosses the antimeridian: %d rings, want 2 (cut): %s", n, fj.Path)
	}
	for _, c := range m.Countries {
		if !strings.HasPrefix(c.Path, "M") || !strings.HasSuffix(c.Path, "z") {
			t.Errorf("%s path %q", c.Code, c.Path)
		}
		if c.X < 0 || c.X > float64(m.Width) || c.Y < 0 || c.Y > float64(m.Height) {
			t.Errorf("%s centre %v,%v outside %dx%d", c.Code, c.X, c.Y, m.Width, m.Height)
		}
	}
	// China's square lies north-east of the map centre.
	if cn := m.Countries[0]; cn.X <= 1000 || cn.Y >= float64(m.Height)/2 {
		t.Errorf("China at %v,%v", cn.X, cn.Y)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Countries []struct{ Code, D string }
	}
	if err := json.Unmarshal(b, &back); err != nil || len(back.Countries) != 3 {
		t.Errorf("round trip: %v, %d countries", err, len(back.Countries))
	}
}

func TestSimplify(t *testing.T) {
	tests := []struct {
		name string
		pts  []point
		tol  float64
		want []int
	}{
		{"straight line collapses", []point{{0, 0}, {1, 0.1}, {2, 0}, {3, 0.1}, {4, 0}}, 0.5, []int{0, 4}},
		{"corner kept", []point{{0, 0}, {5, 0}, {5, 5}}, 0.5, []int{0, 1, 2}},
		{"two points", []point{{0, 0}, {1, 1}}, 0.5, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, simplify(tt.pts, tt.tol)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not json", "{"},
		{"not a topology", `{"type":"FeatureCollection"}`},
		{"no countries", `{"type":"Topology","arcs":[],"objects":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode([]byte(tt.in)); err == nil {
				t.Errorf("Decode(%q) succeeded", tt.in)
			}
		})
	}
}

// FuzzBuild feeds arbitrary topologies through Decode and Build: no
// panic, and every path is ASCII SVG path data.
func FuzzBuild(f *testing.F) {
	f.Add([]byte(tinyTopo))
	f.Add([]byte(`{"type":"Topology","arcs":[[[0,0]]],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[-1]],"id":"4"}]}}}`))
	f.Add([]byte(`{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"MultiPolygon","arcs":[[[7]]],"id":"250"}]}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		topo, err := Decode(raw)
		if err != nil {
			return
		}
		m, err := Build(topo, Options{Width: 200, Tolerance: 0.5})
		if err != nil {
			return
		}
		for _, c := range m.Countries {
			if !utf8.ValidString(c.Name) {
				t.Errorf("name %q not UTF-8", c.Name)
			}
			if strings.Trim(c.Path, "Mlhz0123456789- .") != "" {
				t.Errorf("path has other characters: %q", c.Path)
			}
		}
	})
}
