package office

import (
	"context"
	"encoding/xml"
	"io"
	"strings"
)

// flow assembles document text: paragraphs end lines, table cells are
// separated by tabs and rows end lines. It stops growing past max bytes
// (0: no cap); the extractor then stops parsing.
type flow struct {
	b    strings.Builder
	cell int // depth of open table cells
	max  int
}

func (f *flow) full() bool { return f.max > 0 && f.b.Len() > f.max }

func (f *flow) text(s string) {
	if f.full() {
		return
	}
	if f.cell > 0 {
		s = flattenCell(s)
	}
	f.b.WriteString(s)
}

func (f *flow) last() byte {
	s := f.b.String()
	if s == "" {
		return '\n'
	}
	return s[len(s)-1]
}

// paraEnd ends a paragraph: a line, or a space inside a cell.
func (f *flow) paraEnd() {
	if f.cell > 0 {
		if c := f.last(); c != ' ' && c != '\t' && c != '\n' {
			f.b.WriteByte(' ')
		}
		return
	}
	f.b.WriteByte('\n')
}

// lineBreak is an explicit break inside a paragraph.
func (f *flow) lineBreak() {
	if f.cell > 0 {
		f.paraEnd()
		return
	}
	f.b.WriteByte('\n')
}

func (f *flow) cellStart() { f.cell++ }

func (f *flow) cellEnd() {
	if f.cell > 0 {
		f.cell--
	}
	f.trimSpaces()
	f.b.WriteByte('\t')
}

// rowEnd ends a table row: trailing separators go, the line ends.
func (f *flow) rowEnd() {
	s := f.b.String()
	trimmed := strings.TrimRight(s, " \t")
	if len(trimmed) != len(s) {
		f.b.Reset()
		f.b.WriteString(trimmed)
	}
	if f.cell == 0 {
		f.b.WriteByte('\n')
	} else {
		f.b.WriteByte(' ')
	}
}

func (f *flow) trimSpaces() {
	s := f.b.String()
	if strings.HasSuffix(s, " ") {
		f.b.Reset()
		f.b.WriteString(strings.TrimRight(s, " "))
	}
}

func (f *flow) String() string { return f.b.String() }

var cellFlattener = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

func flattenCell(s string) string {
	if strings.ContainsAny(s, "\r\n\t") {
		return cellFlattener.Replace(s)
	}
	return s
}

// ooxmlText walks a WordprocessingML or DrawingML part and writes its text
// to f. It reports whether deleted (tracked) text was found. The element
// names it acts on are shared by both vocabularies: p, r, t, tab, br, tbl,
// tr, tc; mc:Fallback repeats mc:Choice and is skipped.
func ooxmlText(ctx context.Context, r io.Reader, f *flow) (deleted bool, err error) {
	d := newDecoder(r)
	var inText, inRun, skip int
	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return deleted, err
			}
		}
		if f.full() {
			return deleted, nil
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			return deleted, nil
		}
		if err != nil {
			return deleted, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "Fallback":
				skip = 1
			case "t":
				inText++
			case "delText":
				inText++
				deleted = true
			case "r":
				inRun++
			case "tab":
				if inRun > 0 {
					f.text("\t")
				}
			case "br", "cr":
				if inRun > 0 || t.Name.Space == "a" {
					f.lineBreak()
				}
			case "noBreakHyphen":
				f.text("-")
			case "tc":
				f.cellStart()
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t", "delText":
				inText = max(0, inText-1)
			case "r":
				inRun = max(0, inRun-1)
			case "p":
				f.paraEnd()
			case "tc":
				f.cellEnd()
			case "tr":
				f.rowEnd()
			}
		case xml.CharData:
			if inText > 0 && skip == 0 {
				f.text(string(t))
			}
		}
	}
}
