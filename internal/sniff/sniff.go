// Package sniff tells a file's type from its bytes, not its name. Leaked
// files are renamed, truncated and mislabelled (a PNG called .jpg, random
// bytes called .docx); extractors are chosen from what the bytes say. The
// name is used only to refine a text type (csv, markdown) once the content
// is known to be text.
package sniff

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/ole"
)

// MIME types leakscope names that net/http does not.
const (
	Empty    = "application/x-empty"
	Binary   = "application/octet-stream"
	Text     = "text/plain"
	CSV      = "text/csv"
	TSV      = "text/tab-separated-values"
	Markdown = "text/markdown"
	HTML     = "text/html"
	XML      = "text/xml"
	JSON     = "application/json"
	RTF      = "application/rtf"
	PDF      = "application/pdf"
	EML      = "message/rfc822"
	MBOX     = "application/mbox"
	Zip      = "application/zip"
	Gzip     = "application/gzip"
	Bzip2    = "application/x-bzip2"
	XZ       = "application/x-xz"
	Tar      = "application/x-tar"
	SevenZip = "application/x-7z-compressed"
	RAR      = "application/vnd.rar"
	Bundle   = "application/x-git-bundle"
	OLE      = "application/x-ole-storage"
	DOC      = "application/msword"
	XLS      = "application/vnd.ms-excel"
	PPT      = "application/vnd.ms-powerpoint"
	MSG      = "application/vnd.ms-outlook"
	// EncryptedOOXML is a password-protected Office 2007+ document: an OLE
	// file wrapping an EncryptedPackage stream.
	EncryptedOOXML = "application/x-encrypted-ooxml"
	DOCX           = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	XLSX           = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	PPTX           = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	ODT            = "application/vnd.oasis.opendocument.text"
	ODS            = "application/vnd.oasis.opendocument.spreadsheet"
	ODP            = "application/vnd.oasis.opendocument.presentation"
	EPUB           = "application/epub+zip"
	PNG            = "image/png"
	JPEG           = "image/jpeg"
	GIF            = "image/gif"
	TIFF           = "image/tiff"
	BMP            = "image/bmp"
	WEBP           = "image/webp"
	SQLite         = "application/vnd.sqlite3"
	// PST is an Outlook personal folders file (PST or OST, ANSI or
	// Unicode): the "!BDN" magic of MS-PST 2.2.2.6.
	PST = "application/vnd.ms-outlook-pst"
	// DBF is a dBase, FoxPro or Clipper table.
	DBF = "application/x-dbf"
	// Ar is a Unix ar archive (a .deb, a static library); Cpio a cpio
	// archive in the new or old portable ASCII format.
	Ar   = "application/x-archive"
	Cpio = "application/x-cpio"
)

// HeadSize is how many leading bytes Type looks at.
const HeadSize = 8192

// File sniffs the file at p. name is the name it was found under.
func File(p, name string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	head = head[:n]
	t := Type(head, name)
	if t == Zip {
		t = zipKind(f, st.Size())
	}
	if t == OLE {
		t = oleKind(f, st.Size())
	}
	return t, nil
}

