package charset

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The stored encoding names. They are persisted as document metadata and
// never change.
const (
	UTF8        = "utf-8"
	UTF8BOM     = "utf-8-bom"
	UTF16LE     = "utf-16le"
	UTF16BE     = "utf-16be"
	GBK         = "gbk"
	GB18030     = "gb18030"
	Big5        = "big5"
	ShiftJIS    = "shift_jis"
	EUCJP       = "euc-jp"
	EUCKR       = "euc-kr"
	KOI8R       = "koi8-r"
	Windows1250 = "windows-1250"
	Windows1251 = "windows-1251"
	Windows1252 = "windows-1252"
	Windows1253 = "windows-1253"
	Windows1254 = "windows-1254"
	Windows1255 = "windows-1255"
	Windows1256 = "windows-1256"
	Windows1257 = "windows-1257"
	Windows1258 = "windows-1258"
)

// SampleSize is how many leading bytes detection looks at.
const SampleSize = 64 << 10

// asciiSampleSize is how far NewReader looks ahead while the prefix is
// pure ASCII, so that a log with a few GBK lines after a long ASCII header
// is still detected.
const asciiSampleSize = 1 << 20

// Encoding returns the decoder family for a stored name, or nil if the name
// is not one of this package's names.
func Encoding(name string) encoding.Encoding {
	switch name {
	case UTF8:
		return unicode.UTF8
	case UTF8BOM:
		return unicode.UTF8BOM
	case UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case GBK, GB18030:
		return simplifiedchinese.GB18030
	}
	for _, c := range candidates {
		if c.name == name {
			return c.enc
		}
	}
	return nil
}

// Detect guesses the encoding of sample, the leading bytes of a text. It
// never fails: bytes that fit no encoding well are reported as the
// best-scoring one, which decodes them with U+FFFD where they do not fit.
// The sample may end in the middle of a character.
func Detect(sample []byte) string {
	switch {
	case bytes.HasPrefix(sample, []byte{0xef, 0xbb, 0xbf}):
		return UTF8BOM
	case bytes.HasPrefix(sample, []byte{0xff, 0xfe}):
		return UTF16LE
	case bytes.HasPrefix(sample, []byte{0xfe, 0xff}):
		return UTF16BE
	}
	if le, be := nulPattern(sample); le {
		return UTF16LE
	} else if be {
		return UTF16BE
	}
	if validUTF8Prefix(sample) {
		return UTF8
	}
	return bestGuess(sample)
}

// Decode converts b to UTF-8 and names the encoding it detected. The whole
// of b is decoded; detection looks at up to SampleSize bytes of it, taken
// from the first non-ASCII byte, and at all of b to confirm UTF-8.
func Decode(b []byte) (text string, name string, err error) {
	name = detectWhole(b)
	text, err = DecodeAs(b, name)
	return text, name, err
}

// DecodeAs converts b from the named encoding (a stored name or any
// WHATWG/IANA label such as "gb2312" or "latin1") to valid UTF-8.
func DecodeAs(b []byte, name string) (string, error) {
	enc, _ := lookup(name)
	if enc == nil {
		return "", fmt.Errorf("charset decode: unknown encoding %q", name)
	}
	out, _, err := transform.Bytes(newDecoder(enc), b)
	if err != nil {
		return "", fmt.Errorf("charset decode %s: %w", name, err)
	}
	return string(out), nil
}

// Lookup resolves a declared charset label (from an HTML meta tag, a MIME
// header or an XML declaration) to a stored name. Labels are matched the
// WHATWG way (so "gb2312" and "latin1" resolve to the superset encodings
// browsers use) and then by IANA name. ok is false for unknown labels.
func Lookup(label string) (name string, ok bool) {
	_, name = lookup(label)
	return name, name != ""
}

