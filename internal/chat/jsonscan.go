package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// Fast path of StreamJSON. json.Decoder walks a stream token by token
// through reflection and copies every value twice; a dump of a million
// flat message objects spends most of its time there. scanner instead
// finds where each top-level value (each element of a top-level array,
// each value of JSON lines) ends with a plain byte loop and hands its
// bytes to flatObject, a decoder for the one shape that matters: an object
// of strings, numbers and literals. Anything else (nested values, escapes
// in keys, values larger than maxInline) goes to encoding/json, so the
// fast path never changes what is accepted.

// maxInline bounds the bytes of one top-level value the scanner holds:
// a larger one (a Telegram export, a chat object with its messages) is
// walked token by token instead, so memory stays bounded whatever the
// file holds.
const maxInline = 1 << 20

// scanner reads successive JSON values from a stream into one buffer.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error // a read error other than io.EOF
	lines    bool  // the stream is JSON lines (sniffLines)
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, 256<<10)}
}

// fill moves the unread bytes from keep on to the front and reads more.
// It returns how far the bytes moved, and false when nothing more can be
// read.
func (s *scanner) fill(keep int) (int, bool) {
	if s.eof {
		return 0, false
	}
	shift := keep
	if shift > 0 {
		copy(s.buf, s.buf[keep:s.end])
		s.end -= keep
		s.pos -= keep
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return shift, n > 0
		}
		if n > 0 {
			return shift, true
		}
	}
}

// peek skips white space (and a BOM) and returns the next byte; ok is
// false at the end of the stream.
func (s *scanner) peek() (byte, bool) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r', '\n':
				s.pos++
			case 0xEF:
				if s.end-s.pos >= 3 && s.buf[s.pos+1] == 0xBB && s.buf[s.pos+2] == 0xBF {
					s.pos += 3
					continue
				}
				if s.end-s.pos < 3 && !s.eof {
					goto more
				}
				return c, true
			default:
				return c, true
			}
		}
	more:
		if _, ok := s.fill(s.pos); !ok {
			return 0, false
		}
	}
}

// value returns the bytes of the value at pos (after peek) and moves past
// it. big is true, with nothing consumed, when the value is longer than
// max; the caller then walks or skips it. The bytes are valid until the
// next call. A value the scanner can tell is broken (a raw line break in
// a string, a line break inside a record of JSON lines, the end of the
// file) is errSyntax with nothing consumed, so that the caller can
// resync from its start.
func (s *scanner) value(max int) (raw []byte, big bool, err error) {
	return s.scan(max, true)
}

// skip moves past the value at pos without holding its bytes, however
// long it is.
func (s *scanner) skip() error {
	_, _, err := s.scan(0, false)
	return err
}

func (s *scanner) scan(max int, hold bool) (raw []byte, big bool, err error) {
	start := s.pos
	i := start
	depth, inStr := 0, false
	first := s.buf[i]
	scalar := first != '{' && first != '[' && first != '"'
	for {
		for i < s.end {
			c := s.buf[i]
			if inStr {
				switch c {
				case '\\':
					if i+1 >= s.end {
						goto more
					}
					if s.buf[i+1] == '\n' {
						return s.broken(start, i+1, hold)
					}
					i += 2
					continue
				case '"':
					inStr = false
					if depth == 0 {
						i++
						goto done
					}
				case '\n':
					// JSON has no raw line break in a string: the
					// record is broken here.
					return s.broken(start, i, hold)
				}
				i++
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth <= 0 {
					if scalar {
						goto done
					}
					i++
					goto done
				}
			case '\n':
				if scalar {
					goto done
				}
				if s.lines && depth > 0 {
					return s.broken(start, i, hold)
				}
			case ' ', '\t', '\r', ',':
				if scalar {
					goto done
				}
			}
			i++
		}
	more:
		if hold && i-start >= max {
			return nil, true, nil
		}
		keep := start
		if !hold {
			keep = i
		}
		shift, ok := s.fill(keep)
		start -= shift
		i -= shift
		if !hold {
			start = i
		}
		if !ok {
			if scalar && i > start {
				goto done
			}
			if s.err != nil {
				return nil, false, s.err
			}
			s.pos = start
			return nil, false, errSyntax
		}
	}
done:
	s.pos = i
	return s.buf[start:i], false, nil
}

