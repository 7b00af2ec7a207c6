package ioc

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Network finds IPv4 and IPv6 addresses (with an optional CIDR prefix),
// domains, URLs and e-mail addresses, plain or defanged. A URL or an
// e-mail address also yields the domain or address of its host, at the
// host's offsets. It is pure and safe for concurrent use.
type Network struct{}

var _ entity.Detector = Network{}

// Kinds implements entity.Detector.
func (Network) Kinds() []leak.Kind {
	return []leak.Kind{leak.KindIPv4, leak.KindIPv6, leak.KindDomain, leak.KindURL, leak.KindEmail}
}

// Keywords implements entity.Detector: every network indicator has a dot
// or a colon (IPv6), live or defanged.
func (Network) Keywords() []string { return []string{".", ":", "[dot]", "(dot)"} }

// Detect implements entity.Detector.
func (Network) Detect(text []byte, emit func(entity.Match)) {
	tokens(text, func(t *token) { classify(text, t, emit) })
}

const trimLead = ".-_:/@%?=&#+~]"
const trimTrail = ".-_:@%?=&#+~[/"

func classify(text []byte, t *token, emit func(entity.Match)) {
	a, b := 0, len(t.live)
	for a < b && strings.IndexByte(trimLead, t.live[a]) >= 0 {
		a++
	}
	if a >= b {
		return
	}
	if i := bytes.Index(t.live[a:b], []byte("://")); i > 0 {
		if url(text, t, a, b, a+i, emit) {
			return
		}
	}
	for b > a && strings.IndexByte(trimTrail, t.live[b-1]) >= 0 {
		b--
	}
	if a >= b {
		return
	}
	if bytes.IndexByte(t.live[a:b], '@') >= 0 {
		emails(text, t, a, b, emit)
		return
	}
	hosts(text, t, a, b, emit)
}

// schemes maps the schemes read, defanged ones included, to their live form.
var schemes = map[string]string{
	"http": "http", "https": "https", "hxxp": "http", "hxxps": "https", "hxp": "http", "hxps": "https",
	"ftp": "ftp", "ftps": "ftps", "fxp": "ftp", "sftp": "sftp", "ws": "ws", "wss": "wss",
	"smb": "smb", "ssh": "ssh", "rdp": "rdp", "ldap": "ldap", "ldaps": "ldaps", "git": "git",
	"tcp": "tcp", "udp": "udp", "socks5": "socks5", "rtsp": "rtsp",
}

// url handles a token with "://" at live index sep. It reports whether a
// URL was emitted.
func url(text []byte, t *token, a, b, sep int, emit func(entity.Match)) bool {
	s := sep
	for s > a && isAlpha(t.live[s-1]) {
		s--
	}
	scheme, ok := schemes[strings.ToLower(string(t.live[s:sep]))]
	if !ok {
		return false
	}
	e := b
	// Trim trailing punctuation and unbalanced closing brackets.
	for e > sep+3 {
		c := t.live[e-1]
		if strings.IndexByte(".,;:!?'\"-_", c) >= 0 ||
			c == ')' && bytes.Count(t.live[s:e], []byte("(")) < bytes.Count(t.live[s:e], []byte(")")) ||
			c == ']' && bytes.Count(t.live[s:e], []byte("[")) < bytes.Count(t.live[s:e], []byte("]")) {
			e--
			continue
		}
		break
	}
	hs := sep + 3
	he := hs
	for he < e && strings.IndexByte("/?#", t.live[he]) < 0 {
		he++
	}
	if at := bytes.LastIndexByte(t.live[hs:he], '@'); at >= 0 {
		hs += at + 1
	}
	if hs >= he {
		return false
	}
	if !host(text, t, hs, he, emit) {
		return false
	}
	start, end := t.offset(s, e)
	norm := scheme + "://" + strings.ToLower(string(t.live[sep+3:he])) + string(t.live[he:e])
	emit(entity.Match{Kind: leak.KindURL, Value: string(text[start:end]), Norm: norm, Start: start, End: end})
	return true
}

// host emits the host in live[a:b] (optionally with a port or, for
// addresses, a CIDR prefix) and reports whether it was one.
func host(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	h := t.live[a:b]
	if len(h) > 0 && h[0] == '[' {
		if i := bytes.IndexByte(h, ']'); i > 0 {
			return ipv6(text, t, a+1, a+i, emit)
		}
		return false
	}
	// Strip a port.
	if i := bytes.LastIndexByte(h, ':'); i > 0 && bytes.Count(h, []byte(":")) == 1 && allDigits(h[i+1:]) {
		b = a + i
		h = h[:i]
	}
	if bytes.Count(h, []byte(":")) >= 2 {
		return ipv6(text, t, a, b, emit)
	}
	if ipv4At(text, t, a, b, emit) {
		return true
	}
	return domain(text, t, a, b, emit)
}

