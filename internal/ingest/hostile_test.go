package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/store"
)

// hostileCase is one hostile input of TestHostile. make writes its files
// into dir, which is "<root>/<name>", so that the case's paths in the store
// start with "<name>/". check inspects the case after the one ingest of
// every case: per file a status, an error reason, a flag or a count.
type hostileCase struct {
	name  string
	make  func(t *testing.T, dir string)
	check func(t *testing.T, c *casedir.Case)
}

// hostileCases is the corpus of TestHostile. Other test files of package
// ingest append their cases in init(), so that every hostile fixture runs
// through the real pipeline with the default limits.
var hostileCases []hostileCase

// hostileSum is the summary of TestHostile's ingest, for checks of the
// counters.
var hostileSum Summary

// TestHostile generates every hostile case into one folder, ingests it once
// with the real pipeline and the default limits, then runs each case's
// check. It fails when there is no case, so that it never passes by
// checking nothing.
func TestHostile(t *testing.T) {
	if len(hostileCases) == 0 {
		t.Fatal("no hostile cases registered")
	}
	ctx := t.Context()
	base := t.TempDir()
	root := filepath.Join(base, "dump")
	names := map[string]bool{}
	for _, hc := range hostileCases {
		if names[hc.name] || hc.name == "" || !filepath.IsLocal(hc.name) || strings.Contains(hc.name, "/") {
			t.Fatalf("hostile case name %q: empty, not a plain file name or used twice", hc.name)
		}
		names[hc.name] = true
		dir := filepath.Join(root, hc.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		hc.make(t, dir)
	}
	c, err := casedir.Open(ctx, filepath.Join(base, "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sum, err := New(c, Options{Workers: 2}).Run(ctx, []string{root})
	if err != nil {
		t.Fatalf("ingest of the hostile corpus stopped: %v", err)
	}
	hostileSum = sum
	t.Logf("summary %+v", sum)
	for _, hc := range hostileCases {
		t.Run(hc.name, func(t *testing.T) { hc.check(t, c) })
	}
	// Nothing of the corpus may be written outside the case: the member
	// names of the zip slip case point at base.
	ents, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "dump" && e.Name() != "case" {
			t.Errorf("%s written beside the case", e.Name())
		}
	}
}

// hostileDoc returns the document found at path (relative to the root).
func hostileDoc(t *testing.T, c *casedir.Case, path string) store.DocInfo {
	t.Helper()
	id, err := c.Store.Resolve(t.Context(), path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	d, err := c.Store.Document(t.Context(), id)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

// hostileProblem returns the occurrence at path that could not be stored.
func hostileProblem(t *testing.T, c *casedir.Case, path string) store.Occurrence {
	t.Helper()
	probs, err := c.Store.Problems(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range probs {
		if o.Path == path {
			return o
		}
	}
	var got []string
	for _, o := range probs {
		got = append(got, o.Path)
	}
	t.Fatalf("%s: not recorded as a problem; problems: %q", path, got)
	return store.Occurrence{}
}

// wantStatus checks a document's status and that its error mentions each
// of the given words.
func wantStatus(t *testing.T, d store.DocInfo, status string, words ...string) {
	t.Helper()
	if d.Status != status {
		t.Errorf("%s: status %q (error %q), want %q", d.Paths(), d.Status, d.Error, status)
	}
	for _, w := range words {
		if !strings.Contains(d.Error, w) {
			t.Errorf("%s: error %q does not mention %q", d.Paths(), d.Error, w)
		}
	}
}

// wantFlags checks that flags holds each of want.
func wantFlags(t *testing.T, what string, flags []string, want ...string) {
	t.Helper()
	for _, f := range want {
		if !slices.Contains(flags, f) {
			t.Errorf("%s: flags %q lack %q", what, flags, f)
		}
	}
}

// zipMember is one member of a generated zip.
type zipMember struct {
	name    string
	body    []byte
	link    bool // a symbolic link whose target is body
	nonUTF8 bool // the name is in a legacy code page (no UTF-8 bit)
	store   bool // not compressed
}

func zipBytes(t *testing.T, members ...zipMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate, NonUTF8: m.nonUTF8}
		if m.store {
			h.Method = zip.Store
		}
		if m.link {
			h.SetMode(fs.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// gbkName is "中文报告" ("Chinese report") in GBK, not valid UTF-8.
const gbkName = "\xd6\xd0\xce\xc4\xb1\xa8\xb8\xe6"

// minimalPDF is a one-page PDF with a text layer, written by hand so that
// its cross-reference offsets are right.
func minimalPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	content := "BT /F1 18 Tf 20 80 Td (Nordhavn Shipping manifest) Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func init() {
	hostileCases = append(hostileCases,
		hostileCase{
			name: "zip-slip",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "slip.zip"), zipBytes(t,
					zipMember{name: "../../../slipped.txt", body: []byte("Acme Telecom escaped\n")},
					zipMember{name: "/tmp/absolute-slipped.txt", body: []byte("Acme Telecom absolute\n")},
					zipMember{name: "ok.txt", body: []byte("Acme Telecom inside\n")},
				))
			},
			check: func(t *testing.T, c *casedir.Case) {
				z := hostileDoc(t, c, "zip-slip/slip.zip")
				wantStatus(t, z, "ok")
				wantFlags(t, "slip.zip", z.Flags, "path-traversal", "absolute-path")
				// The member is kept under its byte-exact name, inside
				// the container's path, and never written by name.
				m := hostileDoc(t, c, "zip-slip/slip.zip!/../../../slipped.txt")
				wantStatus(t, m, "ok")
				if _, err := os.Stat("/tmp/absolute-slipped.txt"); err == nil {
					t.Error("the absolute member was written to /tmp")
				}
			},
		},
		hostileCase{
			// 64 MiB of zeros deflate to about 64 KiB: a ratio of 1000.
			name: "zip-bomb",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "bomb.zip"), zipBytes(t,
					zipMember{name: "zeros.bin", body: make([]byte, 64<<20)}))
			},
			check: func(t *testing.T, c *casedir.Case) {
				z := hostileDoc(t, c, "zip-bomb/bomb.zip")
				wantStatus(t, z, "limit", "ratio")
				wantFlags(t, "bomb.zip", z.Flags, "limit-ratio")
				// The message shows the real ratio, over the limit: not
				// the whole-number "200 > 200" it once printed.
				var got, limit float64
				if i := strings.Index(z.Error, "limit ratio: "); i < 0 {
					t.Errorf("bomb.zip: error %q has no ratio", z.Error)
				} else if _, err := fmt.Sscanf(z.Error[i:], "limit ratio: %g > %g", &got, &limit); err != nil || got <= limit || limit != 200 {
					t.Errorf("bomb.zip: error %q: ratio %g against %g (%v)", z.Error, got, limit, err)
				}
				p := hostileProblem(t, c, "zip-bomb/bomb.zip!/zeros.bin")
				wantFlags(t, "zeros.bin", p.Flags, "limit-ratio")
			},
		},
		hostileCase{
			// Each level is a zip holding the level below; the depth
			// limit (10) stops the walk long before level 100.
			name: "nested-100",
			make: func(t *testing.T, dir string) {
				body := zipBytes(t, zipMember{name: "core.txt", body: []byte("Nordhavn Shipping core\n")})
				for i := 99; i >= 1; i-- {
					body = zipBytes(t, zipMember{name: fmt.Sprintf("level%03d.zip", i), body: body, store: true})
				}
				writeFile(t, filepath.Join(dir, "level000.zip"), body)
			},
			check: func(t *testing.T, c *casedir.Case) {
				top := hostileDoc(t, c, "nested-100/level000.zip")
				wantFlags(t, "level000.zip", top.Flags, "deep-nesting")
				path := "nested-100/level000.zip"
				for i := 1; i <= 10; i++ {
					path += fmt.Sprintf("!/level%03d.zip", i)
				}
				hostileDoc(t, c, path) // depth 10 is still stored
				p := hostileProblem(t, c, path+"!/level011.zip")
				wantFlags(t, "level011.zip", p.Flags, "deep-nesting")
				if !strings.Contains(p.Error, "depth") {
					t.Errorf("level011.zip: error %q does not name the depth limit", p.Error)
				}
			},
		},
		hostileCase{
			name: "symlink-members",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "links.zip"), zipBytes(t,
					zipMember{name: "passwd", body: []byte("/etc/passwd"), link: true},
					zipMember{name: "readme.txt", body: []byte("Acme Telecom links\n")}))
				var buf bytes.Buffer
				tw := tar.NewWriter(&buf)
				tw.WriteHeader(&tar.Header{Name: "shadow", Typeflag: tar.TypeSymlink, Linkname: "../../etc/shadow", Mode: 0o777})
				body := []byte("Acme Telecom tar\n")
				tw.WriteHeader(&tar.Header{Name: "note.txt", Typeflag: tar.TypeReg, Size: int64(len(body)), Mode: 0o644})
				tw.Write(body)
				if err := tw.Close(); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "links.tar"), buf.Bytes())
				// And a symbolic link in the dump itself.
				if err := os.Symlink("/etc/passwd", filepath.Join(dir, "top-link")); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, c *casedir.Case) {
				for _, tc := range []struct{ name, container, member string }{
					{name: "zip", container: "symlink-members/links.zip", member: "passwd"},
					{name: "tar", container: "symlink-members/links.tar", member: "shadow"},
				} {
					t.Run(tc.name, func(t *testing.T) {
						d := hostileDoc(t, c, tc.container)
						wantFlags(t, tc.container, d.Flags, "symlink")
						p := hostileProblem(t, c, tc.container+"!/"+tc.member)
						wantFlags(t, tc.member, p.Flags, "symlink")
					})
				}
				p := hostileProblem(t, c, "symlink-members/top-link")
				wantFlags(t, "top-link", p.Flags, "symlink")
			},
		},
		hostileCase{
			name: "gbk-names",
			make: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, gbkName+".txt"), []byte("Nordhavn Shipping GBK name\n"))
				writeFile(t, filepath.Join(dir, "gbk.zip"), zipBytes(t,
					zipMember{name: gbkName + ".txt", body: []byte("Nordhavn Shipping GBK member\n"), nonUTF8: true}))
			},
			check: func(t *testing.T, c *casedir.Case) {
				// Paths are byte-exact: the raw GBK bytes are the key.
				d := hostileDoc(t, c, "gbk-names/"+gbkName+".txt")
				wantStatus(t, d, "ok")
				// The escaped form that JSON output carries resolves back.
				esc := store.EscapePath("gbk-names/" + gbkName + ".txt")
				if id, err := c.Store.Resolve(t.Context(), esc); err != nil || id != d.ID {
					t.Errorf("Resolve(%q) = %s, %v, want %s", esc, id, err, d.ID)
				}
				z := hostileDoc(t, c, "gbk-names/gbk.zip")
				wantStatus(t, z, "ok")
				if len(z.Meta) == 0 || z.Meta["members"] != "1" {
					t.Errorf("gbk.zip: members %q, want 1", z.Meta["members"])
				}
			},
		},
		hostileCase{
			name: "truncated-pdf",
			make: func(t *testing.T, dir string) {
				pdf := minimalPDF()
				writeFile(t, filepath.Join(dir, "cut.pdf"), pdf[:len(pdf)/2])
			},
			check: func(t *testing.T, c *casedir.Case) {
				d := hostileDoc(t, c, "truncated-pdf/cut.pdf")
				// Either poppler salvages the page (flagged corrupt) or
				// the document is an error with poppler's reason; it is
				// never a silent ok.
				if d.Status == "ok" {
					wantFlags(t, "cut.pdf", d.Flags, "corrupt")
				} else {
					wantStatus(t, d, "error", "pdf")
				}
			},
		},
		hostileCase{
			name: "empty-file",
			make: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "nothing.txt"), nil) },
			check: func(t *testing.T, c *casedir.Case) {
				d := hostileDoc(t, c, "empty-file/nothing.txt")
				wantStatus(t, d, "empty")
				wantFlags(t, "nothing.txt", d.Flags, "empty")
			},
		},
		hostileCase{
			name: "fifo",
			make: func(t *testing.T, dir string) {
				if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, c *casedir.Case) {
				p := hostileProblem(t, c, "fifo/pipe")
				if !strings.Contains(p.Error, "special file") {
					t.Errorf("pipe: error %q, want a special file reason", p.Error)
				}
			},
		},
		hostileCase{
			name: "no-read-permission",
			make: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "secret.txt")
				writeFile(t, path, []byte("Acme Telecom secret\n"))
				if err := os.Chmod(path, 0); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(path, 0o644) })
			},
			check: func(t *testing.T, c *casedir.Case) {
				if os.Geteuid() == 0 {
					// Permission bits do not stop root: the file is read.
					// TestUnreadable covers the unreadable path for every
					// user with a file that vanishes after the walk.
					wantStatus(t, hostileDoc(t, c, "no-read-permission/secret.txt"), "ok")
					return
				}
				p := hostileProblem(t, c, "no-read-permission/secret.txt")
				if !strings.Contains(p.Error, "permission denied") {
					t.Errorf("secret.txt: error %q, want permission denied", p.Error)
				}
				wantFlags(t, "secret.txt", p.Flags, store.FlagUnreadable)
				if hostileSum.Errors == 0 {
					t.Error("summary counts no error for an unreadable file")
				}
			},
		},
	)
}
