package msg

import (
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ole"
)

// rtfPrebuf primes the dictionary of compressed RTF (MS-OXRTFCP 2.1.3.1.1).
const rtfPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

var errRTF = errors.New("malformed compressed rtf")

// decompressRTF undoes the LZ77 compression of PidTagRtfCompressed. The
// output is capped at max bytes (and at the declared raw size).
func decompressRTF(b []byte, max int64) ([]byte, error) {
	le := binary.LittleEndian
	if len(b) < 16 {
		return nil, errRTF
	}
	raw := int64(le.Uint32(b[4:]))
	switch le.Uint32(b[8:]) {
	case 0x414c454d: // "MELA": stored uncompressed
		return b[16:min(len(b), 16+int(min(raw, max)))], nil
	case 0x75465a4c: // "LZFu"
	default:
		return nil, errRTF
	}
	limit := min(raw, max)
	var dict [4096]byte
	copy(dict[:], rtfPrebuf)
	w := len(rtfPrebuf)
	out := make([]byte, 0, min(limit, 1<<20))
	in := b[16:]
	for len(in) > 0 {
		ctrl := in[0]
		in = in[1:]
		for bit := 0; bit < 8; bit++ {
			if int64(len(out)) >= limit {
				return out, nil
			}
			if ctrl&(1<<bit) == 0 {
				if len(in) == 0 {
					return out, nil
				}
				out = append(out, in[0])
				dict[w] = in[0]
				w = (w + 1) % 4096
				in = in[1:]
				continue
			}
			if len(in) < 2 {
				return out, errRTF
			}
			ref := int(in[0])<<8 | int(in[1])
			in = in[2:]
			off, n := ref>>4, ref&0xf+2
			if off == w {
				return out, nil
			}
			for i := range n {
				c := dict[(off+i)%4096]
				out = append(out, c)
				dict[w] = c
				w = (w + 1) % 4096
			}
		}
	}
	return out, nil
}

// skippedDest are RTF destinations without visible text.
var skippedDest = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true,
	"object": true, "themedata": true, "datastore": true, "listtable": true,
	"listoverridetable": true, "rsidtbl": true, "generator": true, "xmlnstbl": true,
	"latentstyles": true, "filetbl": true, "revtbl": true, "header": true, "footer": true,
}

// rtfText returns the visible text of an RTF document: groups of
// formatting tables and ignorable destinations are skipped, \par and \line
// become new lines, \'hh bytes are decoded in the document's code page (or
// cp) and \uN escapes are honoured. In RTF generated from HTML (\fromhtml)
// the \htmlrtf runs, which duplicate the HTML, are skipped.
func rtfText(b []byte, cp int) string {
	type group struct {
		skip bool
		uc   int
	}
	var (
		sb      strings.Builder
		pending []byte
		st      = []group{{uc: 1}}
		htmlrtf bool
		skipN   int // characters to skip after \uN
		// over counts groups opened past leak.MaxNesting: they share the
		// state of the deepest kept group, and their closing braces
		// must not pop the groups around them.
		over int
	)
	flush := func() {
		if len(pending) > 0 {
			sb.WriteString(ole.DecodeCodePage(pending, cp))
			pending = pending[:0]
		}
	}
	emit := func(s string) {
		flush()
		if !st[len(st)-1].skip && !htmlrtf {
			sb.WriteString(s)
		}
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		top := &st[len(st)-1]
		switch c {
		case '{':
			flush()
			if len(st) < leak.MaxNesting {
				st = append(st, *top)
			} else {
				over++
			}
			continue
		case '}':
			flush()
			switch {
			case over > 0:
				over--
			case len(st) > 1:
				st = st[:len(st)-1]
			}
			continue
		case '\r', '\n':
			continue
		case '\\':
		default:
			if skipN > 0 {
				skipN--
				continue
			}
			if !top.skip && !htmlrtf {
				if c < 0x80 {
					flush()
					sb.WriteByte(c)
				} else {
					pending = append(pending, c)
				}
			}
			continue
		}
		// A control word or symbol.
		i++
		if i >= len(b) {
			break
		}
		c = b[i]
		if !isLetter(c) {
			switch c {
			case '\'':
				if i+2 < len(b) {
					if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
						i += 2
						if skipN > 0 {
							skipN--
						} else if !top.skip && !htmlrtf {
							pending = append(pending, byte(v))
						}
						continue
					}
				}
			case '*':
				top.skip = true
			case '\\', '{', '}':
				emit(string(c))
			case '~':
				emit(" ")
			case '_':
				emit("-")
			case '\n', '\r':
				emit("\n")
			}
			continue
		}
		j := i
		for j < len(b) && isLetter(b[j]) && j-i < 32 {
			j++
		}
		word := string(b[i:j])
		k := j
		if k < len(b) && (b[k] == '-' || b[k] >= '0' && b[k] <= '9') {
			k++
			for k < len(b) && b[k] >= '0' && b[k] <= '9' && k-j < 11 {
				k++
			}
		}
		param, hasParam := 0, k > j
		if hasParam {
			param, _ = strconv.Atoi(string(b[j:k]))
		}
		if k < len(b) && b[k] == ' ' {
			k++
		}
		i = k - 1
		switch word {
		case "par", "line", "row", "sect", "page":
			emit("\n")
		case "tab", "cell":
			emit("\t")
		case "ansicpg":
			if cp == 0 || cp == 1252 {
				cp = param
			}
		case "uc":
			top.uc = param
		case "u":
			if param < 0 {
				param += 65536
			}
			r := rune(param)
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			emit(string(r))
			skipN = top.uc
		case "htmlrtf":
			flush()
			htmlrtf = !hasParam || param != 0
		default:
			if skippedDest[word] {
				top.skip = true
			}
		}
	}
	flush()
	return collapseLines(sb.String())
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// collapseLines trims trailing blanks and keeps at most one empty line in
// a row.
func collapseLines(s string) string {
	var out []string
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
