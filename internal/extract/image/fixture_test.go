package image

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	goimage "image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// entry is one TIFF IFD entry: type 1 BYTE, 2 ASCII, 4 LONG, 5 RATIONAL.
type entry struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

func ascii(tag uint16, s string) entry {
	return entry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)}
}

func rationals(tag uint16, v ...[2]uint32) entry {
	b := make([]byte, 0, 8*len(v))
	for _, r := range v {
		b = binary.LittleEndian.AppendUint32(b, r[0])
		b = binary.LittleEndian.AppendUint32(b, r[1])
	}
	return entry{tag, 5, uint32(len(v)), b}
}

func long(tag uint16, v uint32) entry {
	return entry{tag, 4, 1, binary.LittleEndian.AppendUint32(nil, v)}
}

// ifd encodes entries at offset start of the TIFF stream, values longer
// than 4 bytes placed right after the directory.
func ifd(start uint32, es []entry) []byte {
	dirLen := uint32(2 + 12*len(es) + 4)
	var dir, data []byte
	dir = binary.LittleEndian.AppendUint16(dir, uint16(len(es)))
	for _, e := range es {
		dir = binary.LittleEndian.AppendUint16(dir, e.tag)
		dir = binary.LittleEndian.AppendUint16(dir, e.typ)
		dir = binary.LittleEndian.AppendUint32(dir, e.count)
		if len(e.val) <= 4 {
			v := make([]byte, 4)
			copy(v, e.val)
			dir = append(dir, v...)
			continue
		}
		dir = binary.LittleEndian.AppendUint32(dir, start+dirLen+uint32(len(data)))
		data = append(data, e.val...)
		if len(data)%2 == 1 {
			data = append(data, 0)
		}
	}
	dir = binary.LittleEndian.AppendUint32(dir, 0) // no next IFD
	return append(dir, data...)
}

// camera describes the EXIF of a fixture photo.
type camera struct {
	make, model, software, original, offset string
	lat, lon                                [3][2]uint32
	latRef, lonRef                          string
	alt                                     [2]uint32
	altBelow                                bool
}

// exifTIFF builds a little-endian TIFF EXIF block: IFD0 with make, model,
// software and pointers, an EXIF IFD with DateTimeOriginal and
// OffsetTimeOriginal, and a GPS IFD.
func exifTIFF(c camera) []byte {
	exifIFD := []entry{ascii(0x9003, c.original), ascii(0x9011, c.offset)}
	altRef := byte(0)
	if c.altBelow {
		altRef = 1
	}
	gps := []entry{
		ascii(1, c.latRef), rationals(2, c.lat[0], c.lat[1], c.lat[2]),
		ascii(3, c.lonRef), rationals(4, c.lon[0], c.lon[1], c.lon[2]),
		{5, 1, 1, []byte{altRef}}, rationals(6, c.alt),
	}
	ifd0 := func(exifAt, gpsAt uint32) []entry {
		return []entry{ascii(0x010f, c.make), ascii(0x0110, c.model), ascii(0x0131, c.software),
			long(0x8769, exifAt), long(0x8825, gpsAt)}
	}
	// Lay out once to learn the sizes, then again with real offsets.
	b0 := ifd(8, ifd0(0, 0))
	exifAt := uint32(8 + len(b0))
	be := ifd(exifAt, exifIFD)
	gpsAt := exifAt + uint32(len(be))
	out := []byte("II*\x00\x08\x00\x00\x00")
	out = append(out, ifd(8, ifd0(exifAt, gpsAt))...)
	out = append(out, be...)
	return append(out, ifd(gpsAt, gps)...)
}

var testCamera = camera{
	make: "Canon", model: "Canon EOS 80D", software: "Firmware Version 1.0.3",
	original: "2021:09:03 14:02:00", offset: "+08:00",
	lat: [3][2]uint32{{30, 1}, {32, 1}, {59712, 1000}}, latRef: "N",
	lon: [3][2]uint32{{104, 1}, {4, 1}, {24516, 1000}}, lonRef: "E",
	alt: [2]uint32{498, 1},
}

func smallImage() goimage.Image {
	img := goimage.NewGray(goimage.Rect(0, 0, 16, 8))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.SetGray(3, 3, color.Gray{0})
	return img
}

func plainJPEG(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, smallImage(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func app1(payload []byte) []byte {
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// jpegWithAPP1 splices APP1 segments right after SOI.
func jpegWithAPP1(t testing.TB, payloads ...[]byte) []byte {
	j := plainJPEG(t)
	out := append([]byte{}, j[:2]...)
	for _, p := range payloads {
		out = append(out, app1(p)...)
	}
	return append(out, j[2:]...)
}

// pngWithEXIF inserts an eXIf chunk after IHDR.
func pngWithEXIF(t testing.TB, block []byte) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, smallImage()); err != nil {
		t.Fatal(err)
	}
	p := b.Bytes()
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(block)))
	body := append([]byte("eXIf"), block...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	at := 8 + 25 // signature + IHDR chunk
	return append(append(append([]byte{}, p[:at]...), chunk...), p[at:]...)
}