// Type sniffs from the leading bytes only. Zip-based office formats are
// reported as Zip unless the first entry gives them away; File looks inside.
func Type(head []byte, name string) string {
	if len(head) == 0 {
		return Empty
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")),
		bytes.HasPrefix(head, []byte("PK\x07\x08PK\x03\x04")): // the last: first part of a spanned zip
		if len(head) >= 38 && bytes.HasPrefix(head[30:38], []byte("mimetype")) {
			if mt := odfMimetype(head); mt != "" {
				return mt
			}
		}
		return Zip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return Gzip
	case bytes.HasPrefix(head, []byte("BZh")) && len(head) > 3 && head[3] >= '1' && head[3] <= '9':
		return Bzip2
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return XZ
	case bytes.HasPrefix(head, []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}):
		return SevenZip
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")):
		return RAR
	case bytes.HasPrefix(head, []byte("# v2 git bundle\n")), bytes.HasPrefix(head, []byte("# v3 git bundle\n")):
		return Bundle
	case bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}):
		return OLE
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return RTF
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return JPEG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF
	case bytes.HasPrefix(head, []byte("BM")) && len(head) > 14 && head[6] == 0 && head[7] == 0:
		return BMP
	case len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return WEBP
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return SQLite
	case bytes.HasPrefix(head, []byte("!BDN")) && len(head) >= 12 && string(head[8:10]) == "SM":
		return PST
	case len(head) > 262 && string(head[257:262]) == "ustar", isV7Tar(head):
		return Tar
	case bytes.HasPrefix(head, []byte("!<arch>\n")):
		return Ar
	case isCpio(head):
		return Cpio
	case isDBF(head):
		return DBF
	}
	if !looksText(head) {
		return Binary
	}
	return textKind(head, name)
}

// isCpio recognises a cpio header by its magic and by every header field
// being a digit of its base, so that a text file of numbers that happens
// to start "070701" stays text.
func isCpio(head []byte) bool {
	digits := func(b []byte, hex bool) bool {
		for _, c := range b {
			ok := c >= '0' && c <= '7' || (c >= '8' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') && hex
			if !ok {
				return false
			}
		}
		return true
	}
	switch {
	case len(head) >= 110 && (bytes.HasPrefix(head, []byte("070701")) || bytes.HasPrefix(head, []byte("070702"))):
		return digits(head[6:110], true)
	case len(head) >= 76 && bytes.HasPrefix(head, []byte("070707")):
		return digits(head[6:76], false)
	}
	return false
}

// isDBF recognises a dBase table, which has no magic, by the consistency
// of its header: a known version byte, a valid update date, field
// descriptors ending with 0x0D where the header length says, and a record
// length of one deletion byte plus the field lengths.
func isDBF(head []byte) bool {
	if len(head) < 65 {
		return false
	}
	switch head[0] {
	case 0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB:
	default:
		return false
	}
	if head[2] < 1 || head[2] > 12 || head[3] < 1 || head[3] > 31 {
		return false
	}
	hsize := int(binary.LittleEndian.Uint16(head[8:]))
	rsize := int(binary.LittleEndian.Uint16(head[10:]))
	sum, n := 1, 0
	for i := 32; i+32 <= len(head) && i < hsize; i += 32 {
		if head[i] == 0x0D {
			break
		}
		if head[i] == 0 {
			return false // a field name is never empty
		}
		sum += int(head[i+16])
		n++
	}
	end := 32 + 32*n
	return n > 0 && end < len(head) && head[end] == 0x0D && end < hsize && sum == rsize
}

// isV7Tar recognises a pre-POSIX tar, which has no "ustar" magic, by its
// header checksum: the sum of the 512 header bytes with the checksum field
// counted as spaces.
func isV7Tar(head []byte) bool {
	if len(head) < 512 || head[0] == 0 {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(head[148:156], " \x00"), " \x00")
	if len(field) == 0 {
		return false
	}
	var want int64
	for _, c := range field {
		if c < '0' || c > '7' {
			return false
		}
		want = want*8 + int64(c-'0')
	}
	var sum int64
	for i, c := range head[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

// utf16NoBOM reports UTF-16 text without a byte order mark: NUL bytes at
// nearly every odd (LE) or even (BE) position and almost none elsewhere.
func utf16NoBOM(head []byte) bool {
	n := len(head) &^ 1
	if n < 16 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return odd*10 >= pairs*7 && even*20 <= pairs || even*10 >= pairs*7 && odd*20 <= pairs
}

// looksText reports whether head is text in some encoding: UTF-16 with a
// BOM, or bytes with almost no control characters (which admits GBK, Big5,
// Shift-JIS and the single-byte code pages).
func looksText(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) || utf16NoBOM(head) {
		return true
	}
	ctrl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b:
			ctrl++
		}
	}
	return ctrl*100 <= len(head)
}