// broken reports a broken value found at i: value rewinds to the value's
// start (its bytes are still held), skip to the break, whose bytes before
// are gone.
func (s *scanner) broken(start, i int, hold bool) ([]byte, bool, error) {
	if hold {
		s.pos = start
	} else {
		s.pos = i
	}
	return nil, false, errSyntax
}

// sniffLines decides, from the head of the stream, whether it is JSON
// lines: its first non-blank line is one object ({"from": "Acme"} on one
// line) and another line follows. In a
// JSON-lines file a line break inside a record means the record is cut
// short, so value reports it broken there instead of reading on into the
// next line.
func (s *scanner) sniffLines() {
	head := s.buf[s.pos:s.end]
	var lines [][]byte
	for len(head) > 0 && len(lines) < 2 {
		line := head
		j := bytes.IndexByte(head, '\n')
		if j < 0 {
			if !s.eof {
				break // the first line is longer than the buffer
			}
			head = nil
		} else {
			line, head = head[:j], head[j+1:]
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			lines = append(lines, line)
		}
	}
	s.lines = len(lines) == 2 && lines[0][0] == '{' && lines[0][len(lines[0])-1] == '}'
}

// resync moves from just past pos to the next place a record can start: a
// '{' that begins a line (JSON lines, a pretty-printed array) or that
// follows "}," (a minified array). It reports false at the end of the
// stream.
func (s *scanner) resync() bool {
	var prev, prev2 byte = 0, 0
	if s.pos < s.end && s.buf[s.pos] == '\n' {
		prev = '\n' // skip stopped at a line break: the next line may start a record
	}
	s.pos++
	for {
		for ; s.pos < s.end; s.pos++ {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r':
			case '\n':
				prev, prev2 = '\n', prev
			case '{':
				if prev == '\n' || prev == ',' && prev2 == '}' {
					return true
				}
				prev, prev2 = c, prev
			default:
				prev, prev2 = c, prev
			}
		}
		if _, ok := s.fill(s.end); !ok {
			return false
		}
	}
}

// bytesScanner scans one value already in memory, without copying it.
func bytesScanner(b []byte) *scanner {
	return &scanner{r: bytes.NewReader(nil), buf: b, end: len(b), eof: true}
}

// flatObject decodes an object whose values are strings, numbers, true,
// false or null into a map, as json.Unmarshal would. ok is false for any
// other shape (nested values, escaped keys, invalid UTF-8, a syntax
// error): the caller then uses encoding/json, which also reports errors.
func flatObject(b []byte) (map[string]any, bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	m := make(map[string]any, 8)
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return m, skipWS(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		j := i + 1
		for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 {
			j++
		}
		if j >= len(b) || b[j] != '"' {
			return nil, false
		}
		key := b[i+1 : j]
		if !utf8.Valid(key) {
			return nil, false
		}
		i = skipWS(b, j+1)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return nil, false
		}
		var v any
		switch c := b[i]; {
		case c == '"':
			j := i + 1
			plain := true
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					plain = false
					j++
				} else if b[j] < 0x20 {
					return nil, false
				}
				j++
			}
			if j >= len(b) {
				return nil, false
			}
			if plain && utf8.Valid(b[i+1:j]) {
				v = string(b[i+1 : j])
			} else {
				var s string
				if err := json.Unmarshal(b[i:j+1], &s); err != nil {
					return nil, false
				}
				v = s
			}
			i = j + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || (b[j] >= '0' && b[j] <= '9')) {
				j++
			}
			if !validNumber(b[i:j]) {
				return nil, false
			}
			f, err := strconv.ParseFloat(string(b[i:j]), 64)
			if err != nil {
				return nil, false
			}
			v, i = f, j
		case bytes.HasPrefix(b[i:], []byte("true")):
			v, i = true, i+4
		case bytes.HasPrefix(b[i:], []byte("false")):
			v, i = false, i+5
		case bytes.HasPrefix(b[i:], []byte("null")):
			v, i = nil, i+4
		default:
			return nil, false
		}
		m[string(key)] = v
		i = skipWS(b, i)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return m, skipWS(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// validNumber checks JSON number syntax: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
