package office

import (
	"archive/zip"
	"bytes"
	"testing"
)

type member struct{ name, body string }

func makeZip(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		method := zip.Deflate
		if m.name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(m.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsW    = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
	pngSig = "\x89PNG\r\n\x1a\n0000"
	core   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<dc:title>技术服务合同</dc:title><dc:creator>钟晓岚</dc:creator><cp:lastModifiedBy>顾总</cp:lastModifiedBy>
<dcterms:created>2021-03-01T08:00:00Z</dcterms:created><dcterms:modified>2021-03-05T10:30:00Z</dcterms:modified>
</cp:coreProperties>`
	app = `<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>2</Pages><Company>锦帆</Company></Properties>`
)

func docx(t testing.TB) []byte {
	return makeZip(t,
		member{"[Content_Types].xml", `<Types/>`},
		member{"_rels/.rels", `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		member{"word/document.xml", `<w:document ` + nsW + `><w:body>
<w:p><w:r><w:t>甲方：东川市</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">乙方：锦帆 </w:t></w:r></w:p>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>目标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数据量</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>移民局</w:t></w:r></w:p><w:p><w:r><w:t>出入境</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>95.2G</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:del><w:r><w:delText>删除的金额 50000</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
</w:body></w:document>`},
		member{"word/header1.xml", `<w:hdr ` + nsW + `><w:p><w:r><w:t>机密</w:t></w:r></w:p></w:hdr>`},
		member{"word/header2.xml", `<w:hdr ` + nsW + `><w:p><w:r><w:t>机密</w:t></w:r></w:p></w:hdr>`},
		member{"word/footer1.xml", `<w:ftr ` + nsW + `><w:p><w:r><w:t>第 1 页</w:t></w:r></w:p></w:ftr>`},
		member{"word/footnotes.xml", `<w:footnotes ` + nsW + `><w:footnote><w:p><w:r><w:t>脚注：见附件</w:t></w:r></w:p></w:footnote></w:footnotes>`},
		member{"word/comments.xml", `<w:comments ` + nsW + `><w:comment w:author="x"><w:p><w:r><w:t>批注：核对金额</w:t></w:r></w:p></w:comment></w:comments>`},
		member{"word/media/image1.png", pngSig},
		member{"docProps/core.xml", core},
		member{"docProps/app.xml", app},
	)
}

