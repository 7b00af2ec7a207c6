package legacy

import (
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/leakscope/leakscope/internal/charset"
)

// dbcs maps the double-byte RTF code pages catdoc has no table for to the
// encodings that decode them.
var dbcs = map[string]string{"936": charset.GBK, "950": charset.Big5, "932": charset.ShiftJIS, "949": charset.EUCKR}

var ansicpg = regexp.MustCompile(`\\ansicpg(\d+)`)

// rtfCodepage returns the encoding of an RTF's double-byte \ansicpg, or
// "" when it has none.
func rtfCodepage(file string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.Read(head)
	if m := ansicpg.FindSubmatch(head[:n]); m != nil {
		return dbcs[string(m[1])]
	}
	return ""
}

// redecode repairs catdoc's output for a double-byte code page: catdoc
// wrote each \'hh byte as the Windows-1252 character of that byte, so the
// runs of such characters are turned back into bytes and decoded with the
// real code page. Characters from \uN escapes are kept as they are.
func redecode(s, enc string) string {
	var out, run strings.Builder
	flush := func() {
		if run.Len() == 0 {
			return
		}
		if t, err := charset.DecodeAs([]byte(run.String()), enc); err == nil {
			out.WriteString(t)
		} else {
			out.WriteString(run.String())
		}
		run.Reset()
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			run.WriteByte(byte(r))
			continue
		}
		if b, ok := charmap.Windows1252.EncodeRune(r); ok {
			run.WriteByte(b)
			continue
		}
		flush()
		out.WriteRune(r)
	}
	flush()
	return out.String()
}
