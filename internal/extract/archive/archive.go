package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/leakscope/leakscope/internal/extract"
)

// Flags recorded on a container or its members. They are stored, so they
// never change.
const (
	FlagTraversal     = "path-traversal"
	FlagSymlink       = "symlink"
	FlagHardlink      = "hardlink"
	FlagSymlinkEscape = "symlink-escape"
	FlagThroughLink   = "through-symlink"
	FlagEncrypted     = "encrypted"
	FlagTruncated     = "truncated"
	FlagCorrupt       = "corrupt"
	FlagNameGB18030   = "name-gb18030"
	FlagNameNotUTF8   = "name-not-utf8"
	FlagUnsupported   = "unsupported-method"
	FlagMultiVolume   = "multi-volume"
	FlagNameEmpty     = "name-empty"
)

// maxLinkTarget bounds the bytes read for a link target stored as member
// content (zip, 7z).
const maxLinkTarget = 4096

// All returns every extractor of the package, for the registry.
func All() []extract.Extractor {
	return []extract.Extractor{Zip{}, Tar{}, Compressed{}, SevenZip{}, RAR{}}
}

// container collects the flags of one container, recording each once, and
// hands members to the sink with their name checks applied.
type container struct {
	out   extract.Sink
	flags map[string]bool
	links []link // link members seen so far
	n     int    // members handed over so far
}

type link struct {
	name   string
	escape bool
}

func newContainer(out extract.Sink) *container {
	return &container{out: out, flags: map[string]bool{}}
}

func (c *container) flag(f string) {
	if !c.flags[f] {
		c.flags[f] = true
		c.out.Flag(f)
	}
}

// emit hands ch to the sink after checking its name and link. It returns
// memberErr when the member's own bytes were bad (the reader failed) and
// the container can go on, and fatal when the extraction must stop: a limit,
// a cancelled context, or a sink failure.
func (c *container) emit(ctx context.Context, ch extract.Child) (memberErr, fatal error) {
	return c.emitLink(ctx, ch, false)
}

// emitLink is emit for a member that may be a hard link.
func (c *container) emitLink(ctx context.Context, ch extract.Child, hard bool) (memberErr, fatal error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.n++
	if ch.Name == "" {
		// An empty name would collide with the container's own path.
		ch.Name = fmt.Sprintf("unnamed-%d", c.n)
		ch.Flags = appendOnce(ch.Flags, FlagNameEmpty)
	}
	if hostileName(ch.Name) {
		c.flag(FlagTraversal)
		ch.Flags = appendOnce(ch.Flags, FlagTraversal)
	}
	for _, l := range c.links {
		if strings.HasPrefix(ch.Name, l.name+"/") {
			ch.Flags = appendOnce(ch.Flags, FlagThroughLink)
			if l.escape {
				ch.Flags = appendOnce(ch.Flags, FlagSymlinkEscape)
			}
		}
	}
	if ch.Link != "" {
		ch.R = nil
		c.flag(FlagSymlink)
		if hard {
			c.flag(FlagHardlink)
		}
		esc := linkEscapes(ch.Name, ch.Link, hard)
		if esc {
			c.flag(FlagSymlinkEscape)
			ch.Flags = appendOnce(ch.Flags, FlagSymlinkEscape)
		}
		c.links = append(c.links, link{name: strings.TrimSuffix(ch.Name, "/"), escape: esc})
	}
	var rec *errReader
	if ch.R != nil {
		rec = &errReader{r: ch.R}
		ch.R = rec
	}
	err := c.out.Child(ctx, ch)
	var readErr error
	if rec != nil {
		readErr = rec.err
	}
	switch {
	case err == nil:
		return readErr, nil
	case extract.IsLimit(err), ctx.Err() != nil:
		return nil, err
	case readErr != nil:
		return readErr, nil
	}
	return nil, fmt.Errorf("member %q: %w", ch.Name, err)
}

// skipReasonEncrypted is the reason recorded for a member that needs a
// password.
const skipReasonEncrypted = "encrypted member, no password"

// encrypted records a member that cannot be read without a password: the
// container is flagged, and the member is handed over as a Skip child, so
// that it is listed with its reason by `leakscope errors` rather than
// silently missing from the tree.
func (c *container) encrypted(ctx context.Context, name string, size int64, flags []string) error {
	c.flag(FlagEncrypted)
	_, fatal := c.emit(ctx, extract.Child{Name: name, Size: size, Flags: appendOnce(flags, FlagEncrypted), Skip: skipReasonEncrypted})
	return fatal
}

// damaged classifies a member read error as a flag.
func (c *container) damaged(err error) {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		c.flag(FlagTruncated)
		return
	}
	c.flag(FlagCorrupt)
}

// errReader remembers the first error other than io.EOF its reader returned.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// hostileName reports whether a member name would leave an extraction
// directory if used as a path: absolute (Unix, Windows drive or UNC), or
// with a ".." component between either kind of separator.
func hostileName(name string) bool {
	if name == "" {
		return false
	}
	if name[0] == '/' || name[0] == '\\' {
		return true
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z') {
		return true
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return true
		}
	}
	return false
}

// linkEscapes reports whether a link named name pointing at target resolves
// outside the archive root. A symbolic link's target is relative to the
// link's directory, a hard link's to the archive root.
func linkEscapes(name, target string, hard bool) bool {
	t := strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(t, "/") || (len(t) >= 2 && t[1] == ':') {
		return true
	}
	dir := path.Dir(strings.TrimSuffix(name, "/"))
	if hard {
		dir = "."
	}
	joined := path.Join(dir, t)
	return joined == ".." || strings.HasPrefix(joined, "../")
}

// decodeName returns a member name as valid UTF-8 when the raw bytes are
// not, with the flag that says how (see the package comment).
func decodeName(raw string) (string, string) {
	if utf8.ValidString(raw) {
		return raw, ""
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().String(raw)
	if err == nil && utf8.ValidString(dec) && !strings.ContainsRune(dec, utf8.RuneError) {
		back, err := simplifiedchinese.GB18030.NewEncoder().String(dec)
		if err == nil && back == raw {
			return dec, FlagNameGB18030
		}
	}
	return raw, FlagNameNotUTF8
}

// nameChild builds the name and flags of a member from its raw name.
func nameChild(raw string) (string, []string) {
	name, f := decodeName(raw)
	if f == "" {
		return name, nil
	}
	return name, []string{f}
}

// readLinkTarget reads a link target stored as member content.
func readLinkTarget(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxLinkTarget))
	if err != nil {
		return "", err
	}
	b = bytes.TrimRight(b, "\x00")
	if len(b) == 0 {
		return "", errors.New("empty link target")
	}
	return string(b), nil
}

// isTarHeader reports whether block is a tar header: its checksum matches
// (old V7 tars have no magic, so the checksum is the test).
func isTarHeader(block []byte) bool {
	if len(block) < 512 {
		return false
	}
	field := bytes.Trim(block[148:156], " \x00")
	if len(field) == 0 {
		return false
	}
	var want int64
	for _, c := range field {
		if c < '0' || c > '7' {
			return false
		}
		want = want*8 + int64(c-'0')
	}
	var sum int64
	for i, c := range block[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want && sum != 8*' '
}

var zeroTime time.Time
