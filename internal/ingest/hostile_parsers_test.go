package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ole/oletest"
)

// Hostile inputs of the parsers (issue 10): nesting far past
// leak.MaxNesting, mail that starts with HTML, broken charsets, and
// encrypted documents and members. Each runs end to end through ingest.

// encryptedZip is a zip whose first member has the encryption bit set
// (its bytes are not really encrypted: no reader may try them).
func encryptedZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name  string
		flags uint16
	}{{"secret.txt", 0x1}, {"open.txt", 0}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store, Flags: m.flags})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("Acme Telecom " + m.name + "\n"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encryptedPPT is a compound file whose CurrentUserAtom carries the
// token of an RC4 CryptoAPI encrypted presentation.
func encryptedPPT() []byte {
	cu := make([]byte, 8, 32)
	binary.LittleEndian.PutUint16(cu[2:], 0x0ff6)
	binary.LittleEndian.PutUint32(cu[4:], 24)
	cu = binary.LittleEndian.AppendUint32(cu, 0x14)
	cu = binary.LittleEndian.AppendUint32(cu, 0xf3d1c4df)
	cu = append(cu, make([]byte, 16)...)
	noise := bytes.Repeat([]byte{0x9d, 0x13, 0xc7, 0x40}, 1024)
	return oletest.Build([]oletest.Stream{{Path: "Current User", Data: cu}, {Path: "PowerPoint Document", Data: noise},
		{Path: "EncryptedSummary", Data: noise}}, oletest.Options{})
}

// encryptedODT is an ODF text whose manifest marks content.xml encrypted.
func encryptedODT(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range [][2]string{
		{"mimetype", "application/vnd.oasis.opendocument.text"},
		{"content.xml", "\x8f\x11\xe2\x00\x93 ciphertext \xff\xfe"},
		{"META-INF/manifest.xml", `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">` +
			`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum="AAAA"/></manifest:file-entry></manifest:manifest>`},
	} {
		method := zip.Deflate
		if m[0] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deepNest is n copies of open, then n copies of close.
func deepNest(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

func init() {
	const n = 100_000
	hostileCases = append(hostileCases,
		hostileCase{
			// A small zip of JSON nested a million deep, as the
			// reliability campaign found it: ingest stores it, and the
			// chat walker stops at leak.MaxNesting instead of the stack.
			name: "deep-json",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "chats.zip"), zipBytes(t,
					zipMember{name: "result.json", body: []byte(`{"chats": ` + deepNest("[", "]", 1_000_000) + "}")}))
			},
			check: func(t *testing.T, c *casedir.Case) {
				d := hostileDoc(t, c, "deep-json/chats.zip!/result.json")
				wantStatus(t, d, "ok")
				text, _, err := c.Store.Text(t.Context(), d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := chat.ParseJSON("result.json", strings.NewReader(text), chat.Options{}); !errors.Is(err, leak.ErrNesting) {
					t.Errorf("chat walk of the stored text: %v, want %v", err, leak.ErrNesting)
				}
			},
		},
		hostileCase{
			name: "deep-markup",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "page.html"), []byte("<html><body><p>Acme Telecom</p>"+deepNest("<div>", "</div>", n)+"</body></html>"))
				writeFile(t, filepath.Join(dir, "doc.docx"), zipBytes(t,
					zipMember{name: "[Content_Types].xml", body: []byte("<Types/>")},
					zipMember{name: "word/document.xml", body: []byte(`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Nordhavn Shipping</w:t></w:r></w:p>` +
						deepNest("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", n) + "</w:body></w:document>")}))
				writeFile(t, filepath.Join(dir, "deep.eml"), []byte("From: a@acme.example\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n"+
					func() string {
						var b strings.Builder
						for i := range n {
							b.WriteString("--b" + strconv.Itoa(i) + "\nContent-Type: multipart/mixed; boundary=b" + strconv.Itoa(i+1) + "\n\n")
						}
						for i := n; i >= 0; i-- {
							b.WriteString("--b" + strconv.Itoa(i) + "--\n")
						}
						return b.String()
					}()))
			},
			check: func(t *testing.T, c *casedir.Case) {
				for path, want := range map[string]string{"deep-markup/page.html": "Acme Telecom", "deep-markup/doc.docx": "Nordhavn Shipping"} {
					d := hostileDoc(t, c, path)
					wantStatus(t, d, "ok")
					if text, _, _ := c.Store.Text(t.Context(), d.ID); !strings.Contains(text, want) {
						t.Errorf("%s: text lacks %q", path, want)
					}
				}
				d := hostileDoc(t, c, "deep-markup/deep.eml")
				wantFlags(t, "deep.eml", d.Flags, leak.FlagDeepNesting)
			},
		},
		hostileCase{
			// Mail headers win over the HTML of the first part: the mbox
			// is split and its attachment decoded, the .eml keeps its
			// sender and attachment.
			name: "html-first-mail",
			make: func(t *testing.T, dir string) {
				msg := "From: alice@acme.example\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: rates\nContent-Type: multipart/mixed; boundary=b\n\n" +
					"--b\nContent-Type: text/html\n\n<html><head><title>x</title></head><body>Acme Telecom rates</body></html>\n" +
					"--b\nContent-Disposition: attachment; filename=\"rates.txt\"\nContent-Transfer-Encoding: base64\n\n" +
					base64.StdEncoding.EncodeToString([]byte("Nordhavn Shipping 42\n")) + "\n--b--\n"
				writeFile(t, filepath.Join(dir, "box.mbox"), []byte("From alice@acme.example Mon Jan  1 00:00:00 2024\n"+msg+
					"\nFrom bob@acme.example Mon Jan  1 00:00:01 2024\nFrom: bob@acme.example\nSubject: second\n\nplain\n"))
				writeFile(t, filepath.Join(dir, "first.eml"), []byte(msg))
			},
			check: func(t *testing.T, c *casedir.Case) {
				if d := hostileDoc(t, c, "html-first-mail/box.mbox"); d.MIME != "application/mbox" {
					t.Errorf("box.mbox sniffed %s", d.MIME)
				}
				hostileDoc(t, c, "html-first-mail/box.mbox!/2")
				wantStatus(t, hostileDoc(t, c, "html-first-mail/box.mbox!/1/rates.txt"), "ok")
				e := hostileDoc(t, c, "html-first-mail/first.eml")
				if e.MIME != "message/rfc822" || e.Meta["from"] != "alice@acme.example" {
					t.Errorf("first.eml: mime %s, from %q", e.MIME, e.Meta["from"])
				}
				wantStatus(t, hostileDoc(t, c, "html-first-mail/first.eml!/rates.txt"), "ok")
			},
		},
		hostileCase{
			// The two FuzzEML crashers: an empty charset= and raw GBK
			// bytes before charset= in a broken Content-Type.
			name: "broken-charset",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "empty.eml"), []byte("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: 0ChArset=\n\nhello\n--b--\n"))
				writeFile(t, filepath.Join(dir, "gbk.eml"), []byte("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: "+gbkName+" charset=gbk\n\n"+gbkName+"\n--b--\n"))
			},
			check: func(t *testing.T, c *casedir.Case) {
				wantStatus(t, hostileDoc(t, c, "broken-charset/empty.eml"), "ok")
				wantStatus(t, hostileDoc(t, c, "broken-charset/gbk.eml"), "ok")
			},
		},
		hostileCase{
			name: "encrypted",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "members.zip"), encryptedZip(t))
				writeFile(t, filepath.Join(dir, "deck.ppt"), encryptedPPT())
				writeFile(t, filepath.Join(dir, "letter.odt"), encryptedODT(t))
				b, err := os.ReadFile(filepath.Join("..", "extract", "archive", "testdata", "encrypted-headers.7z"))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "headers.7z"), b)
			},
			check: func(t *testing.T, c *casedir.Case) {
				z := hostileDoc(t, c, "encrypted/members.zip")
				wantStatus(t, z, "ok")
				wantFlags(t, "members.zip", z.Flags, "encrypted")
				p := hostileProblem(t, c, "encrypted/members.zip!/secret.txt")
				wantFlags(t, "secret.txt", p.Flags, "encrypted")
				if !strings.Contains(p.Error, "encrypted") {
					t.Errorf("secret.txt: reason %q", p.Error)
				}
				wantStatus(t, hostileDoc(t, c, "encrypted/members.zip!/open.txt"), "ok")
				for _, f := range []string{"deck.ppt", "letter.odt", "headers.7z"} {
					d := hostileDoc(t, c, "encrypted/"+f)
					wantStatus(t, d, "encrypted")
					wantFlags(t, f, d.Flags, "encrypted")
				}
			},
		},
	)
}
