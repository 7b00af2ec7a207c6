package office

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// maxColumns caps the columns of a row, so that a cell at XFD1048576
// cannot make a row of sixteen thousand tabs per line.
const maxColumns = 16384

// XLSX extracts Excel workbooks (xlsx, xlsm, xltx). It is stateless and
// safe for concurrent use.
type XLSX struct{}

var _ extract.Extractor = XLSX{}

// Name implements extract.Extractor.
func (XLSX) Name() string { return "xlsx" }

// Accepts implements extract.Extractor.
func (XLSX) Accepts() []string { return []string{sniff.XLSX} }

// Extract implements extract.Extractor.
func (XLSX) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("xlsx %s: %w", in.Name, err)
	}
	p, err := openPkg(in)
	if err != nil {
		return fmt.Errorf("xlsx %s: %w", in.Name, err)
	}
	defer p.Close()
	if err := extractXLSX(ctx, p, in, out); err != nil {
		return fmt.Errorf("xlsx %s: %w", in.Name, err)
	}
	return nil
}

type sheetRef struct {
	name, part string
	hidden     bool
}

type workbook struct {
	sheets   []sheetRef
	date1904 bool
	strings  []string
	styles   []cellStyle // by cellXfs index
}

type cellStyle int

const (
	styleGeneral cellStyle = iota
	styleDate
	stylePercent
)

func extractXLSX(ctx context.Context, p *pkg, in *extract.Input, out extract.Sink) error {
	if err := p.ooxmlProps(ctx, out); err != nil {
		return err
	}
	wbPart := mainPart(p, "xl/workbook.xml")
	if !p.has(wbPart) {
		if p.has("xl/workbook.bin") {
			return fmt.Errorf("%w: binary workbook (xlsb)", extract.ErrUnsupported)
		}
		return fmt.Errorf("%w: no workbook part", extract.ErrUnsupported)
	}
	wb, err := readWorkbook(ctx, p, wbPart)
	if err != nil {
		return err
	}
	out.Meta("sheets", strconv.Itoa(len(wb.sheets)))
	capped := text.Cap(out, in.Limits.MaxText)
	hidden := false
	for i, sh := range wb.sheets {
		if capped.Full() {
			break
		}
		hidden = hidden || sh.hidden
		f := &flow{max: int(min(in.Limits.MaxText-capped.Written(), 1<<40))}
		if err := wb.sheetText(ctx, p, sh.part, f); err != nil {
			if extract.IsLimit(err) || ctx.Err() != nil {
				return err
			}
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			out.Flag("damaged-sheet")
		}
		capped.Page(extract.Page{Number: i + 1, Label: sh.name, Text: f.String()})
	}
	if hidden {
		out.Flag(FlagHiddenSheet)
	}
	return p.children(ctx, out, "xl/media/", "xl/embeddings/")
}

func readWorkbook(ctx context.Context, p *pkg, part string) (*workbook, error) {
	dir := path.Dir(part)
	rels, err := p.rels(path.Join(dir, "_rels", path.Base(part)+".rels"), dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	wb := &workbook{}
	rc, err := p.open(part)
	if err != nil {
		return nil, err
	}
	d := newDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", part, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			wb.date1904 = v == "1" || v == "true"
		case "sheet":
			target := rels[relID(se)]
			if target == "" {
				target = path.Join(dir, "worksheets", "sheet"+attr(se, "sheetId")+".xml")
			}
			st := attr(se, "state")
			wb.sheets = append(wb.sheets, sheetRef{name: attr(se, "name"), part: target, hidden: st == "hidden" || st == "veryHidden"})
		}
	}
	rc.Close()
	// Shared strings and styles are found by relationship type name
	// in practice at fixed places; try the relationships first.
	ss, styles := path.Join(dir, "sharedStrings.xml"), path.Join(dir, "styles.xml")
	for _, t := range rels {
		switch strings.ToLower(path.Base(t)) {
		case "sharedstrings.xml":
			ss = t
		case "styles.xml":
			styles = t
		}
	}
	if wb.strings, err = readSharedStrings(ctx, p, ss); err != nil && !errors.Is(err, fs.ErrNotExist) {
		if extract.IsLimit(err) || ctx.Err() != nil {
			return nil, err
		}
	}
	if wb.styles, err = readStyles(p, styles); err != nil && !errors.Is(err, fs.ErrNotExist) {
		if extract.IsLimit(err) {
			return nil, err
		}
	}
	return wb, nil
}

func readSharedStrings(ctx context.Context, p *pkg, part string) ([]string, error) {
	rc, err := p.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := newDecoder(rc)
	var (
		out       []string
		cur       strings.Builder
		inSI, inT bool
		phonetic  int
	)
	for n := 0; ; n++ {
		if n%8192 == 0 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out = append(out, cur.String())
			case "t":
				inT = false
			case "rPh":
				phonetic = max(0, phonetic-1)
			}
		case xml.CharData:
			if inSI && inT && phonetic == 0 {
				cur.Write(t)
			}
		}
	}
}

