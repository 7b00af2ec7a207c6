package legacy

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/ole"
)

// Streams of an embedded OLE object storage whose bytes are a file of
// their own (MS-OLEDS): a packaged file (an attachment dragged into a
// Word document), the bytes of an embedded PDF, an embedded OOXML package.
const (
	streamOle10Native = "\x01Ole10Native"
	streamContents    = "CONTENTS"
	streamPackage     = "Package"
)

// objectStorages are where the Office binary formats keep their embedded
// objects: Word under ObjectPool, Excel in MBD storages at the root; a
// compound file that is itself one object (what a PowerPoint file embeds)
// keeps its streams at the root.
func objectStorages(cf *ole.File) []*ole.Entry {
	out := []*ole.Entry{cf.Root()}
	kids, _ := cf.Children(cf.Root())
	for _, k := range kids {
		switch {
		case !k.IsStorage():
		case strings.EqualFold(k.Name, "ObjectPool"):
			pool, _ := cf.Children(k)
			for _, p := range pool {
				if p.IsStorage() {
					out = append(out, p)
				}
			}
		case strings.HasPrefix(k.Name, "MBD"):
			out = append(out, k)
		}
	}
	return out
}

// embedded is one object's bytes and the child name they get.
type embedded struct {
	name string
	data []byte
}

// embeddedObjects lists the files embedded in the compound file at p,
// named "<storage>/<file name>" ("_1234/report.pdf" for a Word object), or
// "<storage>/CONTENTS" and "<storage>/Package" when the object carries no
// name. Objects that are whole compound documents (an embedded workbook
// storage) are not listed: their streams would have to be rewritten as a
// compound file first.
func embeddedObjects(p string) ([]embedded, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	cf, err := ole.Open(fh, st.Size())
	if err != nil {
		return nil, err
	}
	var out []embedded
	for _, s := range objectStorages(cf) {
		prefix := s.Name + "/"
		if s == cf.Root() {
			prefix = ""
		}
		if e, ok := cf.Child(s, streamOle10Native); ok {
			if b, err := cf.ReadStream(e); err == nil {
				if name, data, ok := parseOle10Native(b); ok {
					out = append(out, embedded{name: prefix + name, data: data})
				}
			}
		}
		for _, n := range []string{streamContents, streamPackage} {
			if e, ok := cf.Child(s, n); ok && e.Type == ole.TypeStream {
				if b, err := cf.ReadStream(e); err == nil && len(b) > 0 {
					out = append(out, embedded{name: prefix + n, data: b})
				}
			}
		}
	}
	return out, nil
}

// parseOle10Native reads an OLE 1.0 package: size, a 2-byte marker, the
// label and the original path (NUL-terminated, ANSI), 4 reserved bytes, a
// length-prefixed temporary path, then the length-prefixed file bytes. It
// returns the base name of the original path ("package" when it has
// none) and the bytes.
func parseOle10Native(b []byte) (string, []byte, bool) {
	if len(b) < 6 {
		return "", nil, false
	}
	r := b[6:] // total size, marker
	zstr := func() (string, bool) {
		i := bytes.IndexByte(r, 0)
		if i < 0 {
			return "", false
		}
		s := string(r[:i])
		r = r[i+1:]
		return s, true
	}
	u32 := func() (int, bool) {
		if len(r) < 4 {
			return 0, false
		}
		n := int(binary.LittleEndian.Uint32(r))
		r = r[4:]
		return n, n >= 0
	}
	if _, ok := zstr(); !ok { // label
		return "", nil, false
	}
	src, ok := zstr()
	if !ok || len(r) < 4 {
		return "", nil, false
	}
	r = r[4:]
	n, ok := u32()
	if !ok || n > len(r) {
		return "", nil, false
	}
	r = r[n:]
	size, ok := u32()
	if !ok || size > len(r) {
		return "", nil, false
	}
	name := path.Base(strings.ReplaceAll(strings.ToValidUTF8(src, "_"), `\`, "/"))
	if name == "." || name == "/" || name == "" {
		name = "package"
	}
	return name, r[:size], true
}

// emitEmbedded hands the embedded objects of the compound file to the
// pipeline. It reports how many it emitted; an error is the sink's (a
// budget exhausted) and must end the extraction.
func emitEmbedded(ctx context.Context, in *extract.Input, out extract.Sink) (int, error) {
	objs, err := embeddedObjects(in.File)
	if err != nil {
		return 0, nil // the tools report what is wrong with the file
	}
	for i, o := range objs {
		if in.Limits.MaxEntries > 0 && i >= in.Limits.MaxEntries {
			return i, &extract.LimitError{What: "entries", Limit: int64(in.Limits.MaxEntries), Got: int64(len(objs))}
		}
		err := out.Child(ctx, extract.Child{Name: o.name, R: bytes.NewReader(o.data), Size: int64(len(o.data))})
		if err != nil && (extract.IsLimit(err) || ctx.Err() != nil) {
			return i, fmt.Errorf("embedded %s: %w", o.name, err)
		}
	}
	return len(objs), nil
}
