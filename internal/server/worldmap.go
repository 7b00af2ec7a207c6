package server

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// worldJSON is the projected world map made by internal/mapgen from
// world-atlas (ISC) / Natural Earth (public domain); see mapdata/NOTICE.
//
//go:generate go run ./internal/mapgen -in world-atlas-2.0.2.tgz -out mapdata/world.json
//go:embed mapdata/world.json
var worldJSON []byte

// worldMap is mapdata/world.json: one SVG path per ISO 3166-1 alpha-2
// code in a Width x Height coordinate space.
type worldMap struct {
	Attribution string `json:"attribution"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Countries   []struct {
		Code string  `json:"code"`
		Name string  `json:"name"`
		X    float64 `json:"x"`
		Y    float64 `json:"y"`
		Area float64 `json:"area"`
		D    string  `json:"d"`
	} `json:"countries"`
	Other string `json:"other"`
}

// loadWorld parses the embedded map; New fails if it is broken.
func loadWorld() (*worldMap, error) {
	var m worldMap
	if err := json.Unmarshal(worldJSON, &m); err != nil {
		return nil, fmt.Errorf("world map: %w", err)
	}
	if len(m.Countries) < 100 || m.Width <= 0 || m.Height <= 0 {
		return nil, errors.New("world map: too few countries")
	}
	return &m, nil
}

// mapShape is one country of the choropleth.
type mapShape struct {
	Code, Name, D string
	Count         int
	Level         int // 0 no targets, 1..5 shade
	Title         string
	Link          string
	Active        bool
	X, Y          float64
}

// mapView is everything the worldmap template draws.
type mapView struct {
	Width, Height int
	Shapes        []mapShape
	// Markers are targeted countries too small to see at map scale
	// (Singapore, Bahrain, Malta): a dot on top of the shape.
	Markers []mapShape
	Other   string
	// Intl are targets of international bodies (country INT), listed
	// beside the map; Off are countries not on the map, Unknown targets
	// without a country.
	// Targeted lists the shaded countries, most targets first, for
	// keyboard users and for reading the counts at a glance.
	Targeted    []mapShape
	Intl        []Target
	IntlLink    string
	Off         []mapShape
	Unknown     int
	Legend      []legendStep
	Active      string
	ClearLink   string
	Attribution string
}

type legendStep struct {
	Level int
	Label string
}

// markerArea is the projected area (square map units) under which a
// targeted country also gets a dot.
const markerArea = 60

// choropleth shades the map by the number of targets per country. Links
// go to base (a path) with country=CODE added to query q, so the target
// table is filtered by a click.
func (m *worldMap) choropleth(ts []Target, base string, q url.Values, active string) mapView {
	counts := map[string][]string{}
	var intl []Target
	unknown := 0
	for _, t := range ts {
		c := strings.ToUpper(t.Country)
		switch c {
		case "":
			unknown++
		case "INT":
			intl = append(intl, t)
		default:
			counts[c] = append(counts[c], t.Name)
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, len(n))
	}
	level := func(n int) int {
		if n == 0 || most == 0 {
			return 0
		}
		return max(1, min(5, (n*5+most-1)/most))
	}
	link := func(code string) string {
		v := cloneValues(q)
		v.Set("country", code)
		return base + "?" + v.Encode()
	}
	title := func(name, code string, names []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s): %d target", name, code, len(names))
		if len(names) != 1 {
			b.WriteByte('s')
		}
		sorted := slices.Clone(names)
		slices.Sort(sorted)
		for i, n := range sorted {
			if i == 8 {
				b.WriteString("\n… and " + strconv.Itoa(len(sorted)-8) + " more")
				break
			}
			b.WriteString("\n• " + n)
		}
		return b.String()
	}
	v := mapView{Width: m.Width, Height: m.Height, Other: m.Other, Intl: intl, Unknown: unknown,
		Active: active, Attribution: m.Attribution}
	seen := map[string]bool{}
	for _, c := range m.Countries {
		names := counts[c.Code]
		s := mapShape{Code: c.Code, Name: c.Name, D: c.D, Count: len(names), Level: level(len(names)), X: c.X, Y: c.Y,
			Active: c.Code == active}
		if s.Count > 0 {
			s.Title = title(c.Name, c.Code, names)
			s.Link = link(c.Code)
			seen[c.Code] = true
			if c.Area < markerArea {
				v.Markers = append(v.Markers, s)
			}
		} else {
			s.Title = c.Name
		}
		v.Shapes = append(v.Shapes, s)
	}
	for _, sh := range v.Shapes {
		if sh.Count > 0 {
			v.Targeted = append(v.Targeted, sh)
		}
	}
	slices.SortStableFunc(v.Targeted, func(a, b mapShape) int { return b.Count - a.Count })
	for code, names := range counts {
		if !seen[code] {
			v.Off = append(v.Off, mapShape{Code: code, Count: len(names), Title: title(code, code, names), Link: link(code), Active: code == active})
		}
	}
	slices.SortFunc(v.Off, func(a, b mapShape) int { return strings.Compare(a.Code, b.Code) })
	if len(intl) > 0 {
		v.IntlLink = link("INT")
	}
	if active != "" {
		cq := cloneValues(q)
		cq.Del("country")
		v.ClearLink = base
		if e := cq.Encode(); e != "" {
			v.ClearLink += "?" + e
		}
	}
	// Legend: the count range each shade stands for.
	for l := 1; l <= 5 && most > 0; l++ {
		lo, hi := (most*(l-1))/5+1, (most*l)/5
		if hi < lo {
			continue
		}
		label := strconv.Itoa(lo)
		if hi > lo {
			label += "–" + strconv.Itoa(hi)
		}
		v.Legend = append(v.Legend, legendStep{Level: l, Label: label})
	}
	return v
}
