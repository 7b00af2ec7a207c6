package target_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"github.com/leakscope/leakscope/internal/charset"
	"github.com/leakscope/leakscope/internal/demo"
	"github.com/leakscope/leakscope/internal/lang"
	. "github.com/leakscope/leakscope/internal/target"
	"github.com/leakscope/leakscope/internal/target/score"
	"github.com/leakscope/leakscope/internal/translate/gloss"
)

// demoDocs writes the demo leak into a temporary folder and reads the text
// of every file and archive member this test can read without the ingest
// pipeline (which belongs to another package): plain text in any of the
// demo's encodings, HTML, OOXML, the demo's one-page text PDF, e-mail parts,
// tar.gz and zip members, and the blobs of the loose git objects. The chat
// screenshot needs OCR and is left out; every target is named elsewhere.
func demoDocs(t *testing.T) ([]Doc, demo.Manifest) {
	t.Helper()
	dir := t.TempDir()
	man, err := demo.Write(dir, demo.Options{Seed: "target-test", NoSystemFont: true})
	if err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(rel, ".git/objects/") {
			if text, ok := gitBlob(b); ok {
				docs = append(docs, Doc{Path: "repo/.git!/" + filepath.Base(filepath.Dir(p)) + filepath.Base(p), Text: text})
			}
			return nil
		}
		if strings.Contains(rel, ".git/") {
			return nil
		}
		docs = append(docs, readMember(t, rel, b)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, man
}

// readMember returns the documents of one file or archive member.
func readMember(t *testing.T, path string, b []byte) []Doc {
	t.Helper()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".md", ".csv", ".json", ".sh":
		text, _, err := charset.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return []Doc{{Path: path, Text: text}}
	case ".html":
		text, _, err := charset.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return []Doc{{Path: path, Text: htmlText(text)}}
	case ".xlsx":
		pages, err := readXLSXBytes(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// As the store keeps a workbook: the whole text, sheets
		// separated by form feeds, and each sheet as a page of it.
		var texts []string
		for _, pg := range pages {
			texts = append(texts, pg.Text)
		}
		return []Doc{{Path: path, Text: strings.Join(texts, "\f"), Pages: pages}}
	case ".docx", ".pptx":
		text, err := readOOXMLBytes(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return []Doc{{Path: path, Text: text}}
	case ".pdf":
		return []Doc{{Path: path, Text: pdfText(b)}}
	case ".eml":
		return readMail(t, path, b)
	case ".zip":
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var docs []Doc
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			docs = append(docs, readMember(t, path+"!/"+f.Name, data)...)
		}
		return docs
	case ".gz":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		tr := tar.NewReader(zr)
		var docs []Doc
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			docs = append(docs, readMember(t, path+"!/"+h.Name, data)...)
		}
		return docs
	}
	if strings.HasSuffix(path, ".mbox") {
		var docs []Doc
		for i, m := range strings.Split("\n"+string(b), "\nFrom ")[1:] {
			if _, rest, ok := strings.Cut(m, "\n"); ok {
				docs = append(docs, readMail(t, path+"!/"+strconv.Itoa(i+1), []byte(rest))...)
			}
		}
		return docs
	}
	return nil
}

// readMail returns the text parts of a message: the body, then each
// attachment as its own document.
func readMail(t *testing.T, path string, b []byte) []Doc {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dec := new(mime.WordDecoder)
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		name, _ := charset.Lookup(label)
		return charset.NewReaderAs(r, name)
	}
	var head strings.Builder
	for _, k := range []string{"From", "To", "Subject", "Date"} {
		v, err := dec.DecodeHeader(msg.Header.Get(k))
		if err != nil {
			v = msg.Header.Get(k)
		}
		head.WriteString(k + ": " + v + "\n")
	}
	part := func(h map[string][]string, r io.Reader) string {
		hd := mail.Header(h)
		if strings.EqualFold(hd.Get("Content-Transfer-Encoding"), "base64") {
			raw, _ := io.ReadAll(r)
			r = bytes.NewReader(decodeBase64(raw))
		}
		data, _ := io.ReadAll(r)
		_, params, _ := mime.ParseMediaType(hd.Get("Content-Type"))
		name, ok := charset.Lookup(params["charset"])
		if !ok {
			name = charset.Detect(data)
		}
		text, err := charset.DecodeAs(data, name)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return text
	}
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		return []Doc{{Path: path, Text: head.String() + "\n" + part(msg.Header, msg.Body)}}
	}
	docs := []Doc{{Path: path}}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	body := head.String() + "\n"
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		text := part(p.Header, p)
		if fn := p.FileName(); fn != "" {
			if d, err := dec.DecodeHeader(fn); err == nil {
				fn = d
			}
			docs = append(docs, Doc{Path: path + "!/" + fn, Text: text})
			continue
		}
		body += text
	}
	docs[0].Text = body
	return docs
}

func decodeBase64(raw []byte) []byte {
	var clean []byte
	for _, c := range raw {
		if c != '\r' && c != '\n' && c != ' ' {
			clean = append(clean, c)
		}
	}
	out := make([]byte, len(clean))
	n, _ := base64.StdEncoding.Decode(out, clean)
	return out[:n]
}

var htmlTagRE = regexp.MustCompile(`<[^>]*>`)

// htmlText turns a page into lines: one per block or table row, cells
// separated by tabs, as an HTML extractor does.
func htmlText(s string) string {
	s = regexp.MustCompile(`(?is)<(script|style|title)[^>]*>.*?</(script|style|title)>`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`(?i)</t[dh]>\s*`).ReplaceAllString(s, "\t")
	s = regexp.MustCompile(`(?i)</(tr|p|h\d|div|li)>`).ReplaceAllString(s, "\n")
	s = htmlTagRE.ReplaceAllString(s, "")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(strings.TrimSpace(l), "\t"); l != "" {
			lines = append(lines, l)
		}
	}
	return unescape(strings.Join(lines, "\n")) + "\n"
}