func lookup(label string) (encoding.Encoding, string) {
	l := strings.ToLower(strings.TrimSpace(label))
	if enc := Encoding(l); enc != nil {
		return enc, l
	}
	switch l {
	case "utf8":
		return unicode.UTF8, UTF8
	case "utf-16", "ucs-2":
		return Encoding(UTF16LE), UTF16LE
	case "gb2312", "gb_2312-80", "chinese", "csgb2312", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn":
		return simplifiedchinese.GB18030, GBK
	case "big5-hkscs", "cp950", "x-x-big5", "csbig5":
		return traditionalchinese.Big5, Big5
	case "iso-8859-1", "latin1", "us-ascii", "ascii", "cp1252", "l1":
		return charmap.Windows1252, Windows1252
	}
	enc, err := htmlindex.Get(l)
	if err != nil || enc == nil {
		enc, err = ianaindex.IANA.Encoding(l)
		if err != nil || enc == nil {
			return nil, ""
		}
	}
	if name, err := htmlindex.Name(enc); err == nil {
		if known := Encoding(name); known != nil {
			return known, name
		}
		if name == "gbk" {
			return simplifiedchinese.GB18030, GBK
		}
		return enc, name
	}
	return enc, l
}

// NewReader returns a reader of r's text converted to UTF-8, and the name
// of the encoding detected on its first bytes. It buffers at most
// asciiSampleSize bytes; the rest is converted as it is read.
func NewReader(r io.Reader) (io.Reader, string, error) {
	// A SampleSize buffer first: most files are small, and a 1 MiB buffer
	// for each of a million small files is mostly garbage to collect.
	br := bufio.NewReaderSize(r, SampleSize)
	sample, err := br.Peek(SampleSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("charset read: %w", err)
	}
	if err == nil && isASCII(sample) {
		br = bufio.NewReaderSize(br, asciiSampleSize)
		more, err := br.Peek(asciiSampleSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, "", fmt.Errorf("charset read: %w", err)
		}
		sample = more
	}
	name := Detect(sample)
	return transform.NewReader(br, newDecoder(Encoding(name))), name, nil
}

// newDecoder returns a decoder that always yields valid UTF-8. The UTF-8
// decoders of x/text already replace invalid bytes with U+FFFD; the
// legacy decoders do too.
func newDecoder(enc encoding.Encoding) *encoding.Decoder {
	return enc.NewDecoder()
}

func detectWhole(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return UTF8BOM
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return UTF16LE
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return UTF16BE
	}
	if le, be := nulPattern(b[:min(len(b), SampleSize)]); le {
		return UTF16LE
	} else if be {
		return UTF16BE
	}
	if utf8.Valid(b) {
		return UTF8
	}
	// Score from the first non-ASCII byte, where the evidence is.
	start := 0
	for start < len(b) && b[start] < 0x80 {
		start++
	}
	// Back up to a line start so that a two-byte character is not split.
	if i := bytes.LastIndexByte(b[:start], '\n'); i >= 0 {
		start = i + 1
	} else {
		start = 0
	}
	return bestGuess(b[start:min(len(b), start+SampleSize)])
}

// nulPattern reports UTF-16 without a BOM: most ASCII characters in UTF-16
// have a NUL high byte, so NULs cluster at odd (little endian) or even (big
// endian) offsets. Binary files have NULs at both.
func nulPattern(b []byte) (le, be bool) {
	b = b[:min(len(b), 4096)&^1]
	if len(b) < 4 {
		return false, false
	}
	var even, odd int
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := len(b) / 2
	switch {
	case odd*10 >= pairs*3 && even*50 <= pairs:
		return true, false
	case even*10 >= pairs*3 && odd*50 <= pairs:
		return false, true
	}
	return false, false
}

// validUTF8Prefix reports whether b is valid UTF-8 apart from a character
// cut at its end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := 1; i < utf8.UTFMax && i < len(b); i++ {
		tail := b[len(b)-i:]
		if utf8.RuneStart(tail[0]) && !utf8.FullRune(tail) {
			return utf8.Valid(b[:len(b)-i])
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// NewReaderAs returns a reader of r converted to UTF-8 from the named
// encoding (a stored name or a label Lookup knows).
func NewReaderAs(r io.Reader, name string) (io.Reader, error) {
	enc, _ := lookup(name)
	if enc == nil {
		return nil, fmt.Errorf("charset: unknown encoding %q", name)
	}
	return transform.NewReader(r, newDecoder(enc)), nil
}
