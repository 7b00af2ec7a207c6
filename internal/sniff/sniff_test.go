package sniff

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/leakscope/leakscope/internal/ole/oletest"
)

// zipOf builds a zip whose members are given as name, body pairs, in
// order; a "mimetype" member first is stored uncompressed as ODF requires.
func zipOf(t testing.TB, members ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(members); i += 2 {
		h := &zip.FileHeader{Name: members[i], Method: zip.Deflate}
		if members[i] == "mimetype" {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(members[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func cfb(streams ...string) []byte {
	var s []oletest.Stream
	for _, n := range streams {
		s = append(s, oletest.Stream{Path: n, Data: []byte("data of " + n)})
	}
	return oletest.Build(s, oletest.Options{})
}

func tarHead() []byte {
	b := make([]byte, 1024)
	copy(b, "file.txt")
	copy(b[257:], "ustar\x0000")
	return b
}

func utf16le(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

type sniffCase struct {
	name string
	data []byte
	file string // name found under
	want string
	// wantType is what Type says from the head alone when it differs from
	// File (zip-based office formats, OLE variants).
	wantType string
}

func cases(t testing.TB) []sniffCase {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("这是一份机密文件，请勿外传。合同金额五百万元。\n"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[0] = 0x00 // no magic starts with NUL
	return []sniffCase{
		{name: "empty", data: nil, file: "x", want: Empty},
		{name: "pdf", data: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), file: "a.bin", want: PDF},
		{name: "zip", data: zipOf(t, "a.txt", "hello"), file: "a.zip", want: Zip},
		{name: "docx", data: zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"), file: "a.zip", want: DOCX, wantType: Zip},
		{name: "xlsx", data: zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>"), file: "a", want: XLSX, wantType: Zip},
		{name: "pptx", data: zipOf(t, "[Content_Types].xml", "<Types/>", "ppt/presentation.xml", "<p/>"), file: "a", want: PPTX, wantType: Zip},
		{name: "odt", data: zipOf(t, "mimetype", ODT, "content.xml", "<office/>"), file: "a", want: ODT},
		{name: "ods", data: zipOf(t, "mimetype", ODS, "content.xml", "<office/>"), file: "a", want: ODS},
		{name: "epub", data: zipOf(t, "mimetype", EPUB, "META-INF/container.xml", "<c/>"), file: "a", want: EPUB},
		{name: "zip-not-office", data: zipOf(t, "word/notes.txt", "no content types"), file: "a.docx", want: Zip},
		{name: "gzip", data: gz([]byte("hello")), file: "a.gz", want: Gzip},
		{name: "bzip2", data: []byte("BZh91AY&SY\x00\x00"), file: "a", want: Bzip2},
		{name: "bzip2-bad-level", data: []byte("BZhx not bzip"), file: "a", want: Text},
		{name: "xz", data: []byte{0xfd, '7', 'z', 'X', 'Z', 0, 0, 4}, file: "a", want: XZ},
		{name: "7z", data: []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4}, file: "a", want: SevenZip},
		{name: "rar5", data: []byte("Rar!\x1a\x07\x01\x00"), file: "a", want: RAR},
		{name: "rar4", data: []byte("Rar!\x1a\x07\x00\xcf"), file: "a", want: RAR},
		{name: "git-bundle-v2", data: []byte("# v2 git bundle\n0123 refs/heads/main\n"), file: "r", want: Bundle},
		{name: "git-bundle-v3", data: []byte("# v3 git bundle\n"), file: "r", want: Bundle},
		{name: "tar", data: tarHead(), file: "a", want: Tar},
		{name: "sqlite", data: append([]byte("SQLite format 3\x00"), make([]byte, 84)...), file: "db", want: SQLite},
		{name: "pst", data: append([]byte("!BDN\x00\x00\x00\x00SM\x17\x00"), make([]byte, 500)...), file: "box.pst", want: PST},
		{name: "ar", data: []byte("!<arch>\ndebian-binary   1342177280  0     0     100644  4         `\n2.0\n"), file: "x.deb", want: Ar},
		{name: "cpio newc", data: []byte("070701" + strings.Repeat("0", 104) + "x"), file: "initrd", want: Cpio},
		{name: "cpio odc", data: []byte("070707" + strings.Repeat("7", 70) + "x"), file: "a.cpio", want: Cpio},
		{name: "numbers starting like cpio", data: []byte("0707012345,Acme Telecom,0707012346\n" + strings.Repeat("0707012347,Nordhavn Shipping\n", 4)), file: "phones.txt", want: Text},
		{name: "dbf", data: dbfHead(0x03, 1+4+20), file: "t.dbf", want: DBF},
		{name: "dbf record size mismatch", data: dbfHead(0x03, 30), file: "t.dbf", want: Binary},
		{name: "dbf unknown version", data: dbfHead(0x07, 25), file: "t.dbf", want: Binary},
		{name: "pst magic without client magic", data: append([]byte("!BDN\x00\x00\x00\x00XX"), make([]byte, 500)...), file: "box.pst", want: Binary},
		{name: "ole-doc", data: cfb("WordDocument", "1Table"), file: "a", want: DOC, wantType: OLE},
		{name: "ole-xls", data: cfb("Workbook"), file: "a", want: XLS, wantType: OLE},
		{name: "ole-xls-biff5", data: cfb("Book"), file: "a", want: XLS, wantType: OLE},
		{name: "ole-ppt", data: cfb("PowerPoint Document", "Current User"), file: "a", want: PPT, wantType: OLE},
		{name: "ole-msg", data: cfb("__substg1.0_0037001F", "__properties_version1.0"), file: "a", want: MSG, wantType: OLE},
		{name: "ole-encrypted-ooxml", data: cfb("EncryptionInfo", "EncryptedPackage"), file: "a.docx", want: EncryptedOOXML, wantType: OLE},
		{name: "ole-other", data: cfb("Contents"), file: "a", want: OLE},
		{name: "rtf", data: []byte(`{\rtf1\ansi hello}`), file: "a", want: RTF},
		{name: "png", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), file: "a.jpg", want: PNG},
		{name: "jpeg", data: []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}, file: "a.png", want: JPEG},
		{name: "gif", data: []byte("GIF89a\x01\x00\x01\x00"), file: "a", want: GIF},
		{name: "tiff-le", data: []byte("II*\x00\x08\x00\x00\x00"), file: "a", want: TIFF},
		{name: "tiff-be", data: []byte("MM\x00*\x00\x00\x00\x08"), file: "a", want: TIFF},
		{name: "bmp", data: append([]byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), make([]byte, 40)...), file: "a", want: BMP},
		{name: "webp", data: []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), file: "a", want: WEBP},
		{name: "html", data: []byte("<!DOCTYPE html>\n<html><body>hi</body></html>"), file: "a.txt", want: HTML},
		{name: "html-fragment-by-name", data: []byte("<p>hello</p>"), file: "a.htm", want: HTML},
		{name: "xml", data: []byte("<?xml version=\"1.0\"?>\n<root/>"), file: "a", want: XML},
		{name: "xhtml", data: []byte("<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"), file: "a", want: HTML},
		{name: "json-object", data: []byte(`{"user": "alice", "id": 3}`), file: "a.txt", want: JSON},
		{name: "json-array", data: []byte(`[{"a": 1}, {"a": 2}]`), file: "a", want: JSON},
		{name: "jsonl-by-name", data: []byte("not json\n"), file: "a.jsonl", want: JSON},
		{name: "mbox", data: []byte("From alice@example.com Mon Jan  1 00:00:00 2024\nFrom: alice@example.com\nSubject: hi\n\nbody\n"), file: "box", want: MBOX},
		{name: "eml", data: []byte("Received: from mx\nFrom: a@example.com\nTo: b@example.com\nSubject: hi\n\nbody\n"), file: "m", want: EML},
		// Mail headers win over HTML tags in a body (issue 10).
		{name: "mbox-first-message-html", data: []byte("From alice@acme.example Mon Jan  1 00:00:00 2024\nFrom: alice@acme.example\nContent-Type: text/html\n\n<html><head><title>t</title></head><body>hi</body></html>\n"), file: "box", want: MBOX},
		{name: "eml-first-part-html", data: []byte("From: a@acme.example\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n<html><body>hi</body></html>\n--b--\n"), file: "m", want: EML},
		{name: "eml-html-body", data: []byte("Subject: hi\nMIME-Version: 1.0\nContent-Type: text/html\n\n<!DOCTYPE html><html><body>hi</body></html>"), file: "m.htm", want: EML},
		// Counter-examples: pages and letters that mention mail headers.
		{name: "html-mentions-from", data: []byte("<html><body>From: Acme Telecom\nTo: Nordhavn Shipping\nSubject: rates</body></html>"), file: "a", want: HTML},
		{name: "html-fragment-header-lines", data: []byte("<p>From: a@acme.example\nTo: b@acme.example\nSubject: rates\n<body>x</body>"), file: "a", want: HTML},
		{name: "html-doctype-then-from", data: []byte("<!DOCTYPE html>\nFrom: a\nSubject: b\n<body></body>"), file: "a", want: HTML},
		{name: "letter-from-the-desk", data: []byte("From the desk of Nordhavn Shipping\n\nDear sir,\n"), file: "a", want: Text},
		{name: "csv-by-name", data: []byte("id,name\n1,alice\n"), file: "people.CSV", want: CSV},
		{name: "tsv-by-name", data: []byte("id\tname\n1\talice\n"), file: "people.tsv", want: TSV},
		{name: "markdown-by-name", data: []byte("# Title\n\nsome text\n"), file: "README.md", want: Markdown},
		{name: "gbk-text", data: gbk, file: "notes", want: Text},
		{name: "utf16-bom-text", data: utf16le("hello world\r\n"), file: "a", want: Text},
		{name: "utf8-text", data: []byte("plain text with ünïcode\n"), file: "a.dat", want: Text},
		{name: "random-bytes", data: random, file: "a.docx", want: Binary},
		{name: "misnamed-pdf", data: []byte("%PDF-1.4\n"), file: "a.docx", want: PDF},
	}
}

func TestType(t *testing.T) {
	for _, tt := range cases(t) {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.data[:min(len(tt.data), HeadSize)]
			want := tt.want
			if tt.wantType != "" {
				want = tt.wantType
			}
			if got := Type(head, tt.file); got != want {
				t.Errorf("Type(%q) = %s, want %s", tt.file, got, want)
			}
		})
	}
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range cases(t) {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := File(p, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("File(%q) = %s, want %s", tt.file, got, tt.want)
			}
		})
	}
	if _, err := File(filepath.Join(dir, "absent"), "absent"); err == nil {
		t.Error("File of a missing path: err = nil")
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		name string
		typ  string
		want bool
	}{
		{name: "plain", typ: Text, want: true},
		{name: "csv", typ: CSV, want: true},
		{name: "json", typ: JSON, want: true},
		{name: "eml", typ: EML, want: true},
		{name: "mbox", typ: MBOX, want: true},
		{name: "pdf", typ: PDF, want: false},
		{name: "binary", typ: Binary, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsText(tt.typ); got != tt.want {
				t.Errorf("IsText(%s) = %v, want %v", tt.typ, got, tt.want)
			}
		})
	}
}

