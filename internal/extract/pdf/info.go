package pdf

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Info is what pdfinfo reports about a document.
type Info struct {
	Title, Author, Subject, Keywords string
	Creator, Producer                string
	Created, Modified                string // ISO 8601 as printed by pdfinfo -isodates
	Pages                            int
	Encrypted                        bool
	PDFVersion                       string
}

// maxInfoValue caps one pdfinfo value: metadata strings are short, a
// long one is junk.
const maxInfoValue = 1024

// ParseInfo parses the "Key: value" lines of `pdfinfo -isodates -enc UTF-8`.
// Unknown keys are ignored; values are made valid UTF-8, stripped of
// control characters and capped. A title spanning several lines (pdfinfo
// prints embedded newlines verbatim) keeps its first line only.
func ParseInfo(b []byte) Info {
	var in Info
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.ContainsAny(key, "\t") {
			continue
		}
		val = cleanValue(val)
		switch key {
		case "Title":
			in.Title = val
		case "Author":
			in.Author = val
		case "Subject":
			in.Subject = val
		case "Keywords":
			in.Keywords = val
		case "Creator":
			in.Creator = val
		case "Producer":
			in.Producer = val
		case "CreationDate":
			in.Created = val
		case "ModDate":
			in.Modified = val
		case "Pages":
			if n, err := strconv.Atoi(val); err == nil && n >= 0 {
				in.Pages = n
			}
		case "Encrypted":
			in.Encrypted = strings.HasPrefix(val, "yes")
		case "PDF version":
			in.PDFVersion = val
		}
	}
	return in
}

func cleanValue(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxInfoValue {
		s = s[:maxInfoValue]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// Meta returns the Meta keys of in, omitting empty values, in a stable
// order of pairs.
func (in Info) Meta() [][2]string {
	var m [][2]string
	add := func(k, v string) {
		if v != "" {
			m = append(m, [2]string{k, v})
		}
	}
	add(KeyTitle, in.Title)
	add(KeyAuthor, in.Author)
	add(KeySubject, in.Subject)
	add(KeyKeywords, in.Keywords)
	add(KeyCreator, in.Creator)
	add(KeyProducer, in.Producer)
	add(KeyCreated, in.Created)
	add(KeyModified, in.Modified)
	if in.Pages > 0 {
		add(KeyPages, strconv.Itoa(in.Pages))
	}
	add(KeyVersion, in.PDFVersion)
	return m
}
