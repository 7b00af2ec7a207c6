package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ulikunitz/xz"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/testenv"
)

type zipEntry struct {
	name    string
	body    string
	nonUTF8 bool
	mode    fs.FileMode
	flags   uint16
	method  uint16
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, NonUTF8: e.nonUTF8, Flags: e.flags,
			Modified: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type tarEntry struct {
	name, body, link string
	typ              byte
}

func makeTar(t testing.TB, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Linkname: e.link, Mode: 0o644, Size: int64(len(e.body)),
			ModTime: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), Format: tar.FormatGNU}
		if typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, name string, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = name
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func xzb(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func write(t testing.TB, name string, b []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func gbk(s string) string {
	b, _ := simplifiedchinese.GBK.NewEncoder().String(s)
	return b
}

type result struct {
	Names      []string
	Flags      []string
	ChildFlags map[string][]string
	Links      map[string]string
	Bodies     map[string]string
	Skips      map[string]string // skip reasons of members not stored
}

func summarize(r *extracttest.Recorder) result {
	res := result{Names: r.Names(), Flags: slices.Sorted(slices.Values(r.Flags)),
		ChildFlags: map[string][]string{}, Links: map[string]string{}, Bodies: map[string]string{}, Skips: map[string]string{}}
	for _, c := range r.Children {
		if len(c.Flags) > 0 {
			res.ChildFlags[c.Name] = c.Flags
		}
		if c.Skip != "" {
			res.Skips[c.Name] = c.Skip
		} else if c.Link != "" {
			res.Links[c.Name] = c.Link
		} else if len(c.Data) < 64 {
			res.Bodies[c.Name] = string(c.Data)
		}
	}
	return res
}

func TestExtract(t *testing.T) {
	nested := makeZip(t, zipEntry{name: "inner/a.txt", body: "alpha"})
	bigTar := makeTar(t, tarEntry{name: "dir/", typ: tar.TypeDir}, tarEntry{name: "dir/a.zip", body: string(nested)},
		tarEntry{name: "dir/b.txt", body: "beta"})
	tests := []struct {
		name    string
		file    string
		data    []byte
		e       extract.Extractor
		want    result
		wantErr bool
	}{
		{
			name: "zip plain with directory",
			file: "x.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: "d/", body: ""}, zipEntry{name: "d/a.txt", body: "alpha", method: zip.Deflate}, zipEntry{name: "b.txt", body: "beta"}),
			want: result{Names: []string{"d/a.txt", "b.txt"}, Bodies: map[string]string{"d/a.txt": "alpha", "b.txt": "beta"}},
		},
		{
			name: "zip slip",
			file: "slip.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: "ok.txt", body: "1"}, zipEntry{name: "../../etc/x", body: "2"},
				zipEntry{name: `..\..\win\x`, body: "3"}, zipEntry{name: "/abs/x", body: "4"}, zipEntry{name: "C:/x", body: "5"},
				zipEntry{name: "docs/../../x", body: "6"}, zipEntry{name: "a..b/c", body: "7"}),
			want: result{
				Names: []string{"ok.txt", "../../etc/x", `..\..\win\x`, "/abs/x", "C:/x", "docs/../../x", "a..b/c"},
				Flags: []string{FlagTraversal},
				ChildFlags: map[string][]string{"../../etc/x": {FlagTraversal}, `..\..\win\x`: {FlagTraversal},
					"/abs/x": {FlagTraversal}, "C:/x": {FlagTraversal}, "docs/../../x": {FlagTraversal}},
				Bodies: map[string]string{"ok.txt": "1", "../../etc/x": "2", `..\..\win\x`: "3", "/abs/x": "4", "C:/x": "5", "docs/../../x": "6", "a..b/c": "7"},
			},
		},
		{
			name: "zip symlink members",
			file: "links.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: "out", body: "/tmp", mode: fs.ModeSymlink | 0o777},
				zipEntry{name: "out/probe.txt", body: "p"}, zipEntry{name: "rel", body: "sub/a", mode: fs.ModeSymlink | 0o777}),
			want: result{
				Names:      []string{"out", "out/probe.txt", "rel"},
				Flags:      []string{FlagSymlink, FlagSymlinkEscape},
				ChildFlags: map[string][]string{"out": {FlagSymlinkEscape}, "out/probe.txt": {FlagThroughLink, FlagSymlinkEscape}},
				Links:      map[string]string{"out": "/tmp", "rel": "sub/a"},
				Bodies:     map[string]string{"out/probe.txt": "p"},
			},
		},
		{
			name: "zip GBK names",
			file: "gbk.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: gbk("资料/目标清单.txt"), body: "x", nonUTF8: true}, zipEntry{name: "a\xff\xfe.txt", body: "y", nonUTF8: true}),
			want: result{
				Names:      []string{"资料/目标清单.txt", "a\xff\xfe.txt"},
				ChildFlags: map[string][]string{"资料/目标清单.txt": {FlagNameGB18030}, "a\xff\xfe.txt": {FlagNameNotUTF8}},
				Bodies:     map[string]string{"资料/目标清单.txt": "x", "a\xff\xfe.txt": "y"},
			},
		},
		{
			name: "zip encrypted member skipped",
			file: "enc.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: "secret.txt", body: "garbage", flags: 0x1}, zipEntry{name: "open.txt", body: "o"}),
			want: result{Names: []string{"secret.txt", "open.txt"}, Flags: []string{FlagEncrypted}, Bodies: map[string]string{"open.txt": "o"},
				ChildFlags: map[string][]string{"secret.txt": {FlagEncrypted}}, Skips: map[string]string{"secret.txt": skipReasonEncrypted}},
		},
		{
			name: "tar links",
			file: "links.tar", e: Tar{},
			data: makeTar(t, tarEntry{name: "bundle/", typ: tar.TypeDir}, tarEntry{name: "bundle/readme.txt", body: "r"},
				tarEntry{name: "bundle/out", typ: tar.TypeSymlink, link: "/tmp"},
				tarEntry{name: "bundle/out/probe.txt", body: "p"},
				tarEntry{name: "bundle/passwd", typ: tar.TypeSymlink, link: "../../etc/passwd"},
				tarEntry{name: "bundle/hard", typ: tar.TypeLink, link: "bundle/readme.txt"}),
			want: result{
				Names: []string{"bundle/readme.txt", "bundle/out", "bundle/out/probe.txt", "bundle/passwd", "bundle/hard"},
				Flags: []string{FlagHardlink, FlagSymlink, FlagSymlinkEscape},
				ChildFlags: map[string][]string{"bundle/out": {FlagSymlinkEscape}, "bundle/out/probe.txt": {FlagThroughLink, FlagSymlinkEscape},
					"bundle/passwd": {FlagSymlinkEscape}},
				Links:  map[string]string{"bundle/out": "/tmp", "bundle/passwd": "../../etc/passwd", "bundle/hard": "bundle/readme.txt"},
				Bodies: map[string]string{"bundle/readme.txt": "r", "bundle/out/probe.txt": "p"},
			},
		},
		{
			name: "tar.gz with nested zip is read as the tar",
			file: "x.tar.gz", e: Compressed{},
			data: gz(t, "", bigTar),
			want: result{Names: []string{"dir/a.zip", "dir/b.txt"}, Bodies: map[string]string{"dir/b.txt": "beta"}},
		},
		{
			name: "tar.xz",
			file: "x.txz", e: Compressed{},
			data: xzb(t, bigTar),
			want: result{Names: []string{"dir/a.zip", "dir/b.txt"}, Bodies: map[string]string{"dir/b.txt": "beta"}},
		},
		{
			name: "gzip single file named by header",
			file: "renamed.gz", e: Compressed{},
			data: gz(t, "report.txt", []byte("hello")),
			want: result{Names: []string{"report.txt"}, Bodies: map[string]string{"report.txt": "hello"}},
		},
		{
			name: "gzip single file named by input",
			file: "notes.txt.gz", e: Compressed{},
			data: gz(t, "", []byte("hello")),
			want: result{Names: []string{"notes.txt"}, Bodies: map[string]string{"notes.txt": "hello"}},
		},
		{
			name: "xz single file",
			file: "dump.sql.xz", e: Compressed{},
			data: xzb(t, []byte("select 1")),
			want: result{Names: []string{"dump.sql"}, Bodies: map[string]string{"dump.sql": "select 1"}},
		},
		{
			name: "truncated tar.gz",
			file: "cut.tar.gz", e: Compressed{},
			data: func() []byte {
				b := gz(t, "", makeTar(t, tarEntry{name: "a.txt", body: noise(20000)}))
				return b[:len(b)/2]
			}(),
			want:    result{Names: []string{"a.txt"}, Flags: []string{FlagTruncated}},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := extracttest.NewInput(t, write(t, tt.file, tt.data))
			in.Name = tt.file
			if !slices.Contains(tt.e.Accepts(), in.MIME) {
				t.Fatalf("sniffed %s, not accepted by %s", in.MIME, tt.e.Name())
			}
			r, err := extracttest.Run(t.Context(), tt.e, in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			got := summarize(r)
			if tt.wantErr {
				got.Bodies = nil // partial bodies of damaged members are the sink's business
			}
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, b := range extracttest.Validate(r) {
				if tt.name != "zip GBK names" { // a raw non-UTF-8 name is allowed
					t.Error(b)
				}
			}
		})
	}
}

