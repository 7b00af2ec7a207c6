package legacy

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/ole/oletest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// rec writes one PowerPoint record: a container when ver is 0xF.
func rec(ver, inst, typ uint16, body ...[]byte) []byte {
	b := bytes.Join(body, nil)
	h := make([]byte, 8)
	binary.LittleEndian.PutUint16(h, ver|inst<<4)
	binary.LittleEndian.PutUint16(h[2:], typ)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(b)))
	return append(h, b...)
}

func u32s(v ...uint32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return b
}

func chars(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return rec(0, 0, rtTextCharsAtom, b)
}

func bytesAtom(s string) []byte { return rec(0, 0, rtTextBytesAtom, []byte(s)) } // Latin-1 only

func cstring(s string) []byte {
	r := chars(s)
	binary.LittleEndian.PutUint16(r[2:], 0x0FBA)
	return r
}

func textHeader() []byte { return rec(0, 0, 0x0F9F, u32s(0)) }

// pptOptions shape a generated presentation.
type pptOptions struct {
	slides    []string // placeholder text of each slide, in the slide list
	boxes     []string // text box of each slide, in the slide's drawing
	notes     []string // notes of each slide ("" for none)
	stale     string   // text of an earlier version of slide 1, replaced by an incremental save
	master    string   // a non-placeholder shape on the master
	embedded  []byte   // an embedded OLE object, stored compressed
	cutZlib   bool     // the embedded object's zlib stream ends without its checksum, as PowerPoint writes some
	editLoop  bool     // the last edit's offsetLastEdit points at itself
	noPersist bool     // no Current User stream: the reader must walk the records
}

// buildPPT writes a PowerPoint 97-2003 file: a compound file with the
// "PowerPoint Document" stream (document, masters, slides, notes, an
// optional embedded object, persist directories and user edits) and the
// "Current User" stream that points at the last edit.
func buildPPT(o pptOptions) []byte {
	var doc []byte
	persist := map[uint32]uint32{}
	put := func(id uint32, r []byte) {
		persist[id] = uint32(len(doc))
		doc = append(doc, r...)
	}
	// Persist ids: 1 the document, 2 the master, 10+i slide i, 20+i notes i.
	var slideList, notesList [][]byte
	for i, s := range o.slides {
		slideList = append(slideList, rec(0, 0, rtSlidePersistAtom, u32s(10+uint32(i), 0, 1, 256+uint32(i), 0)), textHeader(), chars(s))
		if i < len(o.notes) && o.notes[i] != "" {
			notesList = append(notesList, rec(0, 0, rtSlidePersistAtom, u32s(20+uint32(i), 0, 0, 512+uint32(i), 0)))
		}
	}
	lists := [][]byte{rec(0xF, slideListSlides, rtSlideListWithText, slideList...)}
	if len(notesList) > 0 {
		lists = append(lists, rec(0xF, slideListNotes, rtSlideListWithText, notesList...))
	}
	document := rec(0xF, 0, rtDocument, lists...)
	master := rec(0xF, 0, rtMainMaster,
		cstring("Office Theme"),
		rec(0xF, 0, 0xF002, // drawing
			rec(0xF, 0, rtSpContainer, rec(0, 0, rtPlaceholderAtom, u32s(0, 0)), rec(0xF, 0, 0xF00D, textHeader(), chars("Click to edit Master title style"))),
			rec(0xF, 0, rtSpContainer, rec(0xF, 0, 0xF00D, textHeader(), bytesAtom(o.master))),
		))
	slide := func(i int, box string) []byte {
		return rec(0xF, 0, rtSlide, rec(0, 0, rtSlideAtom, u32s(0, 0, 0, 0, 512+uint32(i), 0)),
			rec(0xF, 0, 0xF002, rec(0xF, 0, rtSpContainer, rec(0xF, 0, 0xF00D, textHeader(), bytesAtom(box)))))
	}
	edit := func(prevEdit, dirOff uint32) uint32 {
		off := uint32(len(doc))
		doc = append(doc, rec(0, 0, rtUserEditAtom, u32s(0), []byte{0, 3, 0, 3}, u32s(prevEdit, dirOff, 1, 100), []byte{1, 0, 0, 0})...)
		return off
	}
	dirOf := func(ids ...uint32) uint32 {
		var b []byte
		for _, id := range ids {
			b = append(b, u32s(id|1<<20, persist[id])...)
		}
		off := uint32(len(doc))
		doc = append(doc, rec(0, 0, rtPersistDirectory, b)...)
		return off
	}

	var firstEdit uint32
	ids := []uint32{1, 2}
	put(1, document)
	put(2, master)
	if o.stale != "" {
		put(10, slide(0, o.stale))
		firstEdit = edit(0, dirOf(1, 2, 10))
		ids = nil // the second edit re-lists only what it rewrote
	}
	for i := range o.slides {
		box := ""
		if i < len(o.boxes) {
			box = o.boxes[i]
		}
		put(10+uint32(i), slide(i, box))
		ids = append(ids, 10+uint32(i))
		if i < len(o.notes) && o.notes[i] != "" {
			put(20+uint32(i), rec(0xF, 0, rtNotes, rec(0, 0, rtNotesAtom, u32s(256+uint32(i), 0)),
				rec(0xF, 0, 0xF002, rec(0xF, 0, rtSpContainer, rec(0xF, 0, 0xF00D, textHeader(), chars(o.notes[i]))))))
			ids = append(ids, 20+uint32(i))
		}
	}
	if o.embedded != nil {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(o.embedded)
		zw.Close()
		zb := z.Bytes()
		if o.cutZlib {
			zb = zb[:len(zb)-4]
		}
		doc = append(doc, rec(0, 1, rtExOleObjStg, u32s(uint32(len(o.embedded))), zb)...)
	}
	last := edit(firstEdit, dirOf(ids...))
	if o.editLoop {
		binary.LittleEndian.PutUint32(doc[last+8+8:], last)
	}
	streams := []oletest.Stream{{Path: "PowerPoint Document", Data: doc}}
	if !o.noPersist {
		cu := rec(0, 0, rtCurrentUserAtom, u32s(20, 0xE391C05F, last, 0), []byte{8, 0, 0xF4, 3, 3, 0, 0, 0}, []byte("Analyst\x00"))
		streams = append(streams, oletest.Stream{Path: "Current User", Data: cu})
	}
	return oletest.Build(streams, oletest.Options{})
}

