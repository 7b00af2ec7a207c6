package legacy

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf16"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/ole"
)

// extractPPT writes the slides of a PowerPoint file read in Go, one Page
// per slide (its text, then its notes), the author's master text after
// them, and each embedded OLE object as a child "embedded-N". It reports
// done=false, having written nothing, when the Go reader finds neither
// text nor objects, so that catppt gets its turn: catppt alone prints
// only the CStrings of the file (the theme's name), which is why it is the
// fallback and not the reader.
func extractPPT(ctx context.Context, in *extract.Input, out extract.Sink) (bool, error) {
	t, err := readPPT(in.File)
	if err != nil {
		in.Log.Debug("ppt reader", "path", in.Name, "err", err)
		return false, nil
	}
	nonEmpty := t.other != ""
	for _, s := range t.slides {
		nonEmpty = nonEmpty || s != ""
	}
	if !nonEmpty && len(t.embeds) == 0 {
		return false, nil
	}
	c := text.Cap(out, in.Limits.MaxText)
	for i, s := range t.slides {
		c.Page(extract.Page{Number: i + 1, Text: s})
	}
	if t.other != "" {
		if len(t.slides) > 0 {
			c.Page(extract.Page{Number: len(t.slides) + 1, Label: "master", Text: t.other})
		} else {
			c.Text(t.other)
		}
	}
	out.Meta("slides", fmt.Sprint(len(t.slides)))
	for i, e := range t.embeds {
		if in.Limits.MaxEntries > 0 && i >= in.Limits.MaxEntries {
			return true, fmt.Errorf("legacy %s: %w", in.Name, &extract.LimitError{What: "entries", Limit: int64(in.Limits.MaxEntries), Got: int64(len(t.embeds))})
		}
		name := fmt.Sprintf("embedded-%d", i+1)
		r, err := e.open()
		if err != nil {
			// A damaged object is listed, not silently dropped.
			if err := out.Child(ctx, extract.Child{Name: name, Size: -1, Skip: "damaged embedded object: " + err.Error()}); err != nil {
				return true, fmt.Errorf("legacy %s: %w", in.Name, err)
			}
			continue
		}
		if err := out.Child(ctx, extract.Child{Name: name, R: r, Size: e.size()}); err != nil && (extract.IsLimit(err) || ctx.Err() != nil) {
			return true, fmt.Errorf("legacy %s: %w", in.Name, err)
		}
		// Another error is the member's own, recorded on it by the
		// pipeline: one damaged object does not fail the presentation.
	}
	return true, nil
}

// Record types of the PowerPoint binary format (MS-PPT 2.13.24) that the
// text reader walks or reads.
const (
	rtDocument          = 0x03E8
	rtSlide             = 0x03EE
	rtSlideAtom         = 0x03EF
	rtNotes             = 0x03F0
	rtNotesAtom         = 0x03F1
	rtSlidePersistAtom  = 0x03F3
	rtMainMaster        = 0x03F8
	rtTextCharsAtom     = 0x0FA0
	rtTextBytesAtom     = 0x0FA8
	rtSlideListWithText = 0x0FF0
	rtUserEditAtom      = 0x0FF5
	rtCurrentUserAtom   = 0x0FF6
	rtExOleObjStg       = 0x1011
	rtPersistDirectory  = 0x1772
	rtPlaceholderAtom   = 0x0BC3
	rtSpContainer       = 0xF004
)

// SlideListWithText instances (MS-PPT 2.4.14.3): the slides' own list and
// the notes' list. Instance 1, the masters, is skipped: master text is the
// "Click to edit Master title style" of the template, not the author's.
const (
	slideListSlides = 0
	slideListNotes  = 2
)

// maxEdits bounds the chain of UserEditAtoms followed: each incremental
// save adds one, and a hostile file can make the chain a loop.
const maxEdits = 4096

// errNoPersist is a PowerPoint stream whose persist directory cannot be
// followed; the reader falls back to a walk of every record.
var errNoPersist = errors.New("ppt: no usable persist directory")

// pptRecord is one record of the stream: its header fields and its body.
type pptRecord struct {
	ver, inst, typ uint16
	body           []byte
	off            int // offset of the header in the stream
}