func FuzzType(f *testing.F) {
	for _, c := range cases(f) {
		f.Add(c.data[:min(len(c.data), 1024)], c.file)
	}
	f.Fuzz(func(t *testing.T, head []byte, name string) {
		got := Type(head, name)
		if got == "" {
			t.Fatalf("Type(%q, %q) is empty", head, name)
		}
		if len(head) == 0 && got != Empty {
			t.Fatalf("Type of empty head = %s, want %s", got, Empty)
		}
	})
}

// TestTypeNesting sniffs heads of documents nested 100,000 deep: Type
// reads a fixed head and never follows the nesting.
func TestTypeNesting(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name string
		data string
		want string
	}{
		{name: "json", data: `{"chats": ` + strings.Repeat("[", n), want: JSON},
		{name: "xml", data: `<?xml version="1.0"?>` + strings.Repeat("<a>", n), want: XML},
		{name: "html", data: "<!DOCTYPE html><html><body>" + strings.Repeat("<div>", n), want: HTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Type([]byte(tt.data), "x"); got != tt.want {
				t.Errorf("Type = %s, want %s", got, tt.want)
			}
		})
	}
}

// dbfHead is a dBase III header with two fields (4 and 20 bytes wide) and
// the record size given, padded to 100 bytes.
func dbfHead(version byte, rsize int) []byte {
	h := make([]byte, 32)
	h[0], h[1], h[2], h[3] = version, 124, 5, 17
	h[8], h[10], h[11] = 97, byte(rsize), byte(rsize>>8)
	for _, f := range []struct {
		name string
		size byte
	}{{"ID", 4}, {"NAME", 20}} {
		d := make([]byte, 32)
		copy(d, f.name)
		d[11], d[16] = 'C', f.size
		h = append(h, d...)
	}
	h = append(h, 0x0D)
	return append(h, make([]byte, 100-len(h))...)
}
