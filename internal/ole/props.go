package ole

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// GUID is a class or format identifier in its on-disk byte order.
type GUID [16]byte

// String formats g the usual way: F29F85E0-4FF9-1068-AB91-08002B27B3D9.
func (g GUID) String() string {
	le := binary.LittleEndian
	return fmt.Sprintf("%08X-%04X-%04X-%X-%X", le.Uint32(g[0:]), le.Uint16(g[4:]), le.Uint16(g[6:]), g[8:10], g[10:16])
}

// The format identifiers of the two standard property sets.
var (
	// FMTIDSummary identifies the "\x05SummaryInformation" set.
	FMTIDSummary = GUID{0xe0, 0x85, 0x9f, 0xf2, 0xf9, 0x4f, 0x68, 0x10, 0xab, 0x91, 0x08, 0x00, 0x2b, 0x27, 0xb3, 0xd9}
	// FMTIDDocSummary identifies the "\x05DocumentSummaryInformation" set.
	FMTIDDocSummary = GUID{0x02, 0xd5, 0xcd, 0xd5, 0x9c, 0x2e, 0x1b, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2b, 0x2c, 0xf9, 0xae}
)

// Variant types of property values (MS-OLEPS 2.15) that are decoded.
const (
	VTEmpty    = 0x0000
	VTI2       = 0x0002
	VTI4       = 0x0003
	VTR8       = 0x0005
	VTBool     = 0x000b
	VTUI2      = 0x0012
	VTUI4      = 0x0013
	VTI8       = 0x0014
	VTUI8      = 0x0015
	VTLPSTR    = 0x001e
	VTLPWSTR   = 0x001f
	VTFileTime = 0x0040
	VTVector   = 0x1000
)

// Property set limits: a property set stream has at most this many
// properties and strings at most this many bytes. Real ones hold a few
// dozen short values.
const (
	maxProperties = 4096
	maxPropString = 1 << 20
	maxVector     = 1024
)

// Value is one decoded property. Only the field its Type calls for is set;
// vectors of strings are in Strings.
type Value struct {
	Type    uint16
	Int     int64
	Str     string
	Strings []string
	Time    time.Time
	// Raw is the FILETIME as read, for durations such as the total
	// editing time, which are not dates.
	Raw uint64
}

// PropertySet is one section of a property set stream.
type PropertySet struct {
	FMTID    GUID
	CodePage int
	Props    map[uint32]Value
}

// ErrPropertySet means a property set stream is malformed.
var ErrPropertySet = errors.New("malformed property set")

// ParsePropertySets decodes a property set stream (SummaryInformation,
// DocumentSummaryInformation, or any other) into its sections. Properties
// of types it does not decode are skipped; a property that does not fit
// the stream ends that section with an error alongside what was read.
func ParsePropertySets(b []byte) ([]PropertySet, error) {
	le := binary.LittleEndian
	if len(b) < 28 || le.Uint16(b) != 0xfffe {
		return nil, fmt.Errorf("property set header: %w", ErrPropertySet)
	}
	n := int(le.Uint32(b[24:]))
	if n > 16 || 28+20*n > len(b) {
		return nil, fmt.Errorf("property set header: %d sections: %w", n, ErrPropertySet)
	}
	var (
		out  []PropertySet
		errs []error
	)
	for i := range n {
		var ps PropertySet
		copy(ps.FMTID[:], b[28+20*i:])
		off := int64(le.Uint32(b[28+20*i+16:]))
		var err error
		ps.CodePage, ps.Props, err = parseSection(b, off)
		if err != nil {
			errs = append(errs, fmt.Errorf("section %d: %w", i, err))
		}
		out = append(out, ps)
	}
	return out, errors.Join(errs...)
}

func parseSection(b []byte, off int64) (int, map[uint32]Value, error) {
	le := binary.LittleEndian
	if off < 0 || off+8 > int64(len(b)) {
		return 0, nil, fmt.Errorf("offset %d: %w", off, ErrPropertySet)
	}
	sec := b[off:]
	size := int64(le.Uint32(sec))
	if size < 8 || size > int64(len(sec)) {
		size = int64(len(sec)) // trust the stream, not the field
	}
	sec = sec[:size]
	count := int64(le.Uint32(sec[4:]))
	if count > maxProperties || 8+8*count > size {
		return 0, nil, fmt.Errorf("%d properties in %d bytes: %w", count, size, ErrPropertySet)
	}
	type loc struct{ id, off uint32 }
	locs := make([]loc, count)
	for i := range count {
		locs[i] = loc{le.Uint32(sec[8+8*i:]), le.Uint32(sec[12+8*i:])}
	}
	// The code page comes first so that strings can be decoded.
	cp := 0
	for _, l := range locs {
		if l.id == 1 {
			if v, err := parseValue(sec, int64(l.off), 0); err == nil {
				cp = int(uint16(v.Int))
			}
		}
	}
	props := make(map[uint32]Value, count)
	var errs []error
	for _, l := range locs {
		if l.id == 0 || l.id == 1 || l.id&0x80000000 != 0 {
			continue // dictionary, code page, locale and behaviour
		}
		v, err := parseValue(sec, int64(l.off), cp)
		if err != nil {
			if !errors.Is(err, errSkip) {
				errs = append(errs, fmt.Errorf("property %d: %w", l.id, err))
			}
			continue
		}
		props[l.id] = v
	}
	return cp, props, errors.Join(errs...)
}

