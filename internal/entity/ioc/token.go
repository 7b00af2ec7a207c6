package ioc

import "bytes"

// defangs are the defanged spellings read inside an indicator, with the
// live text each stands for.
var defangs = []struct{ form, live string }{
	{"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."}, {"(dot)", "."}, {"[DOT]", "."},
	{"[@]", "@"}, {"(@)", "@"}, {"[at]", "@"}, {"(at)", "@"}, {"[AT]", "@"},
	{"[:]", ":"}, {"[://]", "://"}, {"[/]", "/"},
}

// defangAt returns the length of the defanged form starting at text[i] and
// its live text, or 0.
func defangAt(text []byte, i int) (int, string) {
	c := text[i]
	if c != '[' && c != '(' && c != '{' {
		return 0, ""
	}
	for _, d := range defangs {
		if bytes.HasPrefix(text[i:], []byte(d.form)) {
			return len(d.form), d.live
		}
	}
	return 0, ""
}

// tokenByte reports whether c can be part of an indicator token.
func tokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '.', '-', '_', ':', '/', '@', '%', '?', '=', '&', '#', '+', '~', '[', ']':
		return true
	}
	return false
}

// urlByte reports whether c can continue a URL once its scheme is seen.
func urlByte(c byte) bool {
	if tokenByte(c) {
		return true
	}
	switch c {
	case '!', '$', '\'', '(', ')', '*', ',', ';':
		return true
	}
	return false
}

// token is one run of indicator bytes with defanged forms replaced by
// their live text. live[k] came from the text at pos[k]; pos has one more
// entry than live, the end of the token, so live[a:b] was written at
// text[pos[a]:pos[b]].
type token struct {
	start, end int // in the text
	live       []byte
	pos        []int
}

// offset maps the live range [a, b) to text offsets.
func (t *token) offset(a, b int) (int, int) { return t.pos[a], t.pos[b] }

// tokens calls fn for every token in text.
func tokens(text []byte, fn func(*token)) {
	var t token
	for i := 0; i < len(text); {
		if !tokenByte(text[i]) {
			if n, _ := defangAt(text, i); n == 0 {
				i++
				continue
			}
		}
		t.start = i
		t.live = t.live[:0]
		t.pos = t.pos[:0]
		urlish := false
		for i < len(text) {
			if n, live := defangAt(text, i); n > 0 {
				for k := 0; k < len(live); k++ {
					t.live = append(t.live, live[k])
					t.pos = append(t.pos, i)
				}
				i += n
				continue
			}
			c := text[i]
			if !tokenByte(c) && !(urlish && urlByte(c)) {
				break
			}
			t.live = append(t.live, c)
			t.pos = append(t.pos, i)
			i++
			if c == '/' && !urlish && bytes.HasSuffix(t.live, []byte("://")) {
				urlish = true
			}
		}
		t.end = i
		t.pos = append(t.pos, i)
		if len(t.live) > 0 {
			fn(&t)
		}
	}
}