var cmpEmpty = cmpopts.EquateEmpty()

func TestZipTruncated(t *testing.T) {
	var entries []zipEntry
	for i := range 20 {
		entries = append(entries, zipEntry{name: string(rune('a'+i)) + ".txt", body: string(bytes.Repeat([]byte{byte('a' + i)}, 300)), method: zip.Deflate})
	}
	full := makeZip(t, entries...)
	cut := full[:len(full)*55/100]
	in := extracttest.NewInput(t, write(t, "partial.zip", cut))
	r, err := extracttest.Run(t.Context(), Zip{}, in)
	if err == nil {
		t.Fatal("err = nil, want the damage described")
	}
	if !r.HasFlag(FlagTruncated) {
		t.Errorf("flags %v, want %q", r.Flags, FlagTruncated)
	}
	if len(r.Children) < 10 {
		t.Errorf("salvaged %d members, want at least 10: %v", len(r.Children), r.Names())
	}
	for _, c := range r.Children[:len(r.Children)-1] {
		if c.ReadErr != "" || len(c.Data) != 300 {
			t.Errorf("%s: %d bytes, read error %q", c.Name, len(c.Data), c.ReadErr)
		}
	}
}

func TestZipBombStopsOnLimit(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("zeros.log")
	zero := make([]byte, 1<<20)
	for range 64 {
		w.Write(zero)
	}
	w, _ = zw.Create("after.txt")
	w.Write([]byte("never read"))
	zw.Close()
	in := extracttest.NewInput(t, write(t, "bomb.zip", buf.Bytes()))
	r := &extracttest.Recorder{MaxChildBytes: 1 << 20}
	err := extracttest.RunWith(t.Context(), Zip{}, in, r)
	var le *extract.LimitError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a *LimitError", err)
	}
	if r.ChildCalls != 1 {
		t.Errorf("Child called %d times, want 1 (stop at the limit)", r.ChildCalls)
	}
}