var errSkip = errors.New("type not decoded")

func parseValue(sec []byte, off int64, cp int) (Value, error) {
	le := binary.LittleEndian
	if off < 8 || off+4 > int64(len(sec)) {
		return Value{}, fmt.Errorf("offset %d: %w", off, ErrPropertySet)
	}
	typ := le.Uint16(sec[off:])
	p := sec[off+4:]
	v := Value{Type: typ}
	need := func(n int) error {
		if len(p) < n {
			return fmt.Errorf("type %#x: %d bytes left, want %d: %w", typ, len(p), n, ErrPropertySet)
		}
		return nil
	}
	switch typ {
	case VTI2:
		if err := need(2); err != nil {
			return v, err
		}
		v.Int = int64(int16(le.Uint16(p)))
	case VTUI2:
		if err := need(2); err != nil {
			return v, err
		}
		v.Int = int64(le.Uint16(p))
	case VTI4:
		if err := need(4); err != nil {
			return v, err
		}
		v.Int = int64(int32(le.Uint32(p)))
	case VTUI4:
		if err := need(4); err != nil {
			return v, err
		}
		v.Int = int64(le.Uint32(p))
	case VTI8, VTUI8:
		if err := need(8); err != nil {
			return v, err
		}
		v.Int = int64(le.Uint64(p))
	case VTBool:
		if err := need(2); err != nil {
			return v, err
		}
		if le.Uint16(p) != 0 {
			v.Int = 1
		}
	case VTFileTime:
		if err := need(8); err != nil {
			return v, err
		}
		v.Raw = le.Uint64(p)
		v.Time = FileTime(v.Raw)
	case VTLPSTR, VTLPWSTR:
		s, _, err := readString(p, typ, cp)
		if err != nil {
			return v, err
		}
		v.Str = s
	case VTVector | VTLPSTR, VTVector | VTLPWSTR:
		if err := need(4); err != nil {
			return v, err
		}
		n := int(le.Uint32(p))
		if n > maxVector {
			return v, fmt.Errorf("vector of %d: %w", n, ErrPropertySet)
		}
		p = p[4:]
		for range n {
			s, used, err := readString(p, typ&^VTVector, cp)
			if err != nil {
				return v, err
			}
			v.Strings = append(v.Strings, s)
			p = p[used:]
		}
	default:
		return v, errSkip
	}
	return v, nil
}

// readString reads a counted string (VT_LPSTR: byte count in the code
// page; VT_LPWSTR: UTF-16 character count) and returns it with the bytes
// used, padded to four.
func readString(p []byte, typ uint16, cp int) (string, int, error) {
	le := binary.LittleEndian
	if len(p) < 4 {
		return "", 0, fmt.Errorf("string length: %w", ErrPropertySet)
	}
	n := int64(le.Uint32(p))
	size := n // VT_LPSTR counts bytes, even in code page 1200
	if typ == VTLPWSTR {
		size = 2 * n
	}
	if size > maxPropString || 4+size > int64(len(p)) {
		return "", 0, fmt.Errorf("string of %d bytes in %d: %w", size, len(p)-4, ErrPropertySet)
	}
	raw := p[4 : 4+size]
	used := 4 + int((size+3)&^3)
	if used > len(p) {
		used = len(p)
	}
	var s string
	if typ == VTLPWSTR || cp == 1200 {
		s = DecodeUTF16(raw)
	} else {
		s = DecodeCodePage(raw, cp)
	}
	return strings.TrimRight(s, "\x00"), used, nil
}

// DecodeUTF16 decodes little-endian UTF-16 up to the first NUL into valid
// UTF-8; an odd last byte is dropped.
func DecodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// CodePage returns the decoder for a Windows code page number, or nil
// when there is none (UTF-16 and UTF-8 are handled by the callers).
func CodePage(cp int) encoding.Encoding {
	switch cp {
	case 936, 20936, 54936:
		return simplifiedchinese.GB18030
	case 950, 20000, 10002:
		return traditionalchinese.Big5
	case 932, 10001:
		return japanese.ShiftJIS
	case 51932, 20932:
		return japanese.EUCJP
	case 949, 51949:
		return korean.EUCKR
	case 874:
		return charmap.Windows874
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 866:
		return charmap.CodePage866
	case 10000:
		return charmap.Macintosh
	case 20866:
		return charmap.KOI8R
	case 28591:
		return charmap.ISO8859_1
	case 28592:
		return charmap.ISO8859_2
	case 28595:
		return charmap.ISO8859_5
	}
	return nil
}

// DecodeCodePage decodes 8-bit text in Windows code page cp to valid
// UTF-8, stopping at the first NUL. UTF-8 (65001) and ASCII pass through;
// an unknown code page is treated as UTF-8 when the bytes are valid UTF-8
// and as Windows-1252 otherwise.
func DecodeCodePage(b []byte, cp int) string {
	if i := indexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if cp == 1200 {
		return DecodeUTF16(b)
	}
	if cp == 65001 || cp == 20127 || isASCII(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	enc := CodePage(cp)
	if enc == nil {
		if utf8.Valid(b) {
			return string(b)
		}
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