// hosts handles a token that is neither URL nor e-mail: addresses with
// CIDR or port, IP ranges (a-b), or a domain with an optional port or path.
func hosts(text []byte, t *token, a, b int, emit func(entity.Match)) {
	h := t.live[a:b]
	if h[0] == '[' || bytes.Count(h, []byte(":")) >= 2 && !bytes.Contains(h, []byte("/")) || isIPv6CIDR(h) {
		e := b
		if h[0] == '[' {
			if i := bytes.IndexByte(h, ']'); i > 0 {
				ipv6(text, t, a+1, a+i, emit)
			}
			return
		}
		ipv6(text, t, a, e, emit)
		return
	}
	if ipv4s(text, t, a, b, emit) {
		return
	}
	e := a
	for e < b && strings.IndexByte("/?#", t.live[e]) < 0 {
		e++
	}
	hb := e
	if i := bytes.LastIndexByte(t.live[a:e], ':'); i > 0 && allDigits(t.live[a+i+1:e]) {
		hb = a + i
	}
	if bytes.IndexByte(t.live[a:hb], ':') >= 0 {
		return
	}
	domain(text, t, a, hb, emit)
}

func isIPv6CIDR(h []byte) bool {
	i := bytes.IndexByte(h, '/')
	return i > 0 && bytes.Count(h[:i], []byte(":")) >= 2
}

// ipv4s finds every dotted quad in live[a:b], each with an optional /n
// prefix, and reports whether it found one.
func ipv4s(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	found := false
	for i := a; i < b; i++ {
		if !isDigit(t.live[i]) || i > a && (isAlnum(t.live[i-1]) || t.live[i-1] == '.') {
			continue
		}
		if n := ipv4Len(t.live[i:b]); n > 0 {
			emitIPv4(text, t, i, i+n, emit)
			found = true
			i += n
		}
	}
	return found
}

// ipv4At emits live[a:b] if it is exactly an IPv4 address.
func ipv4At(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	if ipv4Len(t.live[a:b]) != b-a {
		return false
	}
	return emitIPv4(text, t, a, b, emit)
}

// ipv4Len returns the length of the dotted quad (with /n) at the start of
// s, or 0. The quad must not continue with another ".digit" or a digit.
func ipv4Len(s []byte) int {
	i, groups := 0, 0
	for groups < 4 {
		j := i
		for j < len(s) && j-i < 4 && isDigit(s[j]) {
			j++
		}
		if j == i || j-i > 3 {
			return 0
		}
		groups++
		i = j
		if groups < 4 {
			if i >= len(s) || s[i] != '.' {
				return 0
			}
			i++
		}
	}
	if i < len(s) && (isAlnum(s[i]) || s[i] == '.' && i+1 < len(s) && isDigit(s[i+1])) {
		return 0
	}
	if i+1 < len(s) && s[i] == '/' && isDigit(s[i+1]) {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if n, err := strconv.Atoi(string(s[i+1 : j])); err == nil && n <= 32 && j-i <= 3 && (j == len(s) || !isAlnum(s[j])) {
			i = j
		}
	}
	return i
}

func emitIPv4(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	s := string(t.live[a:b])
	addr, bits := s, -1
	if i := strings.IndexByte(s, '/'); i >= 0 {
		addr = s[:i]
		bits, _ = strconv.Atoi(s[i+1:])
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return false
	}
	start, end := t.offset(a, b)
	if versionBefore(text, start) {
		return false
	}
	norm := ip.String()
	if bits >= 0 {
		norm = netip.PrefixFrom(ip, bits).String()
	}
	emit(entity.Match{Kind: leak.KindIPv4, Value: string(text[start:end]), Norm: norm, Start: start, End: end})
	return true
}

// versionBefore reports whether the text before off says that what follows
// is a version number.
func versionBefore(text []byte, off int) bool {
	lo := max(0, off-16)
	p := bytes.ToLower(bytes.TrimRight(text[lo:off], " :：=\t"))
	for _, w := range [][]byte{[]byte("version"), []byte("ver"), []byte("ver."), []byte("v"), []byte("build"), []byte("firmware"), []byte("版本"), []byte("版本号"), []byte("release")} {
		if bytes.HasSuffix(p, w) {
			// "v" must not be the end of a longer word ("dev 1.2.3.4" is fine
			// to reject too, but "nav1.2" never reaches here).
			return true
		}
	}
	return false
}