// textRule names one content rule for text: what it matches and the type
// it gives. b is the head after a BOM and leading white space, lower its
// first 512 bytes in lower case.
type textRule struct {
	name  string
	mime  string
	match func(b, lower []byte) bool
}

// textRules are tried in order; the first match wins. Mail comes before
// HTML: a message's header block is at its very start, while "<body" in
// the first 512 bytes may be the HTML of its first part (an mbox whose
// first message is an HTML mail is still an mbox). The mail rules demand
// a strict header block, so a web page that says "From: Acme Telecom" in
// its text stays HTML.
var textRules = []textRule{
	// "From alice@acme.example Mon Jan  1 00:00:00 2024"
	{name: "mbox-from-line", mime: MBOX, match: func(b, _ []byte) bool { return bytes.HasPrefix(b, []byte("From ")) && isMbox(b) }},
	// "Received: from mx.acme.example\nFrom: ...\nSubject: ..."
	{name: "rfc5322-header-block", mime: EML, match: func(b, _ []byte) bool { return isMail(b) }},
	// "<!DOCTYPE html>", "<html>", or a fragment with <head> or <body>
	{name: "html-tags", mime: HTML, match: func(_, lower []byte) bool {
		return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
			bytes.Contains(lower, []byte("<head")) || bytes.Contains(lower, []byte("<body"))
	}},
	// "<?xml ...?><html xmlns=...>" is XHTML
	{name: "xhtml", mime: HTML, match: func(_, lower []byte) bool {
		return bytes.HasPrefix(lower, []byte("<?xml")) && (bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("xhtml")))
	}},
	{name: "xml-declaration", mime: XML, match: func(_, lower []byte) bool { return bytes.HasPrefix(lower, []byte("<?xml")) }},
	// `{"chats": ...` or `[{"from": ...`
	{name: "json-start", mime: JSON, match: func(b, _ []byte) bool {
		return (bytes.HasPrefix(b, []byte("{")) || bytes.HasPrefix(b, []byte("["))) && utf8.Valid(trimPartialRune(b)) && jsonish(b)
	}},
}

func textKind(head []byte, name string) string {
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	lower := bytes.ToLower(b[:min(len(b), 512)])
	for _, r := range textRules {
		if r.match(b, lower) {
			return r.mime
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return CSV
	case ".tsv", ".tab":
		return TSV
	case ".md", ".markdown":
		return Markdown
	case ".htm", ".html", ".xhtml":
		return HTML
	case ".json", ".jsonl", ".ndjson":
		return JSON
	case ".eml":
		return EML
	case ".mbox":
		return MBOX
	}
	return Text
}

// trimPartialRune drops a rune cut by the head boundary.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0 && !utf8.FullRune(b[max(0, len(b)-utf8.UTFMax):]); i++ {
		b = b[:len(b)-1]
	}
	for len(b) > 0 {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// jsonish checks the first bytes parse as the start of a JSON value: an
// object whose first key is a string, or an array.
func jsonish(b []byte) bool {
	if b[0] == '[' {
		rest := bytes.TrimLeft(b[1:], " \t\r\n")
		return len(rest) == 0 || bytes.IndexByte([]byte("{[\"-0123456789tfn]"), rest[0]) >= 0
	}
	rest := bytes.TrimLeft(b[1:], " \t\r\n")
	return len(rest) == 0 || rest[0] == '"' || rest[0] == '}'
}

// isMbox reports whether b starts with an mbox separator line, "From
// sender date": at least three fields and a clock time in the date, so
// that a letter opening "From the desk of Nordhavn Shipping" is not
// taken for a mailbox.
func isMbox(b []byte) bool {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return len(bytes.Fields(line)) >= 3 && hasClock(line)
}

// hasClock reports whether line holds a time of day, "hh:mm".
func hasClock(line []byte) bool {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 1; i+2 < len(line); i++ {
		if line[i] == ':' && digit(line[i-1]) && digit(line[i+1]) && digit(line[i+2]) {
			return true
		}
	}
	return false
}

var mailHeaders = [][]byte{
	[]byte("received:"), []byte("return-path:"), []byte("from:"), []byte("to:"),
	[]byte("subject:"), []byte("date:"), []byte("message-id:"), []byte("mime-version:"),
	[]byte("content-type:"), []byte("delivered-to:"), []byte("x-"), []byte("reply-to:"),
	[]byte("cc:"), []byte("dkim-signature:"), []byte("authentication-results:"),
	[]byte("in-reply-to:"), []byte("references:"), []byte("sender:"), []byte("thread-"),
}

// isMail reports whether b starts with an RFC 5322 header block: the first
// lines are "Name: value" or continuations, including From/To/Subject/Date
// or Received among the first headers.
func isMail(b []byte) bool {
	known, lines := 0, 0
	for _, line := range bytes.SplitN(b, []byte("\n"), 40) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		lines++
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !isFieldName(line[:colon]) {
			return false
		}
		low := bytes.ToLower(line[:colon+1])
		for _, h := range mailHeaders {
			if bytes.HasPrefix(low, h) {
				known++
				break
			}
		}
	}
	return lines >= 2 && known >= 2
}

