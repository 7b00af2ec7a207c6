package office

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

// ODF extracts OpenDocument text, spreadsheets and presentations. It is
// stateless and safe for concurrent use.
type ODF struct{}

var _ extract.Extractor = ODF{}

// Name implements extract.Extractor.
func (ODF) Name() string { return "odf" }

// Accepts implements extract.Extractor.
func (ODF) Accepts() []string { return []string{sniff.ODT, sniff.ODS, sniff.ODP} }

// maxRepeat caps how often a repeated non-empty ODS cell is written.
const maxRepeat = 64

// Extract implements extract.Extractor.
func (ODF) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("odf %s: %w", in.Name, err)
	}
	p, err := openPkg(in)
	if err != nil {
		return fmt.Errorf("odf %s: %w", in.Name, err)
	}
	defer p.Close()
	if err := extractODF(ctx, p, in, out); err != nil {
		return fmt.Errorf("odf %s: %w", in.Name, err)
	}
	return nil
}

var odfMetaKeys = map[string]string{
	"title": "title", "initial-creator": "author", "creator": "last_modified_by",
	"creation-date": "created", "date": "modified", "generator": "creator", "subject": "subject",
	"keyword": "keywords", "description": "description", "language": "language",
}

func extractODF(ctx context.Context, p *pkg, in *extract.Input, out extract.Sink) error {
	if err := p.props(ctx, "meta.xml", odfMetaKeys, out); err != nil {
		if extract.IsLimit(err) || ctx.Err() != nil {
			return err
		}
		out.Flag("damaged-properties")
	}
	if err := odfPageCount(p, out); err != nil && extract.IsLimit(err) {
		return err
	}
	if enc := odfEncrypted(p); len(enc) > 0 {
		out.Flag(FlagEncrypted)
		// The text and the pictures are encrypted; meta.xml stays
		// readable (ODF 1.2), so who wrote it and when is kept above.
		if enc["content.xml"] || enc[odfWholePackage] {
			return fmt.Errorf("content.xml: %w", extract.ErrEncrypted)
		}
	}
	rc, err := p.open("content.xml")
	if err != nil {
		return fmt.Errorf("%w: no content part", extract.ErrUnsupported)
	}
	defer rc.Close()
	capped := text.Cap(out, in.Limits.MaxText)
	paged := in.MIME == sniff.ODS || in.MIME == sniff.ODP
	if err := odfText(ctx, rc, capped, paged, in.Limits.MaxText); err != nil {
		return err
	}
	return p.children(ctx, out, "Pictures/", "Object ")
}

// odfWholePackage is the member that holds a whole ODF 1.3 package
// encrypted at once (LibreOffice 7.5+ writes only it and the manifest).
const odfWholePackage = "encrypted-package"

// odfEncrypted returns the members the manifest marks as encrypted: each
// manifest:file-entry with a manifest:encryption-data child. A package
// whose manifest cannot be read is taken as unencrypted; its content then
// tells.
func odfEncrypted(p *pkg) map[string]bool {
	enc := map[string]bool{}
	if p.has(odfWholePackage) {
		enc[odfWholePackage] = true
	}
	m, ok := p.byName["META-INF/manifest.xml"]
	if !ok || m.UncompressedSize64 >= 1<<20 {
		return enc
	}
	rc, err := p.open("META-INF/manifest.xml")
	if err != nil {
		return enc
	}
	defer rc.Close()
	d := newDecoder(rc)
	entry := ""
	for {
		tok, err := d.RawToken()
		if err != nil {
			return enc
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "file-entry":
				entry = attr(t, "full-path")
			case "encryption-data":
				if entry != "" {
					enc[entry] = true
				}
			}
		case xml.EndElement:
			if t.Name.Local == "file-entry" {
				entry = ""
			}
		}
	}
}

func odfPageCount(p *pkg, out extract.Sink) error {
	rc, err := p.open("meta.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "document-statistic" {
			if n := attr(se, "page-count"); n != "" {
				out.Meta("pages", n)
			}
			return nil
		}
	}
}

// odfRow is a table row being assembled: the flow offset where the
// current cell began, the cells so far and the empty cells owed.
type odfRow struct {
	cells     []string
	empty     int
	cellStart int
	repeat    int
}

