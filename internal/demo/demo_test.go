package demo

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
	"github.com/leakscope/leakscope/internal/tool"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// write runs Write into a fresh temp dir.
func write(t testing.TB, opts Options) (string, Manifest) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	opts.Logger = discard()
	m, err := Write(dir, opts)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return dir, m
}

// tree reads every file under dir, .git included, keyed by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterminism(t *testing.T) {
	dirA, a := write(t, Options{})
	dirB, b := write(t, Options{})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("manifests differ (-first +second):\n%s", diff)
	}
	ta, tb := tree(t, dirA), tree(t, dirB)
	if len(ta) < 20 {
		t.Fatalf("only %d files written", len(ta))
	}
	for p, da := range ta {
		if db, ok := tb[p]; !ok {
			t.Errorf("%s missing from the second run", p)
		} else if !bytes.Equal(da, db) {
			t.Errorf("%s differs between runs", p)
		}
	}
	if len(ta) != len(tb) {
		t.Errorf("first run wrote %d files, second %d", len(ta), len(tb))
	}

	_, c := write(t, Options{Seed: "another seed"})
	if a.Truth.Entities[0].Value == c.Truth.Entities[0].Value && a.Files[0].SHA256 == c.Files[0].SHA256 {
		t.Errorf("seed changes nothing")
	}
}

func TestWriteRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, Options{Logger: discard()}); err == nil {
		t.Fatal("Write into a non-empty dir succeeded")
	}
}

