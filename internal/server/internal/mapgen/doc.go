// Mapgen turns Natural Earth country outlines, as redistributed in the
// world-atlas npm package (TopoJSON, ISC licence, data in the public
// domain), into the world map the server draws its choropleth from.
//
// # Why a generator
//
// The server must never fetch anything at run time and ships as one
// binary, so the map is data embedded in it. TopoJSON needs decoding
// (quantized, delta-encoded arcs shared between neighbours) and
// projecting; doing that once here keeps the server free of GIS code and
// the embedded file small (about 90 KB for 235 countries).
//
// # What it does
//
// It decodes the arcs, simplifies each arc once with Douglas-Peucker in
// projected units (so a border shared by two countries stays identical on
// both sides), cuts rings that cross the antimeridian, projects with the
// Equal Earth projection (equal-area: shaded area is proportional to real
// area), drops Antarctica and specks smaller than a pixel, and writes one
// SVG path per ISO 3166-1 alpha-2 code. world-atlas identifies countries
// by numeric ISO code; golang.org/x/text/language maps those to alpha-2
// (and gives the English names). Shapes without a numeric code are mapped
// by name (Kosovo XK, Somaliland SO, Northern Cyprus CY) or drawn as plain
// land.
package main
