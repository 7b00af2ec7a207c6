// Command mapgen converts world-atlas TopoJSON (Natural Earth admin-0
// countries) into the small projected world map that the server embeds
// as mapdata/world.json. It is run once by hand, never at run time:
//
//	npm pack world-atlas@2.0.2          # gives world-atlas-2.0.2.tgz
//	go run ./internal/server/internal/mapgen -in world-atlas-2.0.2.tgz -out internal/server/mapdata/world.json
//
// (or `go generate ./internal/server` with the tarball in internal/server).
// See doc.go for what it does and why.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("in", "world-atlas-2.0.2.tgz", "world-atlas npm tarball, or a countries-*.json TopoJSON file")
	member := flag.String("member", "package/countries-50m.json", "the TopoJSON file inside the tarball")
	out := flag.String("out", "mapdata/world.json", "output JSON")
	width := flag.Float64("width", 2000, "map width in output units")
	tol := flag.Float64("tolerance", 0.5, "Douglas-Peucker tolerance in output units")
	flag.Parse()
	if err := run(*in, *member, *out, *width, *tol); err != nil {
		fmt.Fprintln(os.Stderr, "mapgen:", err)
		os.Exit(1)
	}
}

func run(in, member, out string, width, tol float64) error {
	raw, err := readInput(in, member)
	if err != nil {
		return err
	}
	topo, err := Decode(raw)
	if err != nil {
		return err
	}
	m, err := Build(topo, Options{Width: width, Tolerance: tol, Source: "world-atlas 2.0.2 (" + member + ")"})
	if err != nil {
		return err
	}
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	fmt.Printf("%s: %d countries, %d bytes\n", out, len(m.Countries), len(b))
	return nil
}
