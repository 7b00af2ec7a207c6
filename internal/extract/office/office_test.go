package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/extract/text"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

type fixture struct {
	name string
	e    extract.Extractor
	mime string
	data []byte
}

func fixtures(t testing.TB) []fixture {
	return []fixture{
		{"docx", DOCX{}, sniff.DOCX, docx(t)},
		{"xlsx", XLSX{}, sniff.XLSX, xlsx(t)},
		{"pptx", PPTX{}, sniff.PPTX, pptx(t)},
		{"odt", ODF{}, sniff.ODT, odt(t)},
		{"ods", ODF{}, sniff.ODS, ods(t)},
		{"odp", ODF{}, sniff.ODP, odp(t)},
		{"epub", EPUB{}, sniff.EPUB, epub(t)},
	}
}

func input(t testing.TB, dir, name, mime string, data []byte, lim leak.Limits) *extract.Input {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &extract.Input{File: p, Name: name, MIME: mime, Size: int64(len(data)), Limits: lim,
		Log: slog.New(slog.DiscardHandler), TempDir: dir}
}

func golden(t *testing.T, got []byte) {
	t.Helper()
	lsgolden.Check(t, lsgolden.Path(t), got)
}

// summary is the golden form: the recording plus page labels.
func summary(r *extracttest.Recorder) []byte {
	s := r.Summary(64)
	var labels []string
	for _, p := range r.Pages {
		labels = append(labels, fmt.Sprintf("%d:%s", p.Number, p.Label))
	}
	if len(labels) > 0 {
		s.Extra = map[string]string{"pages": strings.Join(labels, " | ")}
	}
	return s.JSON()
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			// The generated files sniff as the type they claim to be.
			in := input(t, dir, fx.name, fx.mime, fx.data, leak.DefaultLimits())
			if got, err := sniff.File(in.File, fx.name); err != nil || got != fx.mime {
				t.Errorf("sniff = %q, %v; want %q", got, err, fx.mime)
			}
			rec, err := extracttest.Run(t.Context(), fx.e, in)
			if err != nil {
				t.Fatal(err)
			}
			if bad := extracttest.Validate(rec); len(bad) > 0 {
				t.Errorf("contract: %v", bad)
			}
			golden(t, summary(rec))
		})
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	by := map[string][]*extract.Input{}
	es := map[string]extract.Extractor{}
	for _, fx := range fixtures(t) {
		by[fx.e.Name()] = append(by[fx.e.Name()], input(t, dir, fx.name, fx.mime, fx.data, leak.DefaultLimits()))
		es[fx.e.Name()] = fx.e
	}
	for name, ins := range by {
		t.Run(name, func(t *testing.T) { extracttest.CheckInputs(t, es[name], ins...) })
	}
}

func TestHostile(t *testing.T) {
	random := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	// A document part of 64 MiB that compresses to about 64 KiB.
	bomb := makeZip(t,
		member{"[Content_Types].xml", `<Types/>`},
		member{"word/document.xml", `<w:document><w:body><w:p><w:r><w:t>` + strings.Repeat("0", 64<<20) + `</w:t></w:r></w:p></w:body></w:document>`},
	)
	lim := leak.DefaultLimits()
	lim.MinRatioBytes = 1 << 20
	tests := []struct {
		name      string
		data      []byte
		lim       leak.Limits
		wantLimit string // LimitError.What, "" for none
		wantErr   error
	}{
		{name: "random bytes", data: random, lim: leak.DefaultLimits(), wantErr: ErrNotZip},
		{name: "empty", data: nil, lim: leak.DefaultLimits(), wantErr: ErrNotZip},
		{name: "zip bomb ratio", data: bomb, lim: lim, wantLimit: "ratio"},
		{name: "too many entries", data: docx(t), lim: func() leak.Limits { l := leak.DefaultLimits(); l.MaxEntries = 3; return l }(), wantLimit: "entries"},
		{name: "zip without document", data: makeZip(t, member{"a.txt", "x"}), lim: leak.DefaultLimits(), wantErr: extract.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, t.TempDir(), "h.docx", sniff.DOCX, tt.data, tt.lim)
			_, err := extracttest.Run(t.Context(), DOCX{}, in)
			var le *extract.LimitError
			switch {
			case tt.wantLimit != "":
				if !errors.As(err, &le) || le.What != tt.wantLimit {
					t.Errorf("err = %v, want limit %q", err, tt.wantLimit)
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestMaxText cuts a workbook at the text limit and flags it.
func TestMaxText(t *testing.T) {
	lim := leak.DefaultLimits()
	lim.MaxText = 20
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			rec, err := extracttest.Run(t.Context(), fx.e, input(t, t.TempDir(), fx.name, fx.mime, fx.data, lim))
			if err != nil {
				t.Fatal(err)
			}
			text := 0
			for _, p := range rec.Pages {
				text += len(p.Text)
			}
			if len(rec.Pages) == 0 {
				text = len(rec.Body())
			}
			if text > 20 || !rec.HasFlag("truncated") {
				t.Errorf("%d bytes of text, flags %v; want at most 20 and truncated", text, rec.Flags)
			}
		})
	}
}

// TestLeakSample extracts the office files of the shared corpus: each
// yields Chinese or English text and its sheets or slides.
func TestLeakSample(t *testing.T) {
	root := corpusDir(t)
	es := map[string]extract.Extractor{sniff.DOCX: DOCX{}, sniff.XLSX: XLSX{}, sniff.PPTX: PPTX{}}
	n := 0
	for _, f := range readTruth(t, filepath.Join(root, "leak-sample.truth.json")) {
		e := es[f.MIME]
		if e == nil || strings.Contains(f.Path, "!/") {
			continue
		}
		n++
		p := filepath.Join(root, "leak-sample", filepath.FromSlash(f.Path))
		rec, err := extracttest.Run(t.Context(), e, extracttest.NewInput(t, p))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if len(strings.TrimSpace(rec.Body())) < 20 {
			t.Errorf("%s: only %d bytes of text", f.Path, len(rec.Body()))
		}
		if f.MIME != sniff.DOCX && len(rec.Pages) == 0 {
			t.Errorf("%s: no pages", f.Path)
		}
	}
	if n == 0 {
		t.Fatal("no office files in the leak sample")
	}
}

func fuzzExtract(f *testing.F, e extract.Extractor, mime string, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := leak.DefaultLimits()
		lim.MaxText = 4096
		lim.MaxFileSize = 1 << 20
		lim.MaxExpanded = 4 << 20
		rec, err := extracttest.Run(context.Background(), e, input(t, t.TempDir(), "f", mime, data, lim))
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Fatal(err)
		}
		if bad := extracttest.Validate(rec); len(bad) > 0 {
			t.Fatal(bad)
		}
		total := 0
		for _, p := range rec.Pages {
			total += len(p.Text)
		}
		if len(rec.Pages) == 0 {
			total = len(rec.Body())
		}
		if total > 4096 {
			t.Fatalf("%d bytes of text > limit", total)
		}
	})
}

