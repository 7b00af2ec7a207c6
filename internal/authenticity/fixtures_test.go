package authenticity

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/ingest"
)

// fixtureTime is the file time every planted file gets, so that the
// golden report does not depend on when the test runs.
var fixtureTime = time.Date(2021, 7, 1, 2, 30, 0, 0, time.UTC) // 10:30 at UTC+8

// plant writes the planted dump into dir: a docx modified before it was
// created, a PDF from a producer newer than its date, a mail carrying a
// photo taken after it was sent, and clean counter-parts of each.
func plant(t *testing.T, dir string) {
	t.Helper()
	files := map[string][]byte{
		"Nordhavn/report.docx":  docx(t, "2021-03-05T10:00:00+08:00", "2021-03-03T09:00:00+08:00"),
		"Nordhavn/minutes.docx": docx(t, "2021-03-01T10:00:00+08:00", "2021-03-02T16:00:00+08:00"),
		"Nordhavn/plan.pdf":     pdf("LibreOffice 7.5", "D:20200501100000+08'00'"),
		"Nordhavn/budget.pdf":   pdf("LibreOffice 7.5", "D:20230601100000+08'00'"),
		"mail/order.eml":        mailWithPhoto(t, "Tue, 01 Jun 2021 10:00:00 +0800", "2021:06:02 09:00:00"),
		"mail/receipt.eml":      mailWithPhoto(t, "Tue, 01 Jun 2021 18:00:00 +0800", "2021:06:01 17:00:00"),
		"notes/todo.txt":        []byte("call Acme Telecom about the invoice\n"),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, fixtureTime, fixtureTime); err != nil {
			t.Fatal(err)
		}
	}
}

// plantedCase ingests the planted dump into a new case.
func plantedCase(t *testing.T) *casedir.Case {
	t.Helper()
	ctx := t.Context()
	dump := filepath.Join(t.TempDir(), "dump")
	plant(t, dump)
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	log := slog.New(slog.DiscardHandler)
	if _, err := ingest.New(c, ingest.Options{Log: log, Workers: 1}).Run(context.WithoutCancel(ctx), []string{dump}); err != nil {
		t.Fatal(err)
	}
	return c
}

// docx is a minimal Word package with the given core properties.
func docx(t *testing.T, created, modified string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Nordhavn Shipping quarterly report</w:t></w:r></w:p></w:body></w:document>`},
		{"docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>A. Analyst</dc:creator><dcterms:created>` + created + `</dcterms:created><dcterms:modified>` + modified + `</dcterms:modified></cp:coreProperties>`},
		{"docProps/app.xml", `<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application></Properties>`},
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: fixtureTime})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdf is a one-page PDF with a text layer and an Info dictionary.
func pdf(producer, created string) []byte {
	content := "BT /F1 12 Tf 72 720 Td (Acme Telecom plan) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Producer (%s) /CreationDate (%s) >>", producer, created),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// mailWithPhoto is a mail sent at date carrying a JPEG whose EXIF says it
// was taken at taken (EXIF form, no zone).
func mailWithPhoto(t *testing.T, date, taken string) []byte {
	t.Helper()
	photo := base64.StdEncoding.EncodeToString(jpegWithEXIF(t, taken))
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: ops@acme-telecom.example\r\nTo: buyer@nordhavn.example\r\nDate: %s\r\nSubject: photo\r\nMIME-Version: 1.0\r\n", date)
	b.WriteString("Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe photo of the crate.\r\n")
	b.WriteString("--XX\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"crate.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(photo) > 76 {
		b.WriteString(photo[:76] + "\r\n")
		photo = photo[76:]
	}
	b.WriteString(photo + "\r\n--XX--\r\n")
	return b.Bytes()
}

// jpegWithEXIF encodes a small image and inserts an APP1 Exif segment
// with Make, Model and DateTimeOriginal.
func jpegWithEXIF(t *testing.T, taken string) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.Gray{Y: 255})
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	tiff := exifTIFF("Acme Optics", "Model 7", taken)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}
	out := append([]byte{0xff, 0xd8}, seg...)
	out = append(out, app1...)
	return append(out, enc.Bytes()[2:]...)
}

// exifTIFF builds a little-endian TIFF block: IFD0 (Make, Model, Exif
// pointer) and an Exif IFD with DateTimeOriginal.
func exifTIFF(make, model, taken string) []byte {
	le := binary.LittleEndian
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	mk, md, dt := ascii(make), ascii(model), ascii(taken)
	const ifd0 = 8
	ifd0Size := 2 + 3*12 + 4
	exifIFD := ifd0 + ifd0Size
	exifSize := 2 + 1*12 + 4
	data := exifIFD + exifSize
	var b []byte
	b = append(b, 'I', 'I', 42, 0)
	b = le.AppendUint32(b, ifd0)
	entry := func(tag, typ uint16, count, value uint32) {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		b = le.AppendUint32(b, value)
	}
	b = le.AppendUint16(b, 3)
	entry(0x010f, 2, uint32(len(mk)), uint32(data))
	entry(0x0110, 2, uint32(len(md)), uint32(data+len(mk)))
	entry(0x8769, 4, 1, uint32(exifIFD))
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, 1)
	entry(0x9003, 2, uint32(len(dt)), uint32(data+len(mk)+len(md)))
	b = le.AppendUint32(b, 0)
	b = append(b, mk...)
	b = append(b, md...)
	return append(b, dt...)
}
