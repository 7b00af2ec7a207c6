package legacy

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
	"github.com/leakscope/leakscope/internal/tool"
)

func needCatdoc(t testing.TB) {
	t.Helper()
	for _, p := range []string{"catdoc", "xls2csv", "catppt"} {
		if err := tool.Available(p); err != nil {
			testenv.Missing(t, "%v (apt-get install catdoc)", err)
		}
	}
}

type fixture struct {
	name, mime string
	data       string
}

// Hand-written RTF: plain, a GBK code page with \'hh pairs, \uN escapes,
// and the UTF-8 code page catdoc has no table for.
var fixtures = []fixture{
	{"plain.rtf", sniff.RTF, `{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\info{\title Report}{\author Analyst}}\pard Server 192.0.2.7 is up.\par Second line\tab end.\par}`},
	{"gbk.rtf", sniff.RTF, `{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fcharset134 SimSun;}}\pard\f0 \'b7\'fe\'ce\'f1\'c6\'f7 192.0.2.7\par}`},
	{"unicode.rtf", sniff.RTF, `{\rtf1\ansi\uc1\pard \u21512?\u21516? contract\par}`},
	{"utf8-codepage.rtf", sniff.RTF, `{\rtf1\ansi\ansicpg65001\deff0{\fonttbl{\f0 Arial;}}\pard Outlook body text\par}`},
}

func input(t testing.TB, dir string, fx fixture) *extract.Input {
	p := filepath.Join(dir, fx.name)
	if err := os.WriteFile(p, []byte(fx.data), 0o600); err != nil {
		t.Fatal(err)
	}
	return &extract.Input{File: p, Name: fx.name, MIME: fx.mime, Size: int64(len(fx.data)),
		Limits: leak.DefaultLimits(), Log: slog.New(slog.DiscardHandler), TempDir: dir}
}

func golden(t *testing.T, got []byte) {
	t.Helper()
	lsgolden.Check(t, lsgolden.Path(t), got)
}

func TestExtract(t *testing.T) {
	needCatdoc(t)
	dir := t.TempDir()
	for _, fx := range fixtures {
		t.Run(strings.TrimSuffix(fx.name, ".rtf"), func(t *testing.T) {
			rec, err := extracttest.Run(t.Context(), Extractor{}, input(t, dir, fx))
			if err != nil {
				t.Fatal(err)
			}
			if bad := extracttest.Validate(rec); len(bad) > 0 {
				t.Errorf("contract: %v", bad)
			}
			golden(t, rec.Summary(0).JSON())
		})
	}
}

func TestConformance(t *testing.T) {
	needCatdoc(t)
	dir := t.TempDir()
	var ins []*extract.Input
	for _, fx := range fixtures {
		ins = append(ins, input(t, dir, fx))
	}
	extracttest.CheckInputs(t, Extractor{Limiter: tool.NewLimiter(2)}, ins...)
}

// TestOLEUnknown: a compound file no tool reads fails with
// ErrUnsupported and each tool's reason.
func TestOLEUnknown(t *testing.T) {
	needCatdoc(t)
	data := "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 1024)
	_, err := extracttest.Run(t.Context(), Extractor{}, input(t, t.TempDir(), fixture{"x.bin", sniff.OLE, data}))
	if !errors.Is(err, extract.ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
	for _, p := range []string{"catdoc", "xls2csv", "catppt"} {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not give %s's reason", err, p)
		}
	}
}

// TestRealFormats runs the legacy binary formats of the shared corpus:
// Word, Excel and PowerPoint files that are not encrypted yield text.
func TestRealFormats(t *testing.T) {
	needCatdoc(t)
	root := filepath.Join(corpusDir(t), "real-formats")
	n, ok := 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		mime, err := sniff.File(p, d.Name())
		if err != nil {
			return err
		}
		switch mime {
		case sniff.DOC, sniff.XLS, sniff.PPT:
		default:
			return nil
		}
		n++
		rec, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, p))
		if err == nil && strings.TrimSpace(strings.ReplaceAll(rec.Body(), "\f", "")) != "" {
			ok++
		} else if rec.HasFlag("encrypted") {
			n-- // encrypted files have no readable text; they are flagged
		} else {
			t.Logf("%s: %v", d.Name(), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no doc/xls/ppt files in real-formats")
	}
	t.Logf("%d of %d unencrypted doc/xls/ppt files yield text", ok, n)
	if ok*100 < n*80 {
		t.Errorf("%d of %d files yield text, want 80%%", ok, n)
	}
}

func BenchmarkExtract(b *testing.B) {
	needCatdoc(b)
	var sb strings.Builder
	sb.WriteString(`{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0 SimSun;}}`)
	for sb.Len() < 1<<20 {
		sb.WriteString(`\pard Server 192.0.2.7 \'b7\'fe\'ce\'f1\'c6\'f7 is up and running.\par`)
	}
	sb.WriteString("}")
	fx := fixture{"bench.rtf", sniff.RTF, sb.String()}
	in := input(b, b.TempDir(), fx)
	b.Run("rtf", func(b *testing.B) {
		b.SetBytes(int64(len(fx.data)))
		for b.Loop() {
			if _, err := extracttest.Run(b.Context(), Extractor{}, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Baseline: the tool alone, without our handling of its output.
	b.Run("baseline/catdoc", func(b *testing.B) {
		b.SetBytes(int64(len(fx.data)))
		for b.Loop() {
			if _, err := tool.Run(b.Context(), tool.Cmd{Name: "catdoc", Args: catdoc.args(in.File)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
