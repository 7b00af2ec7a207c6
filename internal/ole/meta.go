package ole

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Summary is what the SummaryInformation and DocumentSummaryInformation
// property sets say about a document. Empty fields were absent.
type Summary struct {
	Title, Subject, Author, Keywords, Comments string
	Template, LastAuthor, Revision, AppName    string
	Category, Manager, Company                 string
	Created, Saved, Printed                    time.Time
	Pages, Words, Chars, Slides                int64
	// Security is the DocSecurity bit field: 1 password protected, 2
	// read-only recommended, 4 read-only enforced, 8 locked for
	// annotations.
	Security int64
	// CodePage is the code page the SummaryInformation strings were in.
	CodePage int
}

// Stream names of the standard property sets.
const (
	SummaryStream    = "\x05SummaryInformation"
	DocSummaryStream = "\x05DocumentSummaryInformation"
)

// maxSummaryString caps one metadata value: property sets are small, but
// a hostile one may put a megabyte in the title.
const maxSummaryString = 4096

// Summary reads the two standard property sets. It returns an error only
// when neither could be read; a file without them is a zero Summary and
// an error wrapping errNotFound (see IsNotFound).
func (f *File) Summary() (Summary, error) {
	var s Summary
	var errs []error
	found := false
	for _, name := range []string{SummaryStream, DocSummaryStream} {
		b, err := f.ReadPath(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sets, err := ParsePropertySets(b)
		if err != nil && len(sets) == 0 {
			errs = append(errs, fmt.Errorf("%q: %w", name[1:], err))
			continue
		}
		found = true
		for _, ps := range sets {
			switch ps.FMTID {
			case FMTIDSummary:
				s.fromSummary(ps)
			case FMTIDDocSummary:
				s.fromDocSummary(ps)
			}
		}
	}
	if !found {
		return s, errors.Join(errs...)
	}
	return s, nil
}

func str(p map[uint32]Value, id uint32) string {
	v := strings.TrimSpace(p[id].Str)
	if len(v) > maxSummaryString {
		v = strings.ToValidUTF8(v[:maxSummaryString], "")
	}
	return v
}

func (s *Summary) fromSummary(ps PropertySet) {
	p := ps.Props
	s.CodePage = ps.CodePage
	s.Title, s.Subject, s.Author, s.Keywords = str(p, 2), str(p, 3), str(p, 4), str(p, 5)
	s.Comments, s.Template, s.LastAuthor, s.Revision = str(p, 6), str(p, 7), str(p, 8), str(p, 9)
	s.AppName = str(p, 18)
	s.Printed, s.Created, s.Saved = p[11].Time, p[12].Time, p[13].Time
	s.Pages, s.Words, s.Chars = p[14].Int, p[15].Int, p[16].Int
	s.Security = p[19].Int
}

func (s *Summary) fromDocSummary(ps PropertySet) {
	p := ps.Props
	s.Category, s.Manager, s.Company = str(p, 2), str(p, 14), str(p, 15)
	s.Slides = p[7].Int
}

// Meta returns the summary as document metadata under the keys the other
// extractors use: title, subject, author, keywords, description,
// last_modified_by, creator (the application), company, category,
// manager, created, modified, printed (RFC 3339, UTC), pages (or slides),
// words. Empty values are left out.
func (s Summary) Meta() map[string]string {
	m := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set("title", s.Title)
	set("subject", s.Subject)
	set("author", s.Author)
	set("keywords", s.Keywords)
	set("description", s.Comments)
	set("last_modified_by", s.LastAuthor)
	set("creator", s.AppName)
	set("company", s.Company)
	set("category", s.Category)
	set("manager", s.Manager)
	for k, t := range map[string]time.Time{"created": s.Created, "modified": s.Saved, "printed": s.Printed} {
		if !t.IsZero() {
			m[k] = t.Format(time.RFC3339)
		}
	}
	switch {
	case s.Pages > 0:
		m["pages"] = strconv.FormatInt(s.Pages, 10)
	case s.Slides > 0:
		m["pages"] = strconv.FormatInt(s.Slides, 10)
	}
	if s.Words > 0 {
		m["words"] = strconv.FormatInt(s.Words, 10)
	}
	return m
}

// FlagEncrypted is the flag recorded on a password-protected document.
const FlagEncrypted = "encrypted"

// Encrypted reports whether the document in f is password protected, by
// the marks each format leaves outside the encrypted bytes: an
// EncryptedPackage stream (Office 2007+ under a password), the FIB's
// fEncrypted bit (Word), a FILEPASS record before the first sheet
// (Excel), an encrypted CurrentUserAtom or EncryptedSummary stream
// (PowerPoint), or DocSecurity bit 1 in the summary.
func (f *File) Encrypted() bool {
	root := f.Root()
	for _, name := range []string{"EncryptedPackage", "EncryptedSummary"} {
		if _, ok := f.Child(root, name); ok {
			return true
		}
	}
	le := binary.LittleEndian
	if e, ok := f.Child(root, "WordDocument"); ok {
		if b := f.head(e, 12); len(b) >= 12 && le.Uint16(b) == 0xa5ec && le.Uint16(b[10:])&0x0100 != 0 {
			return true
		}
	}
	for _, name := range []string{"Workbook", "Book"} {
		if e, ok := f.Child(root, name); ok && excelFilePass(f.head(e, 4096)) {
			return true
		}
	}
	if e, ok := f.Child(root, "Current User"); ok {
		if b := f.head(e, 16); len(b) >= 16 && le.Uint32(b[12:]) == 0xf3d1c4df {
			return true
		}
	}
	if s, err := f.Summary(); err == nil && s.Security&1 != 0 {
		return true
	}
	return false
}

// head reads up to n leading bytes of stream e, or what can be read.
func (f *File) head(e *Entry, n int64) []byte {
	s, err := f.Stream(e)
	if err != nil {
		return nil
	}
	b := make([]byte, min(n, s.Available()))
	m, _ := s.ReadAt(b, 0)
	return b[:m]
}

// excelFilePass walks the BIFF records at the start of a workbook stream
// and reports a FILEPASS (0x002F) record, which precedes the sheets of an
// encrypted workbook.
func excelFilePass(b []byte) bool {
	le := binary.LittleEndian
	for i := 0; i < 64 && len(b) >= 4; i++ {
		typ, n := le.Uint16(b), int(le.Uint16(b[2:]))
		switch typ {
		case 0x002f:
			return true
		case 0x0085, 0x000a: // BOUNDSHEET, EOF: past the globals' header
			return false
		}
		if 4+n > len(b) {
			return false
		}
		b = b[4+n:]
	}
	return false
}

// Info is what Inspect learns about a compound file.
type Info struct {
	// Meta holds the metadata of Summary.Meta.
	Meta map[string]string
	// Flags holds FlagEncrypted for a password-protected document and
	// "corrupt" for a file whose tables could not be read in full.
	Flags []string
}

// Keys returns the metadata keys in sorted order, so that callers record
// them deterministically.
func (i Info) Keys() []string { return slices.Sorted(maps.Keys(i.Meta)) }

// Inspect opens the compound file at path and reads its metadata and
// flags. A file without property sets has an empty Meta and no error.
func Inspect(path string) (Info, error) {
	fh, err := os.Open(path)
	if err != nil {
		return Info{}, fmt.Errorf("ole inspect: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("ole inspect: %w", err)
	}
	f, err := Open(fh, st.Size())
	if err != nil {
		return Info{}, fmt.Errorf("ole inspect: %w", err)
	}
	info := Info{Meta: map[string]string{}}
	if s, err := f.Summary(); err == nil {
		info.Meta = s.Meta()
	}
	if f.Encrypted() {
		info.Flags = append(info.Flags, FlagEncrypted)
	}
	if f.Damaged {
		info.Flags = append(info.Flags, "corrupt")
	}
	return info, nil
}

// Metadata returns the metadata of the legacy Office document (or any
// compound file) at path: title, subject, author, keywords, description,
// last_modified_by, creator, company, category, manager, created,
// modified, printed, pages, words, as Summary.Meta names them.
func Metadata(path string) (map[string]string, error) {
	info, err := Inspect(path)
	return info.Meta, err
}