// isFieldName reports whether b is a header field name as mail software
// writes them: letters, digits, '-' and '_' ("X-Mailer", "Message-ID").
// RFC 5322 allows more, but "<p>From" is text of a page, not a header.
func isFieldName(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return len(b) > 0
}

func odfMimetype(head []byte) string {
	rest := head[38:]
	for _, mt := range []string{ODT, ODS, ODP, EPUB} {
		if bytes.HasPrefix(rest, []byte(mt)) {
			return mt
		}
	}
	return ""
}

// zipKind looks at a zip's member names to tell OOXML and ODF from a plain
// archive. A damaged central directory leaves it a plain Zip.
func zipKind(f *os.File, size int64) string {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return Zip
	}
	var ct, word, xl, ppt bool
	for _, m := range zr.File {
		switch {
		case m.Name == "[Content_Types].xml":
			ct = true
		case strings.HasPrefix(m.Name, "word/"):
			word = true
		case strings.HasPrefix(m.Name, "xl/"):
			xl = true
		case strings.HasPrefix(m.Name, "ppt/"):
			ppt = true
		case m.Name == "mimetype" && m.UncompressedSize64 < 200:
			if rc, err := m.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 200))
				rc.Close()
				for _, mt := range []string{ODT, ODS, ODP, EPUB} {
					if strings.TrimSpace(string(b)) == mt {
						return mt
					}
				}
			}
		}
	}
	switch {
	case ct && word:
		return DOCX
	case ct && xl:
		return XLSX
	case ct && ppt:
		return PPTX
	}
	return Zip
}

// oleKind tells Word, Excel, PowerPoint and Outlook files apart by the
// names of the streams in the compound file's root directory (read with
// internal/ole, not by scanning bytes: a slide saying "Book" must not make
// a presentation a workbook).
func oleKind(f *os.File, size int64) string {
	cf, err := ole.Open(f, size)
	if err != nil {
		return OLE
	}
	kids, _ := cf.Children(cf.Root())
	has := map[string]bool{}
	msg := false
	for _, k := range kids {
		n := strings.ToLower(k.Name)
		has[n] = true
		msg = msg || strings.HasPrefix(n, "__substg1.0_")
	}
	switch {
	case msg:
		return MSG
	case has["encryptedpackage"]:
		return EncryptedOOXML
	case has["worddocument"]:
		return DOC
	case has["workbook"], has["book"]:
		return XLS
	case has["powerpoint document"]:
		return PPT
	}
	return OLE
}

// IsText reports whether t is a text type decoded by the text extractor.
func IsText(t string) bool {
	return strings.HasPrefix(t, "text/") || t == JSON || t == MBOX || t == EML
}
