package index

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Invisible reports whether r would be invisible or would reorder the text
// around it when shown: control characters other than tab and newline,
// bidirectional overrides and isolates, zero-width characters, the BOM.
// Leaked names use them to disguise files (报告\u202Efdp.exe shows as
// 报告exe.pdf).
func Invisible(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r == utf8.RuneError:
		return true
	case unicode.IsControl(r):
		return true
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2069, r == 0xFEFF, r == 0x00AD, r == 0x061C:
		return true
	}
	return false
}

// Visible returns s with every Invisible rune written as ⟦U+XXXX⟧ and
// invalid UTF-8 as ⟦U+FFFD⟧, for display. It does not escape HTML.
func Visible(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				b.WriteString("⟦U+FFFD⟧")
				continue
			}
		}
		if Invisible(r) {
			fmt.Fprintf(&b, "⟦U+%04X⟧", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SnippetWidth is the length of a snippet in bytes of source text, before
// escaping.
const SnippetWidth = 280

// Snippet builds the HTML snippet of text around marks, a list of byte
// ranges [start, end) of matched terms (in any order, possibly
// overlapping). The text is escaped, Invisible runes are shown, white
// space is collapsed and each merged range is wrapped in <mark>. With no
// marks it is the beginning of the text.
func Snippet(text string, marks [][2]int) string {
	ms := mergeRanges(marks, len(text))
	start := 0
	if len(ms) > 0 {
		start = ms[0][0] - SnippetWidth/4
		if start < 0 {
			start = 0
		}
	}
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start--
	}
	end := min(start+SnippetWidth, len(text))
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	mi := 0
	inMark := false
	space := false
	for i := start; i < end; {
		for mi < len(ms) && ms[mi][1] <= i {
			mi++
		}
		want := mi < len(ms) && ms[mi][0] <= i
		if want != inMark {
			if want {
				b.WriteString("<mark>")
			} else {
				b.WriteString("</mark>")
			}
			inMark = want
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString("⟦U+FFFD⟧")
		case r == '\n' || r == '\t' || r == '\r' || r == ' ':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case Invisible(r):
			fmt.Fprintf(&b, "⟦U+%04X⟧", r)
		default:
			b.WriteString(html.EscapeString(string(r)))
		}
		space = false
	}
	if inMark {
		b.WriteString("</mark>")
	}
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

func mergeRanges(rs [][2]int, n int) [][2]int {
	var ms [][2]int
	for _, r := range rs {
		if r[0] < 0 || r[1] > n || r[0] >= r[1] {
			continue
		}
		ms = append(ms, r)
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j][0] < ms[j-1][0]; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	out := ms[:0]
	for _, r := range ms {
		if len(out) > 0 && r[0] <= out[len(out)-1][1] {
			if r[1] > out[len(out)-1][1] {
				out[len(out)-1][1] = r[1]
			}
			continue
		}
		out = append(out, r)
	}
	return out
}