func (r pptRecord) container() bool { return r.ver == 0xF }

// pptRecordAt reads the record whose header is at off.
func pptRecordAt(b []byte, off int) (pptRecord, bool) {
	if off < 0 || off+8 > len(b) {
		return pptRecord{}, false
	}
	vi := binary.LittleEndian.Uint16(b[off:])
	n := int64(binary.LittleEndian.Uint32(b[off+4:]))
	end := int64(off+8) + n
	if end > int64(len(b)) {
		end = int64(len(b)) // a truncated record keeps what is there
	}
	return pptRecord{ver: vi & 0xF, inst: vi >> 4, typ: binary.LittleEndian.Uint16(b[off+2:]),
		body: b[off+8 : end], off: off}, true
}

// pptChildren lists the records inside a container body.
func pptChildren(body []byte) []pptRecord {
	var out []pptRecord
	for off := 0; off+8 <= len(body); {
		r, _ := pptRecordAt(body, off)
		out = append(out, r)
		off += 8 + len(r.body)
	}
	return out
}

// pptText is the text a PowerPoint file holds, slide by slide.
type pptText struct {
	slides []string   // one per slide in presentation order, notes after the slide text
	other  string     // text outside any slide, from the fallback walk
	embeds []pptEmbed // embedded OLE objects
}