var pdfStrRE = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`)

// pdfText reads the text operators of the demo's uncompressed one-page
// PDF (Helvetica, WinAnsiEncoding), one line per operator.
func pdfText(b []byte) string {
	var out strings.Builder
	for _, m := range pdfStrRE.FindAllSubmatch(b, -1) {
		s := regexp.MustCompile(`\\(.)`).ReplaceAll(m[1], []byte("$1"))
		u, err := charmap.Windows1252.NewDecoder().Bytes(s)
		if err != nil {
			u = s
		}
		out.Write(u)
		out.WriteString("\n")
	}
	return out.String()
}

// gitBlob inflates a loose git object and returns its content when it is a
// blob.
func gitBlob(b []byte) (string, bool) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return "", false
	}
	head, body, ok := bytes.Cut(data, []byte{0})
	if !ok || !bytes.HasPrefix(head, []byte("blob ")) {
		return "", false
	}
	text, _, err := charset.Decode(body)
	return text, err == nil
}

// readOOXMLBytes and readXLSXBytes read an in-memory package through the
// path-based readers of corpus_test.go.
func readOOXMLBytes(b []byte) (string, error) {
	p, err := tempFile(b)
	if err != nil {
		return "", err
	}
	defer os.Remove(p)
	return readOOXML(p)
}

func readXLSXBytes(b []byte) ([]Page, error) {
	p, err := tempFile(b)
	if err != nil {
		return nil, err
	}
	defer os.Remove(p)
	return readXLSX(p)
}

func tempFile(b []byte) (string, error) {
	f, err := os.CreateTemp("", "leakscope-target-*")
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = f.Write(b)
	return f.Name(), err
}

// demoTruth converts the demo's truth to the scorer's.
func demoTruth(t *testing.T, man demo.Manifest) *score.Truth {
	t.Helper()
	b, err := json.Marshal(struct {
		Targets []demo.Target `json:"targets"`
	}{man.Truth.Targets})
	if err != nil {
		t.Fatal(err)
	}
	var tr score.Truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return &tr
}

// TestDemo builds the register of the bundled demo leak end to end and
// checks it against the demo's own truth: every target found exactly once
// with its country, volume (binary or decimal reading) or record count,
// and date; no other target above the default confidence; no table header
// cell as a target. The second case drops the target lists (workbooks and
// CSV), whose English-name column ties the Chinese and English names
// together: prose alone must still join them.
func TestDemo(t *testing.T) {
	all, man := demoDocs(t)
	if len(all) < 20 {
		t.Fatalf("read %d demo documents, want at least 20", len(all))
	}
	truth := demoTruth(t, man)
	if len(truth.Targets) == 0 {
		t.Fatal("demo truth lists no targets")
	}
	tests := []struct {
		name string
		docs []Doc
	}{
		{"all documents", all},
		{"without target lists", slices.DeleteFunc(slices.Clone(all), func(d Doc) bool {
			return len(d.Pages) > 0 || strings.HasSuffix(d.Path, ".csv")
		})},
	}
	g, err := gloss.New(gloss.Options{NoCedict: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(slices.Values(tt.docs), Options{Fold: lang.Fold, Translate: g.Gloss})
			rep := score.Score(got, truth)
			t.Log(rep)
			for _, tg := range got {
				t.Logf("  %.2f %-40s %s %q vol=%d rec=%d %s..%s %q", tg.Confidence, tg.Name, tg.Country, tg.Sector, tg.VolumeBytes, tg.Records, tg.FirstSeen, tg.LastSeen, tg.Aliases)
			}
			for _, r := range rep.Rows {
				if r.Found == "" {
					t.Errorf("%s %s: not found", r.ID, r.Name)
					continue
				}
				if !r.CountryOK || !r.VolumeOK || !r.DateOK {
					t.Errorf("%s %s: found as %q, country ok %v, volume ok %v, date ok %v", r.ID, r.Name, r.Found, r.CountryOK, r.VolumeOK, r.DateOK)
				}
			}
			for _, fp := range rep.FalsePositiveNames {
				t.Errorf("not a demo target: %q", fp)
			}
			for _, d := range rep.Duplicates {
				t.Errorf("found twice: %s", d)
			}
		})
	}
}

// TestGlossNames names targets known only by their Chinese names through
// the built-in glossary (without CC-CEDICT, so on any machine): the words
// organisations are built from must read as an English name.
func TestGlossNames(t *testing.T) {
	g, err := gloss.New(gloss.Options{NoCedict: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, zh, want string }{
		{"telecom brand word", "秘鲁安第斯移动", "Andes Mobile (Peru)"},
		{"affairs ministry turned round", "越南海岸事务部", "Ministry of Coastal Affairs (Vietnam)"},
		{"water authority", "肯尼亚高原水务局", "Highland Water Authority (Kenya)"},
		{"power company", "埃及尼罗河谷电力公司", "Nile Valley Electric Power Company (Egypt)"},
		{"direction word", "蒙古北方草原大学", "Northern Steppe University (Mongolia)"},
		{"other country, other words", "智利南方电力公司", "Southern Electric Power Company (Chile)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := []Doc{{Path: "c.md", Text: "2021-05-02 10:00:00 王强: " + tt.zh + "的数据已经拿下，共 3.2G\n"}}
			got := Build(slices.Values(docs), Options{Fold: lang.Fold, Translate: g.Gloss})
			if len(got) != 1 {
				t.Fatalf("got %d targets, want 1: %+v", len(got), got)
			}
			if diff := cmp.Diff(tt.want, got[0].Name); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
