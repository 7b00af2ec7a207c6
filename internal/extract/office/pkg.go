package office

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
)

// MaxMember caps the decompressed size of one member read by an
// extractor, whatever the limits say: no XML part of a real document
// comes near it.
const MaxMember = 1 << 30

// Flags recorded by this package.
const (
	FlagTrackedChanges = "tracked-changes"
	FlagHiddenSheet    = "hidden-sheet"
	FlagEncrypted      = "encrypted"
)

// ErrNotZip is returned for bytes that are not a zip archive.
var ErrNotZip = errors.New("not a zip archive")

// pkg is an opened document container with the budget of its reads.
type pkg struct {
	zr       *zip.Reader
	byName   map[string]*zip.File
	lim      leak.Limits
	expanded int64
	closer   io.Closer
}

func openPkg(in *extract.Input) (*pkg, error) {
	f, err := in.Open()
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	if max := in.Limits.MaxEntries; max > 0 && len(zr.File) > max {
		f.Close()
		return nil, &extract.LimitError{What: "entries", Limit: int64(max), Got: int64(len(zr.File))}
	}
	p := &pkg{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), lim: in.Limits, closer: f}
	for _, m := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(m.Name, "\\", "/"), "/")
		if _, dup := p.byName[name]; !dup {
			p.byName[name] = m
		}
	}
	return p, nil
}

func (p *pkg) Close() error { return p.closer.Close() }

// has reports whether a member exists.
func (p *pkg) has(name string) bool { _, ok := p.byName[name]; return ok }

// open opens a member for bounded reading; fs.ErrNotExist if absent.
func (p *pkg) open(name string) (io.ReadCloser, error) {
	m, ok := p.byName[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return p.openFile(m)
}

func (p *pkg) openFile(m *zip.File) (io.ReadCloser, error) {
	rc, err := m.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name, err)
	}
	max := int64(MaxMember)
	if p.lim.MaxFileSize > 0 {
		max = min(max, p.lim.MaxFileSize)
	}
	return &bounded{rc: rc, p: p, max: max, compressed: int64(m.CompressedSize64)}, nil
}

// bounded enforces the member, total and ratio caps while reading.
type bounded struct {
	rc         io.ReadCloser
	p          *pkg
	n, max     int64
	compressed int64
}

func (b *bounded) Read(buf []byte) (int, error) {
	n, err := b.rc.Read(buf)
	b.n += int64(n)
	b.p.expanded += int64(n)
	switch {
	case b.n > b.max:
		return n, &extract.LimitError{What: "size", Limit: b.max, Got: b.n}
	case b.p.lim.MaxExpanded > 0 && b.p.expanded > b.p.lim.MaxExpanded:
		return n, &extract.LimitError{What: "expanded", Limit: b.p.lim.MaxExpanded, Got: b.p.expanded}
	case b.p.lim.MaxRatio > 0 && b.n > b.p.lim.MinRatioBytes && float64(b.n) > b.p.lim.MaxRatio*float64(max(b.compressed, 1)):
		return n, &extract.LimitError{What: "ratio", Limit: int64(b.p.lim.MaxRatio * float64(max(b.compressed, 1))), Got: b.n, Per: max(b.compressed, 1)}
	}
	return n, err
}

func (b *bounded) Close() error { return b.rc.Close() }

// readAll reads a whole member, within the caps.
func (p *pkg) readAll(name string) ([]byte, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// decoder returns an XML decoder over a member. It is non-strict (real
// files have stray ampersands) and knows no entities beyond the five
// predefined ones.
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		return charsetReader(label, in)
	}
	return d
}

// rels parses a relationships part: Id -> absolute member path.
func (p *pkg) rels(relsPath, baseDir string) (map[string]string, error) {
	rc, err := p.open(relsPath)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := map[string]string{}
	d := newDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", relsPath, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if attr(se, "TargetMode") == "External" {
			continue
		}
		out[attr(se, "Id")] = resolve(baseDir, attr(se, "Target"))
	}
}

// resolve joins a relationship target to the directory of its source.
func resolve(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, target)), "/")
}

// relID returns a relationship reference attribute (r:id), which must
// not be confused with a plain id attribute of the same element.
func relID(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return attr(se, "id")
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// props reads simple "element -> text" metadata from an XML part, mapping
// local element names to metadata keys, and writes non-empty values.
func (p *pkg) props(ctx context.Context, name string, keys map[string]string, out extract.Sink) error {
	rc, err := p.open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(rc)
	var cur string
	var val strings.Builder
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if k, ok := keys[t.Name.Local]; ok && cur == "" {
				cur = k
				val.Reset()
			}
		case xml.CharData:
			if cur != "" && val.Len() < 4096 {
				val.Write(t)
			}
		case xml.EndElement:
			if cur != "" && keys[t.Name.Local] == cur {
				if v := strings.TrimSpace(val.String()); v != "" && !seen[cur] {
					out.Meta(cur, clip(v, 4096))
					seen[cur] = true
				}
				cur = ""
			}
		}
	}
}

// mediaExt lists member extensions handed on as children.
var mediaExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".bmp": true, ".tif": true, ".tiff": true,
	".webp": true, ".docx": true, ".xlsx": true, ".pptx": true, ".doc": true, ".xls": true, ".ppt": true,
	".pdf": true, ".bin": true, ".odt": true, ".ods": true, ".zip": true, ".emf": true, ".wmf": true,
}

// children hands the members under the given directory prefixes with a
// media or embedding extension to out, in archive order.
func (p *pkg) children(ctx context.Context, out extract.Sink, prefixes ...string) error {
	for _, m := range p.zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := strings.TrimPrefix(strings.ReplaceAll(m.Name, "\\", "/"), "/")
		if m.FileInfo().IsDir() || !mediaExt[strings.ToLower(path.Ext(name))] {
			continue
		}
		match := false
		for _, pre := range prefixes {
			if strings.HasPrefix(name, pre) {
				match = true
				break
			}
		}
		if !match {
			continue
		}
		rc, err := p.openFile(m)
		if err != nil {
			continue // a damaged member is the child's loss, not the document's
		}
		err = out.Child(ctx, extract.Child{Name: m.Name, R: rc, Size: int64(m.UncompressedSize64), ModTime: m.Modified})
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xc0) == 0x80 {
		n--
	}
	return s[:n]
}

// coreKeys maps OOXML core and extended properties to metadata keys.
var coreKeys = map[string]string{
	"title": "title", "creator": "author", "lastModifiedBy": "last_modified_by",
	"created": "created", "modified": "modified", "subject": "subject", "keywords": "keywords",
	"description": "description", "language": "language",
}

var appKeys = map[string]string{
	"Application": "creator", "Company": "company", "Pages": "pages", "Slides": "pages",
}

// ooxmlProps writes the core and extended properties of an OOXML package.
func (p *pkg) ooxmlProps(ctx context.Context, out extract.Sink) error {
	if err := p.props(ctx, "docProps/core.xml", coreKeys, out); err != nil && !extract.IsLimit(err) {
		out.Flag("damaged-properties")
	} else if err != nil {
		return err
	}
	if err := p.props(ctx, "docProps/app.xml", appKeys, out); err != nil && !extract.IsLimit(err) {
		out.Flag("damaged-properties")
	} else if err != nil {
		return err
	}
	return nil
}