// odfText walks content.xml. With paged, each sheet (table:table at the
// top of the body) or slide (draw:page) is a Page.
func odfText(ctx context.Context, r io.Reader, out *text.Capped, paged bool, maxText int64) error {
	d := newDecoder(r)
	f := &flow{max: int(min(maxText, 1<<40))}
	var (
		inPara    int
		rows      []*odfRow // stack: nested tables
		tables    int
		pageLabel string
		pageNum   int
		inPage    bool
	)
	emitPage := func() {
		pageNum++
		out.Page(extract.Page{Number: pageNum, Label: pageLabel, Text: f.String()})
		f = &flow{max: int(min(maxText-out.Written(), 1<<40))}
	}
walk:
	for n := 0; ; n++ {
		if n%8192 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if f.full() || out.Full() {
			break
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if f.b.Len() > 0 || pageNum > 0 {
				out.Flag("damaged-content")
				break
			}
			return fmt.Errorf("content.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p", "h":
				inPara++
			case "s":
				c, _ := strconv.Atoi(attr(t, "c"))
				f.text(strings.Repeat(" ", min(max1(c), 100)))
			case "tab":
				f.text("\t")
			case "line-break":
				f.lineBreak()
			case "page":
				if paged && t.Name.Space == "draw" {
					inPage = true
					pageLabel = attr(t, "name")
				}
			case "table":
				if t.Name.Space != "table" {
					continue
				}
				tables++
				if paged && !inPage && tables == 1 {
					pageLabel = attr(t, "name")
				}
			case "table-row":
				if t.Name.Space == "table" {
					// Tables in cells of tables nest rows: past
					// leak.MaxNesting the file is malformed; keep
					// what was read.
					if len(rows) >= leak.MaxNesting {
						out.Flag(leak.FlagDeepNesting)
						break walk
					}
					rep, _ := strconv.Atoi(attr(t, "number-rows-repeated"))
					rows = append(rows, &odfRow{repeat: rep})
				}
			case "table-cell", "covered-table-cell":
				if t.Name.Space == "table" && len(rows) > 0 {
					row := rows[len(rows)-1]
					row.cellStart = f.b.Len()
					rep, _ := strconv.Atoi(attr(t, "number-columns-repeated"))
					row.repeat = max1(rep)
					f.cellStart()
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p", "h":
				inPara = max(0, inPara-1)
				f.paraEnd()
			case "table-cell", "covered-table-cell":
				if t.Name.Space != "table" || len(rows) == 0 {
					continue
				}
				row := rows[len(rows)-1]
				if f.cell > 0 {
					f.cell--
				}
				s := strings.TrimSpace(f.b.String()[min(row.cellStart, f.b.Len()):])
				truncate(f, row.cellStart)
				if s == "" {
					row.empty += row.repeat
					continue
				}
				for i := 0; i < row.empty && len(row.cells) < maxColumns; i++ {
					row.cells = append(row.cells, "")
				}
				row.empty = 0
				for i := 0; i < min(row.repeat, maxRepeat) && len(row.cells) < maxColumns; i++ {
					row.cells = append(row.cells, flattenCell(s))
				}
			case "table-row":
				if t.Name.Space != "table" || len(rows) == 0 {
					continue
				}
				row := rows[len(rows)-1]
				rows = rows[:len(rows)-1]
				if len(row.cells) > 0 {
					f.b.WriteString(strings.Join(row.cells, "\t"))
					if len(rows) > 0 {
						f.b.WriteByte(' ') // a table inside a cell stays in the cell
					} else {
						f.b.WriteByte('\n')
					}
				}
			case "table":
				if t.Name.Space != "table" {
					continue
				}
				tables = max(0, tables-1)
				if paged && !inPage && tables == 0 {
					emitPage()
				}
			case "page":
				if paged && inPage && t.Name.Space == "draw" {
					inPage = false
					emitPage()
				}
			}
		case xml.CharData:
			if inPara > 0 {
				f.text(string(t))
			}
		}
	}
	if !paged {
		out.Text(f.String())
	} else if strings.TrimSpace(f.String()) != "" {
		emitPage()
	}
	return nil
}

func truncate(f *flow, n int) {
	s := f.b.String()
	if n < len(s) {
		f.b.Reset()
		f.b.WriteString(s[:n])
	}
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