func FuzzDOCX(f *testing.F) { fuzzExtract(f, DOCX{}, sniff.DOCX, docx(f)) }
func FuzzXLSX(f *testing.F) { fuzzExtract(f, XLSX{}, sniff.XLSX, xlsx(f)) }
func FuzzPPTX(f *testing.F) { fuzzExtract(f, PPTX{}, sniff.PPTX, pptx(f)) }
func FuzzODF(f *testing.F)  { fuzzExtract(f, ODF{}, sniff.ODS, odt(f), ods(f), odp(f)) }
func FuzzEPUB(f *testing.F) { fuzzExtract(f, EPUB{}, sniff.EPUB, epub(f)) }

// FuzzOOXMLPart fuzzes the XML walkers directly (a fuzzer mutating a zip
// rarely gets past its checksums).
func FuzzOOXMLPart(f *testing.F) {
	f.Add([]byte(`<w:p><w:r><w:t>a</w:t><w:tab/></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>`))
	f.Add([]byte(`<row><c r="B2" t="s"><v>0</v></c><c r="ZZZZ9" s="1"><v>1e308</v></c></row>`))
	f.Add([]byte(`<table:table-row><table:table-cell table:number-columns-repeated="99999"><text:p>x</text:p></table:table-cell></table:table-row>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl := &flow{max: 4096}
		_, _ = ooxmlText(context.Background(), bytes.NewReader(data), fl)
		if fl.b.Len() > 4096+len(data) {
			t.Fatalf("flow grew to %d", fl.b.Len())
		}
		c := &extracttest.Recorder{}
		_ = odfText(context.Background(), bytes.NewReader(data), text.Cap(c, 4096), true, 4096)
		if bad := extracttest.Validate(c); len(bad) > 0 {
			t.Fatal(bad)
		}
		for _, typ := range []string{"", "s", "b", "str"} {
			wb := &workbook{strings: []string{"s"}, styles: []cellStyle{styleGeneral, styleDate, stylePercent}}
			for _, st := range []string{"0", "1", "2", "9"} {
				if s := wb.cellText(typ, st, string(data)); !utf8.ValidString(s) && utf8.Valid(data) {
					t.Fatalf("cellText(%q, %q) invalid UTF-8", typ, st)
				}
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	big := bigFixtures(b)
	dir := b.TempDir()
	for _, fx := range big {
		in := input(b, dir, fx.name, fx.mime, fx.data, leak.DefaultLimits())
		b.Run(fx.name, func(b *testing.B) {
			b.SetBytes(int64(len(fx.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extracttest.Run(b.Context(), fx.e, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Baseline: inflating every member of the docx without parsing.
	in := input(b, dir, "baseline.docx", sniff.DOCX, big[0].data, leak.DefaultLimits())
	b.Run("baseline/unzip", func(b *testing.B) {
		b.SetBytes(int64(len(big[0].data)))
		for b.Loop() {
			p, err := openPkg(in)
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range p.zr.File {
				if _, err := p.readAll(m.Name); err != nil {
					b.Fatal(err)
				}
			}
			p.Close()
		}
	})
}

func bigFixtures(b *testing.B) []fixture {
	var doc, sheet, ss strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&doc, `<w:p><w:r><w:t>第%d段：服务器 192.0.2.%d 的账号已交付给客户。</w:t></w:r></w:p>`, i, i%255)
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d.5</v></c><c r="C%d" s="1"><v>4419%d</v></c></row>`, i+1, i+1, i, i+1, i, i+1, i%10)
		fmt.Fprintf(&ss, `<si><t>目标机构%d</t></si>`, i)
	}
	return []fixture{
		{"docx", DOCX{}, sniff.DOCX, makeZip(b, member{"[Content_Types].xml", "<Types/>"}, member{"word/document.xml", `<w:document><w:body>` + doc.String() + `</w:body></w:document>`})},
		{"xlsx", XLSX{}, sniff.XLSX, makeZip(b, member{"[Content_Types].xml", "<Types/>"},
			member{"xl/workbook.xml", `<workbook><sheets><sheet name="s" sheetId="1"/></sheets></workbook>`},
			member{"xl/sharedStrings.xml", `<sst>` + ss.String() + `</sst>`},
			member{"xl/styles.xml", `<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`},
			member{"xl/worksheets/sheet1.xml", `<worksheet><sheetData>` + sheet.String() + `</sheetData></worksheet>`})},
	}
}