func ipv6(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	s := string(t.live[a:b])
	bits := -1
	if i := strings.IndexByte(s, '/'); i >= 0 {
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n > 128 {
			return false
		}
		bits, s = n, s[:i]
	}
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	if strings.Count(s, ":") < 2 {
		return false
	}
	ip, err := netip.ParseAddr(s)
	if err != nil || !ip.Is6() || ip.IsUnspecified() {
		return false
	}
	// "::1" and "a::b" are too short to be sure of; a real address has at
	// least three groups or a digit-bearing pair around "::".
	groups := 0
	for g := range strings.SplitSeq(s, ":") {
		if g != "" {
			groups++
		}
	}
	if groups < 3 && !ip.IsLoopback() && bits < 0 {
		return false
	}
	start, end := t.offset(a, b)
	norm := ip.String()
	if bits >= 0 {
		norm = netip.PrefixFrom(ip, bits).String()
	}
	emit(entity.Match{Kind: leak.KindIPv6, Value: string(text[start:end]), Norm: norm, Start: start, End: end})
	return true
}

// emails emits every local@domain in live[a:b], with its domain.
func emails(text []byte, t *token, a, b int, emit func(entity.Match)) {
	for i := a; i < b; i++ {
		if t.live[i] != '@' {
			continue
		}
		l := i
		for l > a && isLocalByte(t.live[l-1]) {
			l--
		}
		for l < i && t.live[l] == '.' {
			l++
		}
		e := i + 1
		for e < b && (isAlnum(t.live[e]) || t.live[e] == '.' || t.live[e] == '-') {
			e++
		}
		for e > i+1 && (t.live[e-1] == '.' || t.live[e-1] == '-') {
			e--
		}
		if l == i || e == i+1 || t.live[i-1] == '.' {
			continue
		}
		d := strings.ToLower(string(t.live[i+1 : e]))
		if !isDomain(d, string(t.live[i+1:e])) {
			continue
		}
		ds, de := t.offset(i+1, e)
		start, end := t.offset(l, e)
		emit(entity.Match{Kind: leak.KindEmail, Value: string(text[start:end]), Norm: strings.ToLower(string(t.live[l:e])), Start: start, End: end})
		emit(entity.Match{Kind: leak.KindDomain, Value: string(text[ds:de]), Norm: d, Start: ds, End: de})
		i = e - 1
	}
}

func isLocalByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}

func domain(text []byte, t *token, a, b int, emit func(entity.Match)) bool {
	if a >= b {
		return false
	}
	raw := string(t.live[a:b])
	d := strings.ToLower(raw)
	if !isDomain(d, raw) {
		return false
	}
	start, end := t.offset(a, b)
	emit(entity.Match{Kind: leak.KindDomain, Value: string(text[start:end]), Norm: d, Start: start, End: end})
	return true
}

// special are top-level names outside the public suffix list that are
// still domains in leaked material: RFC 2606/6761 names and onion.
var special = map[string]bool{"test": true, "example": true, "invalid": true, "localhost": true, "onion": true, "local": true, "internal": true, "lan": true, "corp": true, "intranet": true}

// fileExt are extensions of common files that are also top-level domains;
// a two-label name ending in one is a file name (setup.sh, readme.md).
var fileExt = map[string]bool{
	"zip": true, "mov": true, "sh": true, "py": true, "md": true, "pl": true, "rs": true, "ps": true,
	"so": true, "cc": true, "ai": true, "cs": true, "bz": true, "gz": false, "tk": false, "ms": true,
	"mp": true, "rar": true, "cat": false, "txt": true, "doc": true, "docx": true, "pdf": true,
	"exe": true, "dll": true, "bat": true, "ini": true, "log": true, "bin": true, "dat": true, "jpg": true,
	"png": true, "json": true, "xml": true, "csv": true, "htm": true, "html": true, "php": true, "asp": true,
	"aspx": true, "jsp": true, "js": true, "go": true, "rb": true, "java": true, "class": true, "jar": true,
	"xls": true, "xlsx": true, "ppt": true, "pptx": true, "eml": true, "msg": true, "apk": true, "ipa": true,
	"pm": true, "sc": true, "vc": true, "nu": true, "bak": true, "tmp": true, "img": true, "iso": true,
}

// isDomain reports whether d (lower-case; raw as written) is a domain name.
func isDomain(d, raw string) bool {
	if len(d) < 4 || len(d) > 253 || strings.Count(d, ".") < 1 {
		return false
	}
	labels := strings.Split(d, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || !strings.HasPrefix(tld, "xn--") && !allAlpha(tld) {
		return false
	}
	if len(labels) == 2 && fileExt[tld] {
		return false
	}
	// "done.Next" is a sentence, not a domain.
	rl := raw[strings.LastIndexByte(raw, '.')+1:]
	if len(rl) > 1 && 'A' <= rl[0] && rl[0] <= 'Z' && strings.ToLower(rl[1:]) == rl[1:] && raw[0] >= 'a' {
		return false
	}
	if !special[tld] {
		suffix, icann := publicsuffix.PublicSuffix(d)
		if !icann && !strings.Contains(suffix, ".") {
			return false
		}
		if len(d) <= len(suffix)+1 {
			return false
		}
		if len(labels) == 2 && fileExt[labels[1]] {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func allDigits(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func allAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) {
			return false
		}
	}
	return true
}
