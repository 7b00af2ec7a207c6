package office

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

// deep is n copies of open, then n copies of close.
func deep(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// TestNesting runs parts whose XML nests 100,000 deep through each
// extractor's public entry point: none may exhaust the stack or give up
// the text that comes before the deep run.
func TestNesting(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name     string
		ext      extract.Extractor
		mime     string
		data     []byte
		want     string
		wantFlag string
	}{
		{name: "docx nested tables", ext: DOCX{}, mime: sniff.DOCX, data: makeZip(t,
			member{"[Content_Types].xml", `<Types/>`},
			member{"word/document.xml", `<w:document ` + nsW + `><w:body><w:p><w:r><w:t>Acme Telecom</w:t></w:r></w:p>` +
				deep("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", n) + `</w:body></w:document>`}),
			want: "Acme Telecom"},
		{name: "docx unclosed elements", ext: DOCX{}, mime: sniff.DOCX, data: makeZip(t,
			member{"[Content_Types].xml", `<Types/>`},
			member{"word/document.xml", `<w:document ` + nsW + `><w:body><w:p><w:r><w:t>Acme Telecom</w:t></w:r></w:p>` +
				strings.Repeat("<w:sdt>", n)}),
			want: "Acme Telecom"},
		{name: "xlsx nested shared strings", ext: XLSX{}, mime: sniff.XLSX, data: makeZip(t,
			member{"[Content_Types].xml", `<Types/>`},
			member{"xl/workbook.xml", `<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
			member{"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`},
			member{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c t="inlineStr"><is><t>Nordhavn Shipping</t></is></c></row>` +
				deep("<row><c>", "</c></row>", n) + `</sheetData></worksheet>`}),
			want: "Nordhavn Shipping"},
		{name: "pptx nested groups", ext: PPTX{}, mime: sniff.PPTX, data: makeZip(t,
			member{"[Content_Types].xml", `<Types/>`},
			member{"ppt/presentation.xml", `<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
			member{"ppt/_rels/presentation.xml.rels", `<Relationships><Relationship Id="rId2" Target="slides/slide1.xml"/></Relationships>`},
			member{"ppt/slides/slide1.xml", `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Acme Telecom</a:t></a:r></a:p></p:txBody></p:sp>` +
				deep("<p:grpSp>", "</p:grpSp>", n) + `</p:spTree></p:cSld></p:sld>`}),
			want: "Acme Telecom"},
		{name: "odt nested tables", ext: ODF{}, mime: sniff.ODT, data: odf(t, sniff.ODT, `<office:text><text:p>Nordhavn Shipping</text:p>`+
			deep(`<table:table><table:table-row><table:table-cell>`, `</table:table-cell></table:table-row></table:table>`, n)+`</office:text>`),
			want: "Nordhavn Shipping", wantFlag: leak.FlagDeepNesting},
		{name: "ods nested spans", ext: ODF{}, mime: sniff.ODS, data: odf(t, sniff.ODS, `<office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell><text:p>Acme Telecom`+
			deep("<text:span>", "</text:span>", n)+`</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`),
			want: "Acme Telecom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, t.TempDir(), "deep", tt.mime, tt.data, leak.DefaultLimits())
			r := &extracttest.Recorder{}
			err := extracttest.RunWith(t.Context(), tt.ext, in, r)
			if _, panicked := err.(*extracttest.PanicError); panicked {
				t.Fatal(err)
			}
			if !strings.Contains(r.Body(), tt.want) {
				t.Errorf("body %.200q does not contain %q (err %v)", r.Body(), tt.want, err)
			}
			if tt.wantFlag != "" && !r.HasFlag(tt.wantFlag) {
				t.Errorf("flags %v, want %s", r.Flags, tt.wantFlag)
			}
		})
	}
}