// readPPT reads the text of the PowerPoint file at path, in Go: the
// "PowerPoint Document" stream of the compound file, through the persist
// directory of its last edit so that text deleted by an incremental save
// is not shown as current. A stream whose directory is damaged is walked
// record by record instead.
func readPPT(path string) (pptText, error) {
	fh, err := os.Open(path)
	if err != nil {
		return pptText{}, fmt.Errorf("ppt: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return pptText{}, fmt.Errorf("ppt: %w", err)
	}
	cf, err := ole.Open(fh, st.Size())
	if err != nil {
		return pptText{}, fmt.Errorf("ppt: %w", err)
	}
	doc, err := cf.ReadPath("PowerPoint Document")
	if err != nil && len(doc) == 0 {
		return pptText{}, fmt.Errorf("ppt: %w", err)
	}
	var cur []byte
	if cu, err := cf.ReadPath("Current User"); err == nil {
		cur = cu
	}
	var t pptText
	if slides, err := pptSlides(doc, cur); err == nil {
		t.slides = slides
		t.other = pptMasters(doc)
	} else {
		t.other = pptWalk(doc)
	}
	t.embeds = pptEmbeds(doc)
	return t, nil
}

// pptPersist resolves the persist directory of the last edit: persist id
// to stream offset, later edits overriding earlier ones. It returns the
// directory and the persist id of the DocumentContainer.
func pptPersist(doc, cur []byte) (map[uint32]int, uint32, error) {
	cu, ok := pptRecordAt(cur, 0)
	if !ok || cu.typ != rtCurrentUserAtom || len(cu.body) < 12 {
		return nil, 0, errNoPersist
	}
	off := int(binary.LittleEndian.Uint32(cu.body[8:]))
	dir := map[uint32]int{}
	var docRef uint32
	seen := map[int]bool{}
	for i := 0; off != 0 && i < maxEdits; i++ {
		if seen[off] {
			break // a loop: what was read so far stands
		}
		seen[off] = true
		ue, ok := pptRecordAt(doc, off)
		if !ok || ue.typ != rtUserEditAtom || len(ue.body) < 20 {
			if i == 0 {
				return nil, 0, errNoPersist
			}
			break
		}
		if i == 0 {
			docRef = binary.LittleEndian.Uint32(ue.body[16:])
		}
		pd, ok := pptRecordAt(doc, int(binary.LittleEndian.Uint32(ue.body[12:])))
		if ok && pd.typ == rtPersistDirectory {
			for b := pd.body; len(b) >= 4; {
				h := binary.LittleEndian.Uint32(b)
				id, n := h&0xFFFFF, int(h>>20)
				b = b[4:]
				for j := 0; j < n && len(b) >= 4; j++ {
					if _, set := dir[id+uint32(j)]; !set {
						dir[id+uint32(j)] = int(binary.LittleEndian.Uint32(b))
					}
					b = b[4:]
				}
			}
		}
		off = int(binary.LittleEndian.Uint32(ue.body[8:]))
	}
	if _, ok := dir[docRef]; !ok {
		return nil, 0, errNoPersist
	}
	return dir, docRef, nil
}

// pptSlides returns the text of each slide in presentation order: the
// text of its placeholders (kept in the document's slide list), of its
// own text boxes, then of its notes page.
func pptSlides(doc, cur []byte) ([]string, error) {
	dir, docRef, err := pptPersist(doc, cur)
	if err != nil {
		return nil, err
	}
	d, ok := pptRecordAt(doc, dir[docRef])
	if !ok || d.typ != rtDocument {
		return nil, errNoPersist
	}
	type slide struct {
		ref  uint32
		id   uint32
		text []string
	}
	var slides []*slide
	notesText := map[uint32][]string{} // by the slide id the notes belong to
	for _, list := range pptChildren(d.body) {
		if list.typ != rtSlideListWithText || (list.inst != slideListSlides && list.inst != slideListNotes) {
			continue
		}
		var cursor *slide
		for _, r := range pptChildren(list.body) {
			switch {
			case r.typ == rtSlidePersistAtom && len(r.body) >= 16:
				cursor = &slide{ref: binary.LittleEndian.Uint32(r.body), id: binary.LittleEndian.Uint32(r.body[12:])}
				if list.inst == slideListSlides {
					slides = append(slides, cursor)
				} else {
					off, ok := dir[cursor.ref]
					if !ok {
						continue
					}
					n, ok := pptRecordAt(doc, off)
					if !ok || n.typ != rtNotes {
						continue
					}
					if id, ok := notesSlide(n); ok {
						notesText[id] = append(notesText[id], pptTexts(n.body, 0)...)
					}
				}
			case cursor != nil && list.inst == slideListSlides:
				if s, ok := atomText(r); ok {
					cursor.text = append(cursor.text, s)
				}
			}
		}
	}
	if len(slides) == 0 {
		return nil, errNoPersist
	}
	out := make([]string, 0, len(slides))
	for _, s := range slides {
		parts := s.text
		if off, ok := dir[s.ref]; ok {
			if r, ok := pptRecordAt(doc, off); ok && r.typ == rtSlide {
				parts = append(parts, pptTexts(r.body, 0)...)
			}
		}
		parts = append(parts, notesText[s.id]...)
		out = append(out, joinDistinct(parts))
	}
	return out, nil
}

// notesSlide returns the slide id a NotesContainer belongs to.
func notesSlide(n pptRecord) (uint32, bool) {
	for _, r := range pptChildren(n.body) {
		if r.typ == rtNotesAtom && len(r.body) >= 4 {
			return binary.LittleEndian.Uint32(r.body), true
		}
	}
	return 0, false
}

// pptTexts returns the text atoms inside a container body, depth first,
// stopping at leak.MaxNesting-like depth to bound a hostile nesting.
func pptTexts(body []byte, depth int) []string {
	if depth > 64 {
		return nil
	}
	var out []string
	for _, r := range pptChildren(body) {
		if r.container() {
			out = append(out, pptTexts(r.body, depth+1)...)
			continue
		}
		if s, ok := atomText(r); ok {
			out = append(out, s)
		}
	}
	return out
}

// pptMasters returns the text an author put on the slide masters: the
// text of master shapes that are not placeholders, so that a footer such
// as "Acme Telecom - internal" typed on the master is kept while the
// template's "Click to edit Master title style" is not.
func pptMasters(doc []byte) string {
	var parts []string
	for _, r := range pptChildren(doc) {
		if r.typ == rtMainMaster {
			parts = append(parts, shapeTexts(r.body, 0)...)
		}
	}
	return joinDistinct(parts)
}

// shapeTexts returns the text of the shapes below body that hold no
// PlaceholderAtom.
func shapeTexts(body []byte, depth int) []string {
	if depth > 64 {
		return nil
	}
	var out []string
	for _, r := range pptChildren(body) {
		switch {
		case r.typ == rtSpContainer:
			if !hasRecord(r.body, rtPlaceholderAtom, depth+1) {
				out = append(out, pptTexts(r.body, depth+1)...)
			}
		case r.container():
			out = append(out, shapeTexts(r.body, depth+1)...)
		}
	}
	return out
}

// hasRecord reports whether a record of type typ is anywhere below body.
func hasRecord(body []byte, typ uint16, depth int) bool {
	if depth > 64 {
		return false
	}
	for _, r := range pptChildren(body) {
		if r.typ == typ || (r.container() && hasRecord(r.body, typ, depth+1)) {
			return true
		}
	}
	return false
}

// pptWalk is the fallback for a stream without a usable persist
// directory: the text atoms of every top-level record but the masters, in
// stream order.
func pptWalk(doc []byte) string {
	var parts []string
	for _, r := range pptChildren(doc) {
		switch {
		case r.typ == rtMainMaster:
			parts = append(parts, shapeTexts(r.body, 1)...)
		case r.typ == rtDocument:
			for _, l := range pptChildren(r.body) {
				if l.typ == rtSlideListWithText && l.inst != 1 {
					parts = append(parts, pptTexts(l.body, 1)...)
				}
			}
		case r.container():
			parts = append(parts, pptTexts(r.body, 1)...)
		}
	}
	return joinDistinct(parts)
}

// atomText decodes a TextCharsAtom (UTF-16LE) or TextBytesAtom (the low
// bytes of UTF-16, that is Latin-1). PowerPoint ends paragraphs with CR
// and breaks lines with VT; both become line feeds.
func atomText(r pptRecord) (string, bool) {
	var s string
	switch r.typ {
	case rtTextCharsAtom:
		u := make([]uint16, len(r.body)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(r.body[2*i:])
		}
		s = string(utf16.Decode(u))
	case rtTextBytesAtom:
		rs := make([]rune, len(r.body))
		for i, c := range r.body {
			rs[i] = rune(c)
		}
		s = string(rs)
	default:
		return "", false
	}
	s = strings.NewReplacer("\r", "\n", "\v", "\n", "\x00", "").Replace(s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.TrimSpace(s)
	return s, s != ""
}

// joinDistinct joins text parts with line feeds, dropping a part equal to
// the one before (PowerPoint 2007 and later write a placeholder's text both
// in the slide list and in the slide's text box).
func joinDistinct(parts []string) string {
	var b strings.Builder
	prev := ""
	for _, p := range parts {
		if p == prev {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
		prev = p
	}
	return b.String()
}

// pptEmbed is an embedded OLE object (an ExOleObjStg record: an embedded
// workbook, a packaged PDF) as stored: compressed objects are a
// decompressed size followed by a zlib stream.
type pptEmbed struct {
	data       []byte
	compressed bool
}

// open returns a reader of the object's bytes, decompressing as it is
// read so that a zlib bomb is never held in memory: the pipeline's
// expansion and size budgets stop it while it is read.
func (e pptEmbed) open() (io.Reader, error) {
	if !e.compressed {
		return bytes.NewReader(e.data), nil
	}
	if len(e.data) < 4 {
		return nil, io.ErrUnexpectedEOF
	}
	zr, err := zlib.NewReader(bytes.NewReader(e.data[4:]))
	if err != nil {
		return nil, err
	}
	return &lenientReader{r: zr}, nil
}

// lenientReader ends at the end of what decompresses: PowerPoint writes
// objects whose zlib stream stops without its final block or checksum,
// and the bytes before the cut are the whole object.
type lenientReader struct{ r io.Reader }

func (l *lenientReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zlib.ErrChecksum) {
		err = io.EOF
	}
	return n, err
}

// size is the object's declared size: what a compressed object says it
// decompresses to (hostile, checked by the pipeline as it reads), or the
// stored length.
func (e pptEmbed) size() int64 {
	if !e.compressed {
		return int64(len(e.data))
	}
	if len(e.data) < 4 {
		return -1
	}
	return int64(binary.LittleEndian.Uint32(e.data))
}

// pptEmbeds lists the embedded OLE objects of the stream's top level,
// where PowerPoint writes them.
func pptEmbeds(doc []byte) []pptEmbed {
	var out []pptEmbed
	for _, r := range pptChildren(doc) {
		if r.typ == rtExOleObjStg && len(r.body) > 0 {
			out = append(out, pptEmbed{data: r.body, compressed: r.inst == 1})
		}
	}
	return out
}
