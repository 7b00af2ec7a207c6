package lang

import (
	"unicode"
)

// Words returns the words of text as Cut finds them, as written, without
// the spaces and punctuation between them: what a search query is cut
// into, so that a Chinese query matches its words wherever the text puts
// them. Safe for concurrent use.
func Words(text string) []string {
	var out []string
	for _, t := range Cut(text) {
		for _, r := range t.Text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, t.Text)
				break
			}
		}
	}
	return out
}
