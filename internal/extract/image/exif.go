package image

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"
)

// Meta keys emitted for EXIF fields. They are stored: never rename them.
const (
	KeyMake             = "exif.make"
	KeyModel            = "exif.model"
	KeySoftware         = "exif.software"
	KeyDateTime         = "exif.datetime"
	KeyDateTimeOriginal = "exif.datetime_original"
	KeyOffsetTime       = "exif.offset_time"
	KeyGPSLat           = "exif.gps_lat"
	KeyGPSLon           = "exif.gps_lon"
	KeyGPSAlt           = "exif.gps_alt_m"
)

// maxEXIFValue caps one string value; EXIF strings are short, a long one
// is junk or an attack on the display.
const maxEXIFValue = 256

// gpsDecimals rounds coordinates to 1e-5 degree (about 1 m): cameras store
// seconds as rationals with two or three decimals, so more digits are
// conversion noise.
const gpsDecimals = 5

// offsetTimeOriginal and offsetTime are EXIF 2.31 tags goexif predates.
const (
	tagOffsetTime         = 0x9010
	tagOffsetTimeOriginal = 0x9011
)

// FindEXIF returns the TIFF-structured EXIF block embedded in an image's
// bytes (JPEG APP1 "Exif", PNG eXIf chunk, WebP EXIF chunk, or the TIFF
// file itself), or nil when there is none. It never reads past head.
func FindEXIF(head []byte) []byte {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xd8}):
		return jpegEXIF(head)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return pngEXIF(head)
	case len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return webpEXIF(head)
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return head
	}
	return nil
}

// jpegEXIF walks the JPEG marker segments up to the start of scan and
// returns the payload of the APP1 segment that starts "Exif\0\0" (an XMP
// APP1 may come first).
func jpegEXIF(b []byte) []byte {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xff {
			return nil
		}
		marker := b[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

func pngEXIF(b []byte) []byte {
	i := 8
	for i+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 {
			return nil
		}
		if typ == "eXIf" {
			return b[i+8 : i+8+n]
		}
		if typ == "IDAT" || typ == "IEND" {
			// eXIf must precede IDAT; late ones are ignored as the spec says.
			return nil
		}
		i += 12 + n
	}
	return nil
}

func webpEXIF(b []byte) []byte {
	i := 12
	for i+8 <= len(b) {
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || n > len(b)-i-8 {
			return nil
		}
		if string(b[i:i+4]) == "EXIF" {
			return bytes.TrimPrefix(b[i+8:i+8+n], []byte("Exif\x00\x00"))
		}
		i += 8 + n + n&1
	}
	return nil
}

// EXIF decodes a TIFF-structured EXIF block into Meta keys. A damaged block
// yields what could be read and an error; goexif's panics on hostile input
// are turned into errors.
func EXIF(block []byte) (meta map[string]string, err error) {
	meta = map[string]string{}
	if len(block) < 8 {
		return meta, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("exif: panic: %v", r)
		}
	}()
	x, derr := exif.Decode(bytes.NewReader(block))
	if x == nil {
		if derr != nil {
			return meta, fmt.Errorf("exif: %w", derr)
		}
		return meta, nil
	}
	str := func(name exif.FieldName, key string) {
		if t, err := x.Get(name); err == nil {
			if s, err := t.StringVal(); err == nil {
				if s = clean(s); s != "" {
					meta[key] = s
				}
			}
		}
	}
	str(exif.Make, KeyMake)
	str(exif.Model, KeyModel)
	str(exif.Software, KeySoftware)
	str(exif.DateTime, KeyDateTime)
	str(exif.DateTimeOriginal, KeyDateTimeOriginal)
	for _, id := range []uint16{tagOffsetTimeOriginal, tagOffsetTime} {
		if s := exifSubTag(x, id); s != "" {
			meta[KeyOffsetTime] = s
			break
		}
	}
	if lat, lon, err := x.LatLong(); err == nil && validLatLon(lat, lon) {
		meta[KeyGPSLat] = decimal(lat, gpsDecimals)
		meta[KeyGPSLon] = decimal(lon, gpsDecimals)
	}
	if t, err := x.Get(exif.GPSAltitude); err == nil {
		if num, den, err := t.Rat2(0); err == nil && den != 0 {
			alt := float64(num) / float64(den)
			if ref, err := x.Get(exif.GPSAltitudeRef); err == nil {
				if v, err := ref.Int(0); err == nil && v == 1 {
					alt = -alt
				}
			}
			if !math.IsNaN(alt) && math.Abs(alt) < 1e6 {
				meta[KeyGPSAlt] = decimal(alt, 1)
			}
		}
	}
	if derr != nil && len(meta) == 0 {
		return meta, fmt.Errorf("exif: %w", derr)
	}
	return meta, nil
}

// exifSubTag reads an ASCII tag of the EXIF sub-IFD that goexif does not
// name (its field table predates EXIF 2.31).
func exifSubTag(x *exif.Exif, id uint16) string {
	ptr, err := x.Get(exif.ExifIFDPointer)
	if err != nil {
		return ""
	}
	off, err := ptr.Int64(0)
	if err != nil || off < 0 || off >= int64(len(x.Raw)) {
		return ""
	}
	r := bytes.NewReader(x.Raw)
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return ""
	}
	dir, _, err := tiff.DecodeDir(r, x.Tiff.Order)
	if err != nil {
		return ""
	}
	for _, t := range dir.Tags {
		if t.Id == id {
			if s, err := t.StringVal(); err == nil {
				return clean(s)
			}
		}
	}
	return ""
}

func validLatLon(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && math.Abs(lat) <= 90 && math.Abs(lon) <= 180 && (lat != 0 || lon != 0)
}

// decimal formats f with at most prec decimals, trailing zeros dropped.
func decimal(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// clean makes an EXIF string safe to store and show: valid UTF-8, no NULs
// or control characters, trimmed, capped.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxEXIFValue {
		s = s[:maxEXIFValue]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}