// builtinDate lists the built-in number formats that show dates or times.
func builtinDate(id int) bool {
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)
}

func readStyles(p *pkg, part string) ([]cellStyle, error) {
	rc, err := p.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := newDecoder(rc)
	custom := map[int]cellStyle{}
	var out []cellStyle
	inXfs := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				custom[id] = classifyFormat(attr(t, "formatCode"))
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					continue
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				st, ok := custom[id]
				switch {
				case ok:
				case builtinDate(id):
					st = styleDate
				case id == 9 || id == 10:
					st = stylePercent
				}
				out = append(out, st)
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// classifyFormat tells a date format code (it has day, month, year or
// hour letters outside quotes, escapes and [colour] brackets) from others.
func classifyFormat(code string) cellStyle {
	var quoted, bracket bool
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == ';':
			return styleGeneral // only the first section decides
		case strings.IndexByte("dmyhsDMYHS", c) >= 0:
			return styleDate
		case c == '%':
			return stylePercent
		}
	}
	return styleGeneral
}

// sheetText writes the rows of a worksheet part as lines of
// tab-separated cells.
func (wb *workbook) sheetText(ctx context.Context, p *pkg, part string, f *flow) error {
	rc, err := p.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(rc)
	var (
		row             []string
		cellType, cellS string
		cellCol         int
		val             strings.Builder
		inV, inIS, inT  bool
		inCell          bool
		nextCol         int
	)
	for n := 0; ; n++ {
		if n%8192 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if f.full() {
			return nil
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row = row[:0]
				nextCol = 0
			case "c":
				inCell = true
				cellType, cellS = attr(t, "t"), attr(t, "s")
				cellCol = nextCol
				if c, ok := colIndex(attr(t, "r")); ok {
					cellCol = c
				}
				val.Reset()
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "c":
				inCell = false
				s := flattenCell(wb.cellText(cellType, cellS, val.String()))
				if s != "" && cellCol < maxColumns {
					for len(row) < cellCol {
						row = append(row, "")
					}
					row = append(row, s)
				}
				nextCol = cellCol + 1
			case "row":
				if len(row) > 0 {
					f.b.WriteString(strings.Join(row, "\t"))
					f.b.WriteByte('\n')
				}
			}
		case xml.CharData:
			if inCell && (inV || (inIS && inT)) {
				val.Write(t)
			}
		}
	}
}

// colIndex returns the 0-based column of a cell reference such as "AB12".
func colIndex(ref string) (int, bool) {
	c := 0
	i := 0
	for ; i < len(ref) && i < 4; i++ {
		ch := ref[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		c = c*26 + int(ch-'a'+1)
	}
	if i == 0 {
		return 0, false
	}
	return c - 1, true
}

func (wb *workbook) cellText(typ, style, v string) string {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(wb.strings) {
			return ""
		}
		return wb.strings[i]
	case "str", "inlineStr", "e", "d":
		return v
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE"
		}
		return "FALSE"
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	num, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(num, 0) || math.IsNaN(num) {
		return v
	}
	st := styleGeneral
	if i, err := strconv.Atoi(style); err == nil && i >= 0 && i < len(wb.styles) {
		st = wb.styles[i]
	}
	switch st {
	case styleDate:
		if s, ok := serialDate(num, wb.date1904); ok {
			return s
		}
	case stylePercent:
		return general(num*100) + "%"
	}
	return general(num)
}

// general formats a number the way Excel's General format does for
// ordinary magnitudes: at most 15 significant digits, no exponent.
func general(f float64) string {
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if a := math.Abs(g); a != 0 && (a >= 1e15 || a < 1e-9) {
		return strconv.FormatFloat(g, 'g', -1, 64)
	}
	return strconv.FormatFloat(g, 'f', -1, 64)
}

// serialDate converts an Excel serial day number to an ISO date, with the
// time of day when it is not midnight.
func serialDate(serial float64, date1904 bool) (string, bool) {
	if serial < 0 || serial > 2958465 { // after 9999-12-31
		return "", false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if serial < 61 {
		// Excel counts a 29 February 1900 that did not exist.
		base = base.AddDate(0, 0, 1)
	}
	days := math.Floor(serial)
	secs := math.Round((serial - days) * 86400)
	t := base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	if secs == 0 {
		return t.Format("2006-01-02"), true
	}
	if days == 0 && !date1904 {
		return t.Format("15:04:05"), true
	}
	return t.Format("2006-01-02 15:04:05"), true
}