// TestFilesOnDisk checks every manifest entry against the bytes written:
// size, hash and the MIME type internal/sniff gives them.
func TestFilesOnDisk(t *testing.T) {
	dir, m := write(t, Options{})
	if len(m.Files) < 20 {
		t.Fatalf("manifest lists %d files", len(m.Files))
	}
	onDisk := tree(t, dir)
	for _, f := range m.Files {
		t.Run(f.Path, func(t *testing.T) {
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			if f.Dir {
				if st, err := os.Stat(p); err != nil || !st.IsDir() {
					t.Fatalf("%s is not a directory: %v", f.Path, err)
				}
				return
			}
			data, ok := onDisk[f.Path]
			if !ok {
				t.Fatalf("not on disk")
			}
			if int64(len(data)) != f.Size || leak.Hash(data).String() != f.SHA256 {
				t.Errorf("size/hash mismatch")
			}
			got, err := sniff.File(p, base(f.Path))
			if err != nil {
				t.Fatal(err)
			}
			if got != f.MIME {
				t.Errorf("sniff = %q, manifest says %q", got, f.MIME)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if !f.ModTime.IsZero() && !st.ModTime().Equal(f.ModTime) {
				t.Errorf("mtime %v, want %v", st.ModTime(), f.ModTime)
			}
		})
	}
	// Every file on disk outside .git is in the manifest.
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	for p := range onDisk {
		if !listed[p] && !strings.HasPrefix(p, "repo/.git/") {
			t.Errorf("%s written but not in the manifest", p)
		}
	}
}

func base(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// TestMembers sniffs every container member from its bytes and checks each
// container lists it.
func TestMembers(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.mem) < 10 {
		t.Fatalf("only %d members", len(b.mem))
	}
	byPath := map[string]*blob{}
	for _, f := range b.files() {
		byPath[f.Path] = f
	}
	tmp := t.TempDir()
	for i, f := range b.mem {
		t.Run(f.Path, func(t *testing.T) {
			p := filepath.Join(tmp, strings.Repeat("x", i+1))
			if err := os.WriteFile(p, f.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := sniff.File(p, base(f.Path))
			if err != nil {
				t.Fatal(err)
			}
			if got != f.MIME {
				t.Errorf("sniff = %q, manifest says %q", got, f.MIME)
			}
			c, ok := byPath[f.Container]
			if !ok {
				t.Fatalf("container %s unknown", f.Container)
			}
			if !slices.Contains(c.Members, f.Path) {
				t.Errorf("container %s does not list it", f.Container)
			}
			if !strings.HasPrefix(f.Path, f.Container+leak.ContainerSep) {
				t.Errorf("path does not start with its container")
			}
		})
	}
}

// TestContainersHoldMembers opens the zip containers and checks that the
// members the manifest lists are there with the same bytes.
func TestContainersHoldMembers(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range b.files() {
		if c.MIME != sniff.Zip {
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(c.data), int64(len(c.data)))
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		for _, m := range b.mem {
			if m.Container != c.Path {
				continue
			}
			name := strings.TrimPrefix(m.Path, c.Path+leak.ContainerSep)
			var rc io.ReadCloser
			err := fs.ErrNotExist
			for _, zf := range zr.File {
				if zf.Name == name {
					rc, err = zf.Open()
				}
			}
			if err != nil {
				t.Errorf("%s: %v", m.Path, err)
				continue
			}
			data := new(bytes.Buffer)
			_, _ = data.ReadFrom(rc)
			rc.Close()
			if !bytes.Equal(data.Bytes(), m.data) {
				t.Errorf("%s: bytes differ from the manifest", m.Path)
			}
			checked++
		}
	}
	if checked < 4 {
		t.Errorf("checked %d zip members", checked)
	}
}

func TestOOXMLParts(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*blob{}
	for _, f := range b.files() {
		byPath[f.Path] = f
	}
	common := []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml"}
	tests := []struct {
		name  string
		path  string
		parts []string
		needs []string // substrings of the joined part contents
	}{
		{name: "docx", path: "业务/越南项目阶段报告.docx", parts: []string{"word/document.xml"},
			needs: []string{"<w:tbl>", "越南海岸事务部", "<dc:creator>苏静怡</dc:creator>", "<dcterms:created", "<dc:title>"}},
		{name: "nested docx", path: "archives/资料备份_2022.tar.gz!/backup/资料.zip!/docs/项目方案_埃及.docx", parts: []string{"word/document.xml"},
			needs: []string{"<w:tbl>", "埃及尼罗河谷电力公司"}},
		{name: "xlsx", path: "业务/2021年目标汇总.xlsx",
			parts: []string{"xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/_rels/workbook.xml.rels"},
			needs: []string{`name="目标清单"`, `name="交付记录"`, "肯尼亚高原水务局", "<dc:creator>韩立伟</dc:creator>"}},
		{name: "pptx", path: "业务/公司介绍.pptx",
			parts: []string{"ppt/presentation.xml", "ppt/slides/slide1.xml", "ppt/slides/slide2.xml", "ppt/_rels/presentation.xml.rels"},
			needs: []string{"2021年典型案例", "<dc:creator>罗小梅</dc:creator>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := byPath[tt.path]
			if !ok {
				t.Fatalf("no %s", tt.path)
			}
			zr, err := zip.NewReader(bytes.NewReader(f.data), int64(len(f.data)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			var all strings.Builder
			for _, zf := range zr.File {
				names = append(names, zf.Name)
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(rc)
				rc.Close()
				if !utf8.Valid(buf.Bytes()) {
					t.Errorf("%s is not UTF-8", zf.Name)
				}
				all.Write(buf.Bytes())
			}
			for _, p := range append(common, tt.parts...) {
				if !slices.Contains(names, p) {
					t.Errorf("missing part %s (have %v)", p, names)
				}
			}
			for _, n := range tt.needs {
				if !strings.Contains(all.String(), n) {
					t.Errorf("no %q in the parts", n)
				}
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*blob{}
	for _, f := range b.files() {
		byPath[f.Path] = f
	}
	tests := []struct {
		name   string
		path   string
		decode func([]byte) (string, error)
	}{
		{"gbk", "notes/内网服务器.txt", func(b []byte) (string, error) { return simplifiedchinese.GBK.NewDecoder().String(string(b)) }},
		{"big5", "notes/合作備忘.txt", func(b []byte) (string, error) { return traditionalchinese.Big5.NewDecoder().String(string(b)) }},
		{"utf-16le", "notes/vpn_config.txt", func(b []byte) (string, error) {
			if !bytes.HasPrefix(b, []byte{0xff, 0xfe}) {
				t.Errorf("no UTF-16LE BOM")
			}
			return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().String(string(b))
		}},
		{"utf-8", "notes/工作记录.txt", func(b []byte) (string, error) { return string(b), nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := byPath[tt.path]
			if f == nil {
				t.Fatalf("no %s", tt.path)
			}
			if f.Encoding != tt.name {
				t.Errorf("encoding %q, want %q", f.Encoding, tt.name)
			}
			if tt.name != "utf-8" && utf8.Valid(f.data) {
				t.Errorf("bytes are valid UTF-8; not really %s", tt.name)
			}
			got, err := tt.decode(f.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(f.text, got); diff != "" {
				t.Errorf("decoded text (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGitHistory opens repo/ with go-git: three commits, the target note in
// the first and gone at HEAD, the member paths naming the right commit.
func TestGitHistory(t *testing.T) {
	dir, m := write(t, Options{NoSystemFont: true})
	r, err := git.PlainOpen(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Name() != plumbing.NewBranchReferenceName("main") {
		t.Errorf("HEAD is %s", head.Name())
	}
	iter, err := r.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	var commits []*object.Commit
	_ = iter.ForEach(func(c *object.Commit) error { commits = append(commits, c); return nil })
	if len(commits) != 3 {
		t.Fatalf("%d commits, want 3", len(commits))
	}
	has := func(c *object.Commit, p string) bool {
		_, err := c.File(p)
		return err == nil
	}
	first, last := commits[2], commits[0]
	const note = "notes/kenya_targets.md"
	if !has(first, note) || has(last, note) {
		t.Errorf("%s: in first commit %v, at HEAD %v; want true, false", note, has(first, note), has(last, note))
	}
	want := "repo/.git!/" + first.Hash.String() + "/" + note
	var found bool
	for _, f := range m.Members {
		if f.Path == want {
			found = true
			if !slices.Contains(f.Flags, "deleted-in-history") {
				t.Errorf("%s not flagged deleted-in-history", want)
			}
		}
	}
	if !found {
		t.Errorf("no member %s", want)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	st, err := wt.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsClean() {
		t.Errorf("working tree not clean:\n%s", st)
	}
}

// TestGitCLI checks the bundle and the repository with the real git, when
// it is installed.
func TestGitCLI(t *testing.T) {
	if err := tool.Available("git"); err != nil {
		testenv.Missing(t, "git not installed")
	}
	dir, m := write(t, Options{NoSystemFont: true})
	run := func(args ...string) string {
		res, err := tool.Run(t.Context(), tool.Cmd{Name: "git", Args: args, Dir: dir, Timeout: 30 * time.Second})
		if err != nil {
			t.Fatalf("git %v: %v %s", args, err, res.Stderr)
		}
		return string(res.Stdout)
	}
	run("-C", "repo", "bundle", "verify", "../archives/ops-tools.bundle")
	run("clone", "-q", "archives/ops-tools.bundle", "clone")
	log := run("-C", "clone", "log", "--all", "--format=%H", "--", "notes/kenya_targets.md")
	var sha string
	for _, f := range m.Members {
		if strings.HasSuffix(f.Path, "/notes/kenya_targets.md") && strings.HasPrefix(f.Path, "archives/") {
			sha = strings.Split(strings.TrimPrefix(f.Path, "archives/ops-tools.bundle!/"), "/")[0]
		}
	}
	if sha == "" || !strings.Contains(log, sha) {
		t.Errorf("git log of the note %q does not name the manifest's commit %q", log, sha)
	}
	run("-C", "repo", "fsck", "--strict")
	if out := run("-C", "repo", "status", "--porcelain"); out != "" {
		t.Errorf("git status not clean:\n%s", out)
	}
}

func TestPDFText(t *testing.T) {
	if err := tool.Available("pdftotext"); err != nil {
		testenv.Missing(t, "pdftotext not installed")
	}
	dir, m := write(t, Options{NoSystemFont: true})
	var n int
	for _, f := range m.Files {
		if f.Format != "pdf-text" {
			continue
		}
		n++
		res, err := tool.Run(t.Context(), tool.Cmd{Name: "pdftotext", Args: []string{filepath.Join(dir, filepath.FromSlash(f.Path)), "-"}})
		if err != nil {
			t.Fatalf("pdftotext: %v %s", err, res.Stderr)
		}
		for _, want := range []string{"Nile Valley Power Company (Egypt)", "résumé", "Quarterly Report 2022 Q1"} {
			if !strings.Contains(string(res.Stdout), want) {
				t.Errorf("%s: no %q in\n%s", f.Path, want, res.Stdout)
			}
		}
	}
	if n == 0 {
		t.Fatal("no text PDF in the demo")
	}
}

// TestChatShapes counts messages the way a chat parser would and compares
// with the truth.
func TestChatShapes(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*blob{}
	for _, f := range b.files() {
		byPath[f.Path] = f
	}
	line := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [^:]+: `)
	for _, c := range b.truth.Chats.Conversations {
		t.Run(c.ID, func(t *testing.T) {
			f := byPath[c.File]
			if f == nil {
				t.Fatalf("no %s", c.File)
			}
			var got int
			switch c.Shape {
			case "text-md":
				got = len(line.FindAll(f.data, -1))
				if lines := strings.Count(string(f.data), "\n"); lines <= got+3 {
					t.Errorf("no multi-line message (%d lines, %d messages)", lines, got)
				}
			case "json":
				var list []struct{ TS, From, To, Body string }
				if err := json.Unmarshal(f.data, &list); err != nil {
					t.Fatal(err)
				}
				got = len(list)
				for _, m := range list {
					if _, err := time.Parse(time.RFC3339, m.TS); err != nil || m.From == "" || m.To == "" || m.Body == "" {
						t.Errorf("bad message %+v", m)
					}
				}
			case "screenshot":
				got = strings.Count(f.text, "\n") - 2 // title and separator lines
			}
			if got != c.Messages {
				t.Errorf("%d messages in the file, truth says %d", got, c.Messages)
			}
			sum := 0
			for _, n := range c.PerParticipant {
				sum += n
			}
			if sum != c.Messages {
				t.Errorf("per_participant sums to %d, messages %d", sum, c.Messages)
			}
		})
	}
}

// TestTruth checks the truth is usable: every target and indicator has
// evidence, and no indicator-like string in any text is missing from it.
func TestTruth(t *testing.T) {
	b, err := build(Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	tr := b.truth
	if len(tr.Targets) < 5 {
		t.Fatalf("%d targets", len(tr.Targets))
	}
	for _, x := range tr.Targets {
		if len(x.Evidence) < 2 {
			t.Errorf("%s %s: evidence %v", x.ID, x.NameEN, x.Evidence)
		}
		if len(x.Country) != 2 || x.Date == "" || x.VolumeRaw == "" || (x.VolumeBytes == 0) == (x.Records == 0) {
			t.Errorf("%s: incomplete %+v", x.ID, x)
		}
	}
	known := map[string]bool{}
	for _, e := range tr.Entities {
		if len(e.Files) == 0 {
			t.Errorf("%s %s occurs in no file", e.Type, e.Value)
		}
		known[strings.ToLower(e.Value)] = true
		for _, f := range e.Forms {
			known[strings.ToLower(f)] = true
		}
	}
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`),
		regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b`),
		regexp.MustCompile(`(?:https?|hxxp)://[^\s）)<"]+`),
		regexp.MustCompile(`CVE-\d{4}-\d{4,}`),
		regexp.MustCompile(`\b[0-9a-f]{32,64}\b`),
		regexp.MustCompile(`2001:[0-9a-f:]+`),
	}
	for _, f := range b.files() {
		for _, re := range patterns {
			for _, v := range re.FindAllString(f.text, -1) {
				if !known[strings.ToLower(v)] {
					t.Errorf("%s: %q is not in the truth", f.Path, v)
				}
			}
		}
	}
	for _, v := range []string{"192.0.2.", "198.51.100.", "203.0.113."} {
		if !slices.ContainsFunc(tr.Entities, func(e Entity) bool { return strings.HasPrefix(e.Value, v) }) {
			t.Errorf("no indicator in %s0/24", v)
		}
	}
	if len(tr.Duplicates) < 3 || len(tr.Hostile) < 3 {
		t.Errorf("%d duplicate groups, %d hostile files", len(tr.Duplicates), len(tr.Hostile))
	}
	if tr.Chats.TotalMessages == 0 || len(tr.Chats.Conversations) != 3 {
		t.Errorf("chats %+v", tr.Chats)
	}
}

func TestBudget(t *testing.T) {
	dir, _ := write(t, Options{})
	var total int64
	for _, data := range tree(t, dir) {
		total += int64(len(data))
	}
	t.Logf("demo is %d bytes", total)
	if total > 2<<20 {
		t.Errorf("demo is %d bytes, budget 2 MiB", total)
	}
}

// TestManifest compares the manifest with its golden file. The screenshot
// is drawn with the built-in font so the golden does not depend on the
// fonts of the machine.
func TestManifest(t *testing.T) {
	_, m := write(t, Options{NoSystemFont: true})
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, filepath.Join("testdata", "golden", "TestManifest", "manifest.golden"), got)
}

// FuzzSeed builds the demo from arbitrary seeds: it never fails, and every
// indicator still occurs in some file.
func FuzzSeed(f *testing.F) {
	for _, s := range []string{"", "leakscope-demo", "x", "种子", "\xff\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed string) {
		b, err := build(Options{Seed: seed, NoSystemFont: true}, discard())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range b.truth.Entities {
			if len(e.Files) == 0 {
				t.Errorf("seed %q: %s %s occurs in no file", seed, e.Type, e.Value)
			}
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	b.ReportAllocs()
	var bytes int64
	for b.Loop() {
		dir := b.TempDir()
		m, err := Write(filepath.Join(dir, "d"), Options{Logger: discard()})
		if err != nil {
			b.Fatal(err)
		}
		bytes = 0
		for _, f := range m.Files {
			bytes += f.Size
		}
	}
	b.ReportMetric(float64(bytes), "bytes/op-written")
}

// BenchmarkBuild generates the demo in memory, without writing it.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := build(Options{}, discard()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlush only writes already generated bytes (files and .git): the
// baseline the cost of generating is compared with.
func BenchmarkFlush(b *testing.B) {
	bl, err := build(Options{}, discard())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := bl.flush(b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