func TestHostileName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"plain", "a/b.txt", false},
		{"dots in name", "a..b/..c", false},
		{"dotdot", "../x", true},
		{"inner dotdot", "a/../../x", true},
		{"absolute", "/etc/passwd", true},
		{"backslash", `..\x`, true},
		{"unc", `\\server\share`, true},
		{"drive", "c:x", true},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hostileName(tt.in); got != tt.want {
				t.Errorf("hostileName(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSevenZipFixture(t *testing.T) {
	p := filepath.Join("testdata", "sample.7z")
	in := extracttest.NewInput(t, p)
	r, err := extracttest.Run(t.Context(), SevenZip{}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := result{
		Names:      []string{"docs/a.txt", "docs/link", "docs/中文.txt"},
		Flags:      []string{FlagSymlink, FlagSymlinkEscape},
		ChildFlags: map[string][]string{"docs/link": {FlagSymlinkEscape}},
		Links:      map[string]string{"docs/link": "/etc/passwd"},
		Bodies:     map[string]string{"docs/a.txt": "alpha\n", "docs/中文.txt": "你好\n"},
	}
	got := summarize(r)
	slices.Sort(got.Names)
	if diff := cmp.Diff(want, got, cmpEmpty); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSevenZipEncryptedFixture(t *testing.T) {
	in := extracttest.NewInput(t, filepath.Join("testdata", "encrypted.7z"))
	r, _ := extracttest.Run(t.Context(), SevenZip{}, in)
	if !r.HasFlag(FlagEncrypted) {
		t.Errorf("flags %v, want %q", r.Flags, FlagEncrypted)
	}
	if len(r.Children) != 0 {
		t.Errorf("children %v, want none of an encrypted archive", r.Names())
	}
}

// TestSevenZipGenerated builds a 7z with the 7z tool, when installed.
func TestSevenZipGenerated(t *testing.T) {
	if _, err := exec.LookPath("7z"); err != nil {
		testenv.Missing(t, "7z not installed")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src", "d"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "d", "x.txt"), []byte("x"), 0o644)
	out := filepath.Join(dir, "g.7z")
	cmd := exec.CommandContext(t.Context(), "7z", "a", "-bd", out, "d")
	cmd.Dir = filepath.Join(dir, "src")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("7z: %v\n%s", err, b)
	}
	r, err := extracttest.Run(t.Context(), SevenZip{}, extracttest.NewInput(t, out))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"d/x.txt"}, r.Names()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRARRealFormat reads the RAR files of the shared third-party sample
// set: there is no free tool to make a RAR fixture.
func TestRARRealFormat(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	var found int
	filepath.WalkDir(filepath.Join(corpus, "real-formats"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".rar" {
			return err
		}
		found++
		r, err := extracttest.Run(t.Context(), RAR{}, extracttest.NewInput(t, p))
		t.Logf("%s: %v flags %v err %v", d.Name(), r.Names(), r.Flags, err)
		if len(r.Children) == 0 && err == nil {
			t.Errorf("%s: no members and no error", d.Name())
		}
		return nil
	})
	if found == 0 {
		testenv.MissingCorpus(t, "no .rar in real-formats")
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	w := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	three := []zipEntry{{name: "a.txt", body: "alpha", method: zip.Deflate}, {name: "b.txt", body: "beta"}, {name: "c/d.txt", body: "delta", method: zip.Deflate}}
	tr := makeTar(t, tarEntry{name: "a.txt", body: "alpha"}, tarEntry{name: "l", typ: tar.TypeSymlink, link: "a.txt"}, tarEntry{name: "b.txt", body: "beta"})
	extracttest.Check(t, Zip{}, w("three.zip", makeZip(t, three...)))
	extracttest.Check(t, Tar{}, w("three.tar", tr))
	extracttest.Check(t, Compressed{}, w("three.tar.gz", gz(t, "", tr)), w("one.txt.gz", gz(t, "one.txt", []byte("one"))), w("three.tar.xz", xzb(t, tr)))
	extracttest.Check(t, SevenZip{}, filepath.Join("testdata", "sample.7z"))
}

// noise returns n incompressible but reproducible bytes.
func noise(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}
