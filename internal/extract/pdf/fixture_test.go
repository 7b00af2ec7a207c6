package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// buildPDF writes a PDF from object bodies (object i+1 is objs[i]) with a
// correct xref table; object 1 must be the catalog, and info, when not
// empty, becomes the Info dictionary.
func buildPDF(objs []string, info string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, 0, len(objs)+1)
	all := objs
	if info != "" {
		all = append(append([]string{}, objs...), info)
	}
	for i, o := range all {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(all)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	trailer := fmt.Sprintf("/Size %d /Root 1 0 R", len(all)+1)
	if info != "" {
		trailer += fmt.Sprintf(" /Info %d 0 R", len(all))
	}
	fmt.Fprintf(&b, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xref)
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

const testInfo = "<< /Title (Quarterly Report) /Author (Zhang San) /Creator (Writer) /Producer (LibreOffice 7.4) " +
	"/CreationDate (D:20210702100000+08'00') /ModDate (D:20210703110000Z) >>"

// textPDF has one page of text per element of pages, in Helvetica.
func textPDF(pages []string, info string) []byte {
	n := len(pages)
	// 1 catalog, 2 pages, 3 font, then page/content pairs.
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	for i, text := range pages {
		var content strings.Builder
		content.WriteString("BT /F1 14 Tf 72 720 Td 18 TL\n")
		for _, line := range strings.Split(text, "\n") {
			fmt.Fprintf(&content, "(%s) Tj T*\n", line)
		}
		content.WriteString("ET")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i),
			stream("", []byte(content.String())))
	}
	return buildPDF(objs, info)
}

// scanPDF has one page showing a grayscale image of lines of text drawn
// with basicfont scaled 4x: no text layer, as a scanner makes.
func scanPDF(t testing.TB, lines []string) []byte {
	t.Helper()
	w, h := 0, 13*len(lines)+16
	for _, l := range lines {
		w = max(w, 7*len(l)+16)
	}
	small := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(small, small.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13}
	for i, l := range lines {
		d.Dot = fixed.P(8, 8+13*(i+1)-2)
		d.DrawString(l)
	}
	const scale = 4
	big := image.NewGray(image.Rect(0, 0, scale*w, scale*h))
	draw.NearestNeighbor.Scale(big, big.Bounds(), small, small.Bounds(), draw.Src, nil)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(big.Pix)
	zw.Close()
	// Place the image at 144 dpi: width in points = px/2.
	pw, ph := big.Bounds().Dx()/2, big.Bounds().Dy()/2
	content := fmt.Sprintf("q %d 0 0 %d 36 %d cm /Im1 Do Q", pw, ph, 792-36-ph)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte(content)),
		stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
			big.Bounds().Dx(), big.Bounds().Dy()), z.Bytes()),
	}
	return buildPDF(objs, "<< /Producer (HP Scan) /Creator (HP LaserJet) >>")
}
