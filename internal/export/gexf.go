package export

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

type gexfDoc struct {
	XMLName xml.Name  `xml:"gexf"`
	XMLNS   string    `xml:"xmlns,attr"`
	Version string    `xml:"version,attr"`
	Meta    gexfMeta  `xml:"meta"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	LastModified string `xml:"lastmodifieddate,attr"`
	Creator      string `xml:"creator"`
	Description  string `xml:"description"`
}

type gexfGraph struct {
	Mode        string         `xml:"mode,attr"`
	DefaultEdge string         `xml:"defaultedgetype,attr"`
	Attributes  gexfAttributes `xml:"attributes"`
	Nodes       []gexfNode     `xml:"nodes>node"`
	Edges       []gexfEdge     `xml:"edges>edge"`
}

type gexfAttributes struct {
	Class string          `xml:"class,attr"`
	Attrs []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNode struct {
	ID     string      `xml:"id,attr"`
	Label  string      `xml:"label,attr"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfEdge struct {
	ID     string  `xml:"id,attr"`
	Source string  `xml:"source,attr"`
	Target string  `xml:"target,attr"`
	Weight float64 `xml:"weight,attr"`
	Label  string  `xml:"label,attr,omitempty"`
}

// WriteGEXF writes the chat graph as GEXF 1.3 for Gephi: a node per
// person (attribute kind "person", messages sent) and per group
// conversation (kind "group", messages), a directed edge per chat edge
// between people weighted by its message count (label "talks-to"), an
// edge from a sender to the group node for the messages it posted there
// (label "posts-to": a people.Edge to "#" and a group title names a
// group, never a person), and an edge of weight 1 from each participant
// to each group it is in (label "member"). Node ids are stable across
// exports.
func WriteGEXF(w io.Writer, f *Findings, o Options) error {
	g := gexfGraph{Mode: "static", DefaultEdge: "directed", Attributes: gexfAttributes{Class: "node", Attrs: []gexfAttribute{
		{ID: "kind", Title: "kind", Type: "string"}, {ID: "messages", Title: "messages", Type: "integer"}}}}
	person := map[string]string{}
	addPerson := func(name string, messages int) string {
		if nid, ok := person[name]; ok {
			return nid
		}
		nid := "p-" + f.id("gexf", "person", name)
		person[name] = nid
		g.Nodes = append(g.Nodes, gexfNode{ID: nid, Label: clean(name), Values: []gexfValue{
			{For: "kind", Value: "person"}, {For: "messages", Value: strconv.Itoa(messages)}}})
		return nid
	}
	group := map[string]string{} // title -> node id
	addGroup := func(key, label string, messages int) string {
		if gid, ok := group[label]; ok {
			return gid
		}
		gid := "g-" + f.id("gexf", "group", key)
		group[label] = gid
		g.Nodes = append(g.Nodes, gexfNode{ID: gid, Label: clean(label), Values: []gexfValue{
			{For: "kind", Value: "group"}, {For: "messages", Value: strconv.Itoa(messages)}}})
		return gid
	}
	for _, q := range f.Persons {
		addPerson(q.Name, q.Messages)
	}
	edge := func(src, dst string, weight int, label string) {
		g.Edges = append(g.Edges, gexfEdge{ID: strconv.Itoa(len(g.Edges)), Source: src, Target: dst, Weight: float64(weight), Label: label})
	}
	var members [][2]string
	for _, c := range f.Conversations {
		if !c.Group {
			continue
		}
		label := c.Title
		if label == "" {
			label = c.ID
		}
		gid := addGroup(c.ID, label, c.Messages)
		for _, p := range c.Participants {
			members = append(members, [2]string{p, gid})
		}
	}
	for _, e := range f.Edges {
		if title, ok := strings.CutPrefix(e.To, groupPrefix); ok {
			edge(addPerson(e.From, 0), addGroup(title, title, 0), e.Count, "posts-to")
			continue
		}
		edge(addPerson(e.From, 0), addPerson(e.To, 0), e.Count, "talks-to")
	}
	for _, m := range members {
		edge(addPerson(m[0], 0), m[1], 1, "member")
	}
	doc := gexfDoc{XMLNS: "http://gexf.net/1.3", Version: "1.3", Graph: g, Meta: gexfMeta{
		LastModified: o.created().Format("2006-01-02"), Creator: "leakscope",
		Description: clean("Who talks to whom in the chats of case " + f.Case)}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
