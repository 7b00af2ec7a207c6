package demo

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// zipEntry is one member of a zip written by zipBytes.
type zipEntry struct {
	name string
	data []byte
}

// zipBytes writes entries in order with a fixed modification time, so the
// archive is byte-identical on every run.
func zipBytes(entries []zipEntry, mod time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", e.name, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, fmt.Errorf("zip %s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// esc escapes s for XML character data and attribute values.
func esc(s string) string {
	var sb strings.Builder
	_ = xml.EscapeText(&sb, []byte(s)) // writes to a strings.Builder cannot fail
	return sb.String()
}

const (
	xmlHead      = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsRels       = "http://schemas.openxmlformats.org/package/2006/relationships"
	relOffice    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore      = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	ctCore       = "application/vnd.openxmlformats-package.core-properties+xml"
	nsOfficeRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// props are the core properties (docProps/core.xml) of an OOXML file.
type props struct {
	title, creator string
	created        time.Time
}

func (p props) coreXML() []byte {
	ts := p.created.UTC().Format("2006-01-02T15:04:05Z")
	return []byte(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(p.title) + `</dc:title><dc:creator>` + esc(p.creator) + `</dc:creator>` +
		`<cp:lastModifiedBy>` + esc(p.creator) + `</cp:lastModifiedBy>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>` +
		`</cp:coreProperties>`)
}

// contentTypes writes [Content_Types].xml with the given part overrides
// (part name -> content type), in the order given.
func contentTypes(overrides ...[2]string) []byte {
	var sb strings.Builder
	sb.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	sb.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	sb.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	for _, o := range overrides {
		fmt.Fprintf(&sb, `<Override PartName="%s" ContentType="%s"/>`, o[0], o[1])
	}
	sb.WriteString(`</Types>`)
	return []byte(sb.String())
}

// rels writes a relationships part; each rel is {type, target}, numbered
// rId1, rId2, ... in order.
func rels(rs ...[2]string) []byte {
	var sb strings.Builder
	sb.WriteString(xmlHead + `<Relationships xmlns="` + nsRels + `">`)
	for i, r := range rs {
		fmt.Fprintf(&sb, `<Relationship Id="rId%d" Type="%s" Target="%s"/>`, i+1, r[0], r[1])
	}
	sb.WriteString(`</Relationships>`)
	return []byte(sb.String())
}

// docx builds a Word document of paragraphs followed by one table. It
// returns the file and its text (paragraphs, then table rows with cells
// separated by tabs).
func docx(p props, paras []string, table [][]string) ([]byte, string, error) {
	var body, text strings.Builder
	for _, para := range paras {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc(para) + `</w:t></w:r></w:p>`)
		text.WriteString(para + "\n")
	}
	if len(table) > 0 {
		body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
		for _, row := range table {
			body.WriteString(`<w:tr>`)
			for _, cell := range row {
				body.WriteString(`<w:tc><w:p><w:r><w:t xml:space="preserve">` + esc(cell) + `</w:t></w:r></w:p></w:tc>`)
			}
			body.WriteString(`</w:tr>`)
			text.WriteString(strings.Join(row, "\t") + "\n")
		}
		body.WriteString(`</w:tbl>`)
	}
	doc := xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() + `<w:sectPr/></w:body></w:document>`
	data, err := zipBytes([]zipEntry{
		{"[Content_Types].xml", contentTypes(
			[2]string{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
			[2]string{"/docProps/core.xml", ctCore})},
		{"_rels/.rels", rels([2]string{relOffice, "word/document.xml"}, [2]string{relCore, "docProps/core.xml"})},
		{"word/document.xml", []byte(doc)},
		{"docProps/core.xml", p.coreXML()},
	}, p.created)
	return data, text.String(), err
}

// sheet is one worksheet: a name and rows of cells. A cell that parses as
// a plain number is written as a number, anything else as a shared string.
type sheet struct {
	name string
	rows [][]string
}

func colName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return !strings.HasSuffix(s, ".") && (len(s) == 1 || s[0] != '0' || s[1] == '.')
}

// xlsx builds a workbook with a shared-strings table. It returns the file
// and its text (sheet name, then rows with cells separated by tabs).
func xlsx(p props, sheets []sheet) ([]byte, string, error) {
	var shared []string
	index := map[string]int{}
	str := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(shared)
		shared = append(shared, s)
		return len(shared) - 1
	}
	var text strings.Builder
	var parts []zipEntry
	var wbSheets strings.Builder
	var wbRels [][2]string
	overrides := [][2]string{{"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"}}
	for si, sh := range sheets {
		var sd strings.Builder
		text.WriteString(sh.name + "\n")
		for ri, row := range sh.rows {
			fmt.Fprintf(&sd, `<row r="%d">`, ri+1)
			for ci, cell := range row {
				ref := fmt.Sprintf("%s%d", colName(ci), ri+1)
				if isNumber(cell) {
					fmt.Fprintf(&sd, `<c r="%s"><v>%s</v></c>`, ref, cell)
				} else {
					fmt.Fprintf(&sd, `<c r="%s" t="s"><v>%d</v></c>`, ref, str(cell))
				}
			}
			sd.WriteString(`</row>`)
			text.WriteString(strings.Join(row, "\t") + "\n")
		}
		name := fmt.Sprintf("sheet%d.xml", si+1)
		parts = append(parts, zipEntry{"xl/worksheets/" + name, []byte(xmlHead +
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			sd.String() + `</sheetData></worksheet>`)})
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(sh.name), si+1, si+1)
		wbRels = append(wbRels, [2]string{nsOfficeRels + "/worksheet", "worksheets/" + name})
		overrides = append(overrides, [2]string{"/xl/worksheets/" + name, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"})
	}
	wbRels = append(wbRels, [2]string{nsOfficeRels + "/sharedStrings", "sharedStrings.xml"})
	overrides = append(overrides,
		[2]string{"/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"},
		[2]string{"/docProps/core.xml", ctCore})
	var sst strings.Builder
	fmt.Fprintf(&sst, xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(shared), len(shared))
	for _, s := range shared {
		sst.WriteString(`<si><t xml:space="preserve">` + esc(s) + `</t></si>`)
	}
	sst.WriteString(`</sst>`)
	entries := []zipEntry{
		{"[Content_Types].xml", contentTypes(overrides...)},
		{"_rels/.rels", rels([2]string{relOffice, "xl/workbook.xml"}, [2]string{relCore, "docProps/core.xml"})},
		{"xl/workbook.xml", []byte(xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` +
			nsOfficeRels + `"><sheets>` + wbSheets.String() + `</sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", rels(wbRels...)},
	}
	entries = append(entries, parts...)
	entries = append(entries, zipEntry{"xl/sharedStrings.xml", []byte(sst.String())}, zipEntry{"docProps/core.xml", p.coreXML()})
	data, err := zipBytes(entries, p.created)
	return data, text.String(), err
}

// slide is one slide: a title and body paragraphs.
type slide struct {
	title string
	body  []string
}

// pptx builds a presentation of slides, each a title shape and a body
// shape. It carries no slide master or theme: enough for every text
// extractor, which reads ppt/slides/*.xml, though PowerPoint itself may ask
// to repair it.
func pptx(p props, slides []slide) ([]byte, string, error) {
	const ns = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="` + nsOfficeRels +
		`" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	shape := func(id int, name string, paras []string) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, `<p:sp><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>`, id, name)
		for _, para := range paras {
			sb.WriteString(`<a:p><a:r><a:rPr lang="zh-CN"/><a:t>` + esc(para) + `</a:t></a:r></a:p>`)
		}
		sb.WriteString(`</p:txBody></p:sp>`)
		return sb.String()
	}
	var text strings.Builder
	var entries []zipEntry
	var ids strings.Builder
	presRels := [][2]string{}
	overrides := [][2]string{{"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"}}
	for i, sl := range slides {
		name := fmt.Sprintf("slide%d.xml", i+1)
		x := xmlHead + `<p:sld ` + ns + `><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>` +
			shape(2, "Title 1", []string{sl.title}) + shape(3, "Content 2", sl.body) + `</p:spTree></p:cSld></p:sld>`
		entries = append(entries, zipEntry{"ppt/slides/" + name, []byte(x)})
		fmt.Fprintf(&ids, `<p:sldId id="%d" r:id="rId%d"/>`, 256+i, i+1)
		presRels = append(presRels, [2]string{nsOfficeRels + "/slide", "slides/" + name})
		overrides = append(overrides, [2]string{"/ppt/slides/" + name, "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"})
		text.WriteString(sl.title + "\n")
		for _, para := range sl.body {
			text.WriteString(para + "\n")
		}
	}
	overrides = append(overrides, [2]string{"/docProps/core.xml", ctCore})
	head := []zipEntry{
		{"[Content_Types].xml", contentTypes(overrides...)},
		{"_rels/.rels", rels([2]string{relOffice, "ppt/presentation.xml"}, [2]string{relCore, "docProps/core.xml"})},
		{"ppt/presentation.xml", []byte(xmlHead + `<p:presentation ` + ns + `><p:sldIdLst>` + ids.String() +
			`</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`)},
		{"ppt/_rels/presentation.xml.rels", rels(presRels...)},
	}
	entries = append(head, entries...)
	entries = append(entries, zipEntry{"docProps/core.xml", p.coreXML()})
	data, err := zipBytes(entries, p.created)
	return data, text.String(), err
}