func xlsx(t testing.TB) []byte {
	return makeZip(t,
		member{"[Content_Types].xml", `<Types/>`},
		member{"_rels/.rels", `<Relationships><Relationship Id="rId1" Target="xl/workbook.xml"/></Relationships>`},
		member{"xl/workbook.xml", `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets>
<sheet name="境外目标" sheetId="1" r:id="rId1"/><sheet name="隐藏" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`},
		member{"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Target="sharedStrings.xml"/><Relationship Id="rId4" Target="styles.xml"/></Relationships>`},
		member{"xl/sharedStrings.xml", `<sst><si><t>目标</t></si><si><t>国家</t></si><si><r><t>印度</t></r><r><t>移民局</t></r><rPh><t>いんど</t></rPh></si><si><t>IN</t></si><si><t xml:space="preserve">多行
说明</t></si></sst>`},
		member{"xl/styles.xml", `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy/m/d;@"/><numFmt numFmtId="165" formatCode="&quot;¥&quot;#,##0.00"/></numFmts>
<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="10"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs></styleSheet>`},
		member{"xl/worksheets/sheet1.xml", `<worksheet><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>日期</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>95.200000000000003</v></c><c r="D2" s="1"><v>44197</v></c><c r="E2" s="3"><v>0.125</v></c><c r="F2" s="4"><v>50000</v></c></row>
<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" s="2"><v>59</v></c><c r="D3" s="5"><v>44197.5</v></c><c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><f>A1</f><v>公式</v></c></row>
<row r="4"></row>
</sheetData></worksheet>`},
		member{"xl/worksheets/sheet2.xml", `<worksheet><sheetData><row><c t="inlineStr"><is><t>隐藏数据</t></is></c><c><v>1E+20</v></c></row></sheetData></worksheet>`},
		member{"docProps/core.xml", core},
	)
}

func pptx(t testing.TB) []byte {
	slide := func(title, body string) string {
		return `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>
<p:sp><p:txBody><a:p><a:r><a:t>` + title + `</a:t></a:r></a:p></p:txBody></p:sp>
<p:sp><p:txBody><a:p><a:pPr><a:tabLst><a:tab pos="1"/></a:tabLst></a:pPr><a:r><a:t>` + body + `</a:t></a:r><a:br/><a:r><a:t>第二行</a:t></a:r></a:p></p:txBody></p:sp>
</p:spTree></p:cSld></p:sld>`
	}
	return makeZip(t,
		member{"[Content_Types].xml", `<Types/>`},
		member{"ppt/presentation.xml", `<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>`},
		member{"ppt/_rels/presentation.xml.rels", `<Relationships><Relationship Id="rId2" Target="slides/slide1.xml"/><Relationship Id="rId3" Target="slides/slide2.xml"/></Relationships>`},
		member{"ppt/slides/slide1.xml", slide("第二页标题", "产品介绍")},
		member{"ppt/slides/slide2.xml", `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:graphicFrame><a:graphic><a:graphicData><a:tbl>
<a:tr><a:tc><a:txBody><a:p><a:r><a:t>客户</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>金额</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
<a:tr><a:tc><a:txBody><a:p><a:r><a:t>外交部</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>120万</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>`},
		member{"ppt/slides/_rels/slide2.xml.rels", `<Relationships><Relationship Id="rId1" Target="../notesSlides/notesSlide1.xml"/><Relationship Id="rId2" Target="../media/image1.png"/></Relationships>`},
		member{"ppt/notesSlides/notesSlide1.xml", `<p:notes xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>备注：报价保密</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:txBody><a:p><a:fld><a:t>1</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`},
		member{"ppt/media/image1.png", pngSig},
		member{"docProps/app.xml", `<Properties><Application>Microsoft Office PowerPoint</Application><Slides>2</Slides></Properties>`},
	)
}

const odfMeta = `<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="o" xmlns:meta="m" xmlns:dc="dc"><office:meta>
<meta:generator>LibreOffice/7.0</meta:generator><dc:title>年度总结</dc:title><meta:initial-creator>贺宁</meta:initial-creator><dc:creator>邵磊</dc:creator>
<meta:creation-date>2021-12-01T09:00:00</meta:creation-date><dc:date>2021-12-20T18:00:00</dc:date><meta:document-statistic meta:page-count="3"/></office:meta></office:document-meta>`

func odf(t testing.TB, mime, body string) []byte {
	return makeZip(t,
		member{"mimetype", mime},
		member{"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="table" xmlns:draw="draw" xmlns:presentation="pr"><office:body>` + body + `</office:body></office:document-content>`},
		member{"meta.xml", odfMeta},
		member{"Pictures/1.png", pngSig},
	)
}

func odt(t testing.TB) []byte {
	return odf(t, "application/vnd.oasis.opendocument.text", `<office:text>
<text:h>一、项目背景</text:h><text:p>服务器<text:s text:c="3"/>地址<text:tab/>192.0.2.1<text:line-break/>第二行<text:span>内联</text:span></text:p>
<table:table table:name="T1"><table:table-row><table:table-cell><text:p>名称</text:p></table:table-cell><table:table-cell><text:p>数量</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>邮箱</text:p><text:p>账号</text:p></table:table-cell><table:table-cell><text:p>300</text:p></table:table-cell></table:table-row></table:table>
<office:annotation><dc:creator xmlns:dc="dc">审阅人</dc:creator><text:p>批注内容</text:p></office:annotation>
</office:text>`)
}

func ods(t testing.TB) []byte {
	return odf(t, "application/vnd.oasis.opendocument.spreadsheet", `<office:spreadsheet>
<table:table table:name="员工"><table:table-row><table:table-cell><text:p>姓名</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell><text:p>电话</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16380"/></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>
<table:table table:name="Sheet2"><table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet>`)
}

func odp(t testing.TB) []byte {
	return odf(t, "application/vnd.oasis.opendocument.presentation", `<office:presentation>
<draw:page draw:name="封面"><draw:frame><draw:text-box><text:p>公司介绍</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>演讲备注</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>
<draw:page draw:name="第二页"><draw:frame><draw:text-box><text:p>产品列表</text:p></draw:text-box></draw:frame></draw:page>
</office:presentation>`)
}

func epub(t testing.TB) []byte {
	return makeZip(t,
		member{"mimetype", "application/epub+zip"},
		member{"META-INF/container.xml", `<container><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`},
		member{"OEBPS/content.opf", `<package xmlns:dc="dc"><metadata><dc:title>操作手册</dc:title><dc:creator>技术部</dc:creator><dc:language>zh-CN</dc:language></metadata>
<manifest><item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/><item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/><item id="img" href="images/a.png" media-type="image/png"/></manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>`},
		member{"OEBPS/text/ch1.xhtml", `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>第一章</title></head><body><h1>第一章 安装</h1><p>运行 setup.sh。</p></body></html>`},
		member{"OEBPS/text/ch2.xhtml", `<html><head><title>第二章</title></head><body><h1>第二章 使用</h1><script>x()</script><p>登录后台。</p></body></html>`},
		member{"OEBPS/images/a.png", pngSig},
	)
}
