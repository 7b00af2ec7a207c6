package demo

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/leakscope/leakscope/internal/sniff"
)

func (b *builder) business() error {
	s := b.s
	t := s.targets

	csv := "\ufeff" + b.targetCSV()
	b.add(File{Path: "业务/目标清单_2021.csv", MIME: sniff.CSV, Format: "csv", Languages: []string{"zh-Hans"},
		Encoding: "utf-8-bom", ModTime: at(2022, 2, 28, 17, 0, 0),
		What: "target list as CSV (unit, country, sector, data type, volume, date)"}, []byte(csv), csv)

	data, text, err := b.targetXLSX()
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	b.add(File{Path: "业务/2021年目标汇总.xlsx", MIME: sniff.XLSX, Format: "xlsx", Languages: []string{"zh-Hans", "en"},
		ModTime: at(2022, 3, 1, 10, 0, 0), Author: "韩立伟",
		What: "target list workbook: sheet 目标清单 and sheet 交付记录 (deliveries)"}, data, text)

	data, text, err = docx(props{title: t[0].nameZH + "项目阶段报告", creator: "苏静怡", created: at(2021, 5, 20, 9, 0, 0)},
		[]string{
			t[0].nameZH + "项目阶段报告",
			"编写：苏静怡    日期：2021年5月20日",
			"一、概况：2021年4月起对" + t[0].nameZH + "（" + t[0].nameEN + "）邮件系统开展工作，入口为 OWA。",
			"二、成果：获取邮件及内部文件约 " + t[0].volumeZH + "，已整理归档。",
			"三、基础设施：目标邮件服务器 " + s.mailIP + "，数据经跳板机回传。",
		},
		[][]string{
			{"目标单位", "数据类型", "数量", "时间"},
			{t[0].nameZH, zhCols["T01"][2], t[0].volumeRaw, t[0].date},
		})
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	b.add(File{Path: "业务/越南项目阶段报告.docx", MIME: sniff.DOCX, Format: "docx", Languages: []string{"zh-Hans", "en"},
		ModTime: at(2021, 5, 20, 9, 0, 0), Author: "苏静怡",
		What: "Word report on the Vietnam target: paragraphs, a table, core properties"}, data, text)

	data, text, err = pptx(props{title: "公司介绍", creator: "罗小梅", created: at(2022, 3, 10, 14, 0, 0)}, []slide{
		{title: s.companyZH, body: []string{s.companyEN, "服务：渗透测试、数据分析、舆情支撑", "联系：" + s.person("luo").email}},
		{title: "2021年典型案例", body: []string{
			t[3].nameZH + "：网络拓扑与SCADA文档",
			t[1].nameEN + "：话单 " + t[1].volumeZH,
			t[0].nameZH + "：邮件 " + t[0].volumeZH,
		}},
	})
	if err != nil {
		return fmt.Errorf("pptx: %w", err)
	}
	b.add(File{Path: "业务/公司介绍.pptx", MIME: sniff.PPTX, Format: "pptx", Languages: []string{"zh-Hans", "en"},
		ModTime: at(2022, 3, 10, 14, 0, 0), Author: "罗小梅",
		What: "two-slide company presentation naming three targets"}, data, text)

	lines := []string{
		s.companyEN,
		"Quarterly Report 2022 Q1 (internal; résumé of results)",
		"",
		"1. " + t[3].nameEN + ": " + t[3].volumeRaw + " of network diagrams and SCADA",
		"   documentation obtained in February 2022.",
		"2. " + t[1].nameEN + ": 1.2 million call records delivered.",
		"3. " + t[2].nameEN + ": " + t[2].volumeRaw + " of student records,",
		"   delivered in December 2020.",
		"",
		"Relay server: " + s.c2IP + "   Contact: " + s.person("han").email,
		"Prepared by Luo Xiaomei, 2022-03-15.",
	}
	pdf, err := textPDF("Quarterly Report 2022 Q1", "Luo Xiaomei", at(2022, 3, 15, 10, 0, 0), lines)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	b.add(File{Path: "业务/Quarterly_Report_2022Q1.pdf", MIME: sniff.PDF, Format: "pdf-text", Languages: []string{"en"},
		ModTime: at(2022, 3, 15, 10, 0, 0), Author: "Luo Xiaomei",
		What: "one-page text PDF (Helvetica, WinAnsi) in English naming three targets"}, pdf, strings.Join(lines, "\n")+"\n")
	return nil
}

// targetXLSX is the main target list workbook; misc/ holds a byte copy.
func (b *builder) targetXLSX() ([]byte, string, error) {
	t := b.s.targets
	list := [][]string{{"序号", "单位", "英文名称", "国家", "行业", "数据类型", "数量", "时间"}}
	for i, x := range t {
		c := zhCols[x.id]
		list = append(list, []string{fmt.Sprint(i + 1), x.nameZH, x.nameEN, c[0], c[1], c[2], x.volumeRaw, x.date})
	}
	deliveries := [][]string{
		{"日期", "单位", "数量", "接收人", "备注"},
		{"2020-12-15", t[2].nameZH, t[2].volumeRaw, "罗小梅", "全量"},
		{"2021-05-28", t[0].nameZH, t[0].volumeRaw, "罗小梅", "全量"},
		{"2021-07-21", t[1].nameZH, "10000", "罗小梅", "样本"},
		{"2021-10-30", t[4].nameZH, t[4].volumeRaw, "韩立伟", "全量"},
		{"2022-02-25", t[3].nameZH, t[3].volumeRaw, "韩立伟", "全量"},
	}
	return xlsx(props{title: "2021年目标汇总", creator: "韩立伟", created: at(2022, 3, 1, 10, 0, 0)},
		[]sheet{{"目标清单", list}, {"交付记录", deliveries}})
}

// textPDF writes a one-page PDF whose text layer is lines, in Helvetica
// with WinAnsiEncoding: the smallest PDF pdftotext reads correctly. Object
// offsets in the xref table are computed, not guessed.
func textPDF(title, author string, created time.Time, lines []string) ([]byte, error) {
	latin := func(s string) (string, error) {
		b, err := encode(charmap.Windows1252, s)
		if err != nil {
			return "", err
		}
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(string(b)) + ")", nil
	}
	var content strings.Builder
	content.WriteString("BT\n/F1 11 Tf\n15 TL\n56 780 Td\n")
	for i, l := range lines {
		str, err := latin(l)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			content.WriteString("T*\n")
		}
		content.WriteString(str + " Tj\n")
	}
	content.WriteString("ET\n")
	ttl, err := latin(title)
	if err != nil {
		return nil, err
	}
	auth, err := latin(author)
	if err != nil {
		return nil, err
	}
	_, off := created.Zone()
	date := fmt.Sprintf("(D:%s+%02d'%02d')", created.Format("20060102150405"), off/3600, off%3600/60)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Title %s /Author %s /Creator (leakscope demo) /CreationDate %s >>", ttl, auth, date),
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, len(objs), xref)
	return buf.Bytes(), nil
}
