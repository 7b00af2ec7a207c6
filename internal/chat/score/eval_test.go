package score

import (
	"archive/zip"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/testenv"
	"github.com/leakscope/leakscope/internal/tool"
)

// corpusDir finds ../shared/corpus next to the repository root, or skips.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.MissingCorpus(t, "repository root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(c, "leak-sample.truth.json")); err != nil {
		testenv.MissingCorpus(t, "shared corpus absent")
	}
	return c
}

// xlsxTable renders the first sheet of an xlsx as tab-separated lines, the
// way the ooxml extractor presents spreadsheets, enough for a directory.
func xlsxTable(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	read := func(name string) []byte {
		for _, f := range zr.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				b, _ := io.ReadAll(rc)
				return b
			}
		}
		return nil
	}
	var sst struct {
		SI []struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"si"`
	}
	_ = xml.Unmarshal(read("xl/sharedStrings.xml"), &sst)
	var strs []string
	for _, si := range sst.SI {
		s := si.T
		for _, r := range si.R {
			s += r.T
		}
		strs = append(strs, s)
	}
	var sheet struct {
		Rows []struct {
			C []struct {
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS struct {
					T string `xml:"t"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(read("xl/worksheets/sheet1.xml"), &sheet); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, row := range sheet.Rows {
		var cells []string
		for _, c := range row.C {
			v := c.V
			switch c.T {
			case "s":
				if i, err := strconv.Atoi(v); err == nil && i < len(strs) {
					v = strs[i]
				}
			case "inlineStr":
				v = c.IS.T
			}
			cells = append(cells, v)
		}
		b.WriteString(strings.Join(cells, "\t") + "\n")
	}
	return b.String()
}

// ocrScreenshot runs tesseract the way the OCR stage does: grayscale copy,
// --psm 6, chi_sim+eng.
func ocrScreenshot(t *testing.T, path string) ([]byte, int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	tmp := filepath.Join(t.TempDir(), "gray.png")
	out, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(out, g); err != nil {
		t.Fatal(err)
	}
	out.Close()
	res, err := tool.Run(t.Context(), tool.Cmd{
		Name: "tesseract", Args: []string{tmp, "-", "--psm", "6", "-l", "chi_sim+eng", "tsv"},
		Env: []string{"OMP_THREAD_LIMIT=1"}, Timeout: 2 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Stdout, g.Bounds().Dx(), g.Bounds().Dy()
}

// regions turns off the pixel layout and region re-reads, to measure the
// whole-page-TSV-only baseline: go test -run Eval -regions=false.
var regions = flag.Bool("regions", true, "give the screenshot parser the image and a region reader")

func decodeImage(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestEvalLeakSample(t *testing.T) {
	corpus := corpusDir(t)
	root := filepath.Join(corpus, "leak-sample")
	raw, err := os.ReadFile(filepath.Join(corpus, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := ParseTruth(raw)
	if err != nil {
		t.Fatal(err)
	}
	var convs []chat.Conversation
	files, _ := filepath.Glob(filepath.Join(root, "chats", "*"))
	if len(files) == 0 {
		t.Fatal("no chat files in corpus")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		cs, ok := chat.Parse(filepath.ToSlash(rel), data, chat.Options{})
		if !ok {
			t.Errorf("%s: not recognised as a chat", rel)
		}
		convs = append(convs, cs...)
	}
	shots := !testing.Short() && tool.Available("tesseract") == nil
	eng := ocr.New(ocr.Options{})
	if shots {
		imgs, _ := filepath.Glob(filepath.Join(root, "screenshots", "*"))
		for _, f := range imgs {
			rel, _ := filepath.Rel(root, f)
			tsv, w, h := ocrScreenshot(t, f)
			ref, _ := chat.TimeFromFileName(rel, nil)
			shot := chat.Screenshot{Source: filepath.ToSlash(rel), TSV: tsv, Width: w, Height: h, Ref: ref}
			if *regions {
				// The wiring of internal/enrich: the decoded image and a
				// region reader over it.
				img := decodeImage(t, f)
				shot.Image = img
				shot.Recognise = func(r image.Rectangle, mode chat.RegionMode) (string, float64) {
					text, conf, err := eng.RegionImage(t.Context(), img, r, ocr.RegionOptions{PSM: mode.PSM()})
					if err != nil {
						t.Logf("%s: region: %v", rel, err)
					}
					return text, conf
				}
			}
			c, ok, err := chat.ParseScreenshot(shot, chat.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				convs = append(convs, c)
			}
		}
	} else {
		t.Log("screenshots skipped (-short or tesseract missing)")
	}
	dir, ok := people.DirectoryFromTable(xlsxTable(t, filepath.Join(root, "业务", "员工通讯录.xlsx")))
	if !ok {
		t.Fatal("staff directory not read")
	}
	ppl := people.Resolve(convs, dir)
	var got []Conv
	for i, c := range ppl.Conversations {
		got = append(got, Conv{Source: c.Source, Messages: countMessages(c), PerParticipant: ppl.PerParticipant(i),
			First: c.First(), Last: c.Last()})
	}
	var persons []Person
	for _, p := range ppl.Persons {
		persons = append(persons, Person{Name: p.Name, Aliases: p.Aliases})
	}
	rep := Score(truth, got, persons)
	t.Logf("chat eval:\n%s", rep)
	if testing.Verbose() {
		for i, c := range ppl.Conversations {
			if c.Shape != chat.ShapeScreenshot {
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s title=%q group=%v owner=%q mark=%q avatar=%q\n", c.Source, c.Title, c.Group, c.Owner, c.OwnerMark, c.OwnerAvatar)
			for j, m := range c.Messages {
				who := ""
				if p := ppl.SenderOf(i, j); p != nil {
					who = p.Name
				}
				fmt.Fprintf(&b, "  %-8s out=%-5v raw=%q avatar=%q\n", who, m.Outgoing, m.Sender, m.Avatar)
			}
			t.Log(b.String())
		}
	}
	for _, s := range rep.Shapes {
		switch s.Shape {
		case "screenshot":
			if !shots {
				continue
			}
			// The target: within 5 % per participant.
			if s.GotMessages == 0 || s.PerErr > 0.05 {
				t.Errorf("screenshot: per-participant error %.3f (abs %d of %d), messages %d; want at most 0.05",
					s.PerErr, s.PerAbsErr, s.WantMessages, s.GotMessages)
			}
		default:
			if s.PerAbsErr != 0 || s.RangesOK != s.Conversations || s.GotMessages != s.WantMessages {
				t.Errorf("%s: per-participant abs error %d, ranges %d/%d, messages %d/%d; want exact",
					s.Shape, s.PerAbsErr, s.RangesOK, s.Conversations, s.GotMessages, s.WantMessages)
			}
		}
	}
}

func countMessages(c chat.Conversation) int {
	n := 0
	for _, m := range c.Messages {
		if !m.System {
			n++
		}
	}
	return n
}