var pptFixtures = []struct {
	name string
	o    pptOptions
}{
	{name: "slides-notes-master", o: pptOptions{
		slides: []string{"Acme Telecom quarterly review", "Nordhavn Shipping routes"},
		boxes:  []string{"Revenue up 4%\rcosts flat", "Aarhus\vGdansk"},
		notes:  []string{"Speaker: mention the 192.0.2.7 outage", ""},
		master: "Acme Telecom - internal",
	}},
	{name: "incremental-save", o: pptOptions{
		slides: []string{"Final title"},
		boxes:  []string{"Final body"},
		stale:  "Deleted draft body",
	}},
	{name: "embedded-object", o: pptOptions{
		slides:   []string{"See the attached workbook"},
		embedded: oletest.Build([]oletest.Stream{{Path: "Workbook", Data: []byte("not really a workbook")}}, oletest.Options{}),
	}},
	{name: "embedded-cut-zlib", o: pptOptions{
		slides:   []string{"Object without checksum"},
		embedded: oletest.Build([]oletest.Stream{{Path: "\x01Ole10Native", Data: []byte("short")}}, oletest.Options{}),
		cutZlib:  true,
	}},
	{name: "edit-loop", o: pptOptions{slides: []string{"Loop survives"}, editLoop: true}},
	{name: "no-current-user", o: pptOptions{slides: []string{"Walked, not followed"}, boxes: []string{"box text"}, master: "footer", noPersist: true}},
}

func writePPT(t testing.TB, dir, name string, o pptOptions) string {
	t.Helper()
	p := filepath.Join(dir, name+".ppt")
	if err := os.WriteFile(p, buildPPT(o), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPPT reads slide text, notes and master text of generated
// presentations in Go. catppt, the reader before, printed only the theme
// name ("Office Theme") of every one of them.
func TestPPT(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range pptFixtures {
		t.Run(fx.name, func(t *testing.T) {
			in := extracttest.NewInput(t, writePPT(t, dir, fx.name, fx.o))
			if in.MIME != sniff.PPT {
				t.Fatalf("sniffed %s, want %s", in.MIME, sniff.PPT)
			}
			r, err := extracttest.Run(t.Context(), Extractor{}, in)
			if err != nil {
				t.Fatal(err)
			}
			if bad := extracttest.Validate(r); len(bad) > 0 {
				t.Errorf("contract: %v", bad)
			}
			body := r.Body()
			for _, unwanted := range []string{"Office Theme", "Click to edit", "Deleted draft"} {
				if strings.Contains(body, unwanted) {
					t.Errorf("text holds %q:\n%s", unwanted, body)
				}
			}
			for _, c := range r.Children {
				if c.ReadErr != "" || len(c.Data) == 0 {
					t.Errorf("child %s: %d bytes, read error %q", c.Name, len(c.Data), c.ReadErr)
				}
			}
			golden(t, r.Summary(1024).JSON())
		})
	}
}

func TestConformancePPT(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, fx := range pptFixtures {
		paths = append(paths, writePPT(t, dir, fx.name, fx.o))
	}
	extracttest.Check(t, Extractor{}, paths...)
}

// TestRealFormatsPPT: every PowerPoint file of the shared corpus is read
// by the Go reader (it reports its slides), not by the catppt fallback.
func TestRealFormatsPPT(t *testing.T) {
	root := filepath.Join(corpusDir(t), "real-formats")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if mime, err := sniff.File(p, d.Name()); err != nil || mime != sniff.PPT {
			return err
		}
		n++
		r, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, p))
		if err != nil && !errors.Is(err, extract.ErrEncrypted) {
			t.Errorf("%s: %v", d.Name(), err)
		}
		if err == nil && r.MetaValue("slides") == "" {
			t.Errorf("%s: not read by the Go reader", d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no ppt files in real-formats")
	}
}

func FuzzPPT(f *testing.F) {
	for _, fx := range pptFixtures {
		f.Add(buildPPT(fx.o))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.ppt")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		tx, err := readPPT(p)
		if err != nil {
			return
		}
		for _, s := range append(tx.slides, tx.other) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		for _, e := range tx.embeds {
			if r, err := e.open(); err == nil {
				io.Copy(io.Discard, io.LimitReader(r, 1<<20))
			}
		}
	})
}
