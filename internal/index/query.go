package index

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Node is a parsed query. The concrete types are And, Or, Not, Term,
// DateRange, YearRange and All.
type Node interface{ node() }

// And matches units matching every child.
type And struct{ Nodes []Node }

// Or matches units matching any child.
type Or struct{ Nodes []Node }

// Not matches units not matching Node.
type Not struct{ Node Node }

// All matches every unit.
type All struct{}

// Term is a word, phrase or pattern, in the default text fields when Field
// is "" or in one field.
type Term struct {
	Field    string // "" (text, translation, title, path), or a field from Fields
	Value    string
	Phrase   bool // written in quotes
	Wildcard bool // contains * or ? outside quotes
}

// DateRange matches units whose Date falls in [From, To) (either may be
// zero for an open end).
type DateRange struct{ From, To time.Time }

// YearRange matches units whose Year is in [From, To] (0 for an open end).
type YearRange struct{ From, To int }

func (And) node()       {}
func (Or) node()        {}
func (Not) node()       {}
func (All) node()       {}
func (Term) node()      {}
func (DateRange) node() {}
func (YearRange) node() {}

// Fields are the field names the query language knows. Text fields are
// analysed; the others match whole values.
var Fields = map[string]bool{
	"text": true, "translation": true, "title": true, // analysed
	"path": false, "lang": false, "type": false, "mime": false, "sender": false,
	"entity": false, "country": false, "year": false, "date": false,
	"kind": false, "conversation": false, "id": false,
}

func isFilterField(f string) bool {
	analysed, ok := Fields[f]
	return ok && !analysed && f != "date"
}

// ParseOptions carry what the query language needs from the layers above
// the index: a word segmenter and the case's sender aliases. The zero
// value parses without either.
type ParseOptions struct {
	// Words cuts a run of text into words (internal/lang's segmenter).
	// An unquoted term holding CJK characters becomes the AND of its
	// words, so that a made-up 德国明湖大学 finds a text that writes 德国 and
	// 明湖大学 apart; in quotes it stays one phrase. Nil keeps each term one
	// phrase.
	Words func(text string) []string
	// Senders returns every name a sender: value stands for (the
	// person's name, nicks and handles), so that sender:acme_ops finds
	// the messages stored under the person "Acme Ops"; nil or an empty
	// answer matches the value as written.
	Senders func(value string) []string
}

// Parse parses the user query language without segmenter or sender
// aliases. The empty query is All.
func Parse(text string) (Node, error) { return ParseWith(text, ParseOptions{}) }

// ParseWith parses the user query language with o. The empty query is All.
func ParseWith(text string, o ParseOptions) (Node, error) {
	if len(text) > MaxQueryLen {
		return nil, &QueryError{Pos: -1, Msg: "query longer than " + strconv.Itoa(MaxQueryLen) + " bytes"}
	}
	if !utf8.ValidString(text) {
		return nil, &QueryError{Pos: -1, Msg: "query is not valid UTF-8"}
	}
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{text: text, toks: toks, opts: o}
	if len(toks) == 0 {
		return All{}, nil
	}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, p.errf(t.pos, "unexpected "+describe(t))
	}
	return n, nil
}

// FilterNode turns Query.Filters into a node: each value is parsed as if
// written field:value, values of one field are ORed, fields are ANDed.
func FilterNode(filters map[string][]string) (Node, error) {
	var and And
	for _, f := range sortedKeys(filters) {
		if !isFilterField(f) {
			return nil, &QueryError{Pos: -1, Msg: "unknown filter " + quote(f)}
		}
		var or Or
		for _, v := range filters[f] {
			n, err := fieldNode(f, v, false, -1, "")
			if err != nil {
				return nil, err
			}
			or.Nodes = append(or.Nodes, n)
		}
		if len(or.Nodes) > 0 {
			and.Nodes = append(and.Nodes, or)
		}
	}
	if len(and.Nodes) == 0 {
		return nil, nil
	}
	return and, nil
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

type tokKind int

const (
	tWord tokKind = iota
	tLParen
	tRParen
	tAnd
	tOr
	tNot
)

type token struct {
	kind   tokKind
	pos    int
	prefix byte   // '+', '-' or 0
	field  string // before ':'
	value  string
	quoted bool
}

func describe(t token) string {
	switch t.kind {
	case tLParen:
		return `"("`
	case tRParen:
		return `")"`
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNot:
		return "NOT"
	}
	return quote(t.value)
}

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			continue
		case r == '(':
			toks = append(toks, token{kind: tLParen, pos: i})
			i++
			continue
		case r == ')':
			toks = append(toks, token{kind: tRParen, pos: i})
			i++
			continue
		}
		start := i
		t := token{kind: tWord, pos: i}
		if (s[i] == '+' || s[i] == '-') && i+1 < len(s) && !isSpaceByte(s[i+1]) {
			t.prefix = s[i]
			i++
		}
		if i < len(s) && s[i] == '"' {
			v, n, err := quoted(s, i)
			if err != nil {
				return nil, err
			}
			t.value, t.quoted = v, true
			i = n
			toks = append(toks, t)
			continue
		}
		// A bare word runs to white space or a parenthesis; a field prefix
		// may be followed by a quoted phrase.
		w := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) || r == '(' || r == ')' {
				break
			}
			if r == ':' && t.field == "" {
				name := strings.ToLower(s[w:i])
				if _, ok := Fields[name]; ok {
					t.field = name
					i++
					if i < len(s) && s[i] == '"' {
						v, n, err := quoted(s, i)
						if err != nil {
							return nil, err
						}
						t.value, t.quoted = v, true
						i = n
						break
					}
					w = i
					continue
				}
			}
			if r == '"' {
				return nil, &QueryError{Query: s, Pos: i, Msg: "quote inside a word"}
			}
			i += size
		}
		if !t.quoted {
			t.value = s[w:i]
		}
		if t.prefix == 0 && t.field == "" && !t.quoted {
			switch t.value {
			case "AND", "&&":
				t.kind = tAnd
			case "OR", "||":
				t.kind = tOr
			case "NOT", "!":
				t.kind = tNot
			}
		}
		if t.kind == tWord && t.field != "" && t.value == "" && !t.quoted {
			return nil, &QueryError{Query: s, Pos: start, Msg: "field " + t.field + ": needs a value"}
		}
		toks = append(toks, t)
	}
	return toks, nil
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// quoted reads a "..." phrase starting at s[i] == '"'; \" and \\ escape.
func quoted(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if j+1 < len(s) {
				j++
				b.WriteByte(s[j])
			}
		case '"':
			return b.String(), j + 1, nil
		default:
			b.WriteByte(s[j])
		}
	}
	return "", 0, &QueryError{Query: s, Pos: i, Msg: "unclosed quote"}
}

type parser struct {
	text  string
	toks  []token
	i     int
	depth int
	opts  ParseOptions
}

func (p *parser) errf(pos int, msg string) error {
	return &QueryError{Query: p.text, Pos: pos, Msg: msg}
}

func (p *parser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

func (p *parser) or(pos int) (Node, error) {
	first, err := p.and(pos)
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tOr {
			break
		}
		p.i++
		n, err := p.and(t.pos)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 1 {
		return first, nil
	}
	return Or{Nodes: nodes}, nil
}

func (p *parser) and(pos int) (Node, error) {
	var nodes []Node
	for {
		t, ok := p.peek()
		if !ok || t.kind == tOr || t.kind == tRParen {
			break
		}
		if t.kind == tAnd {
			if len(nodes) == 0 {
				return nil, p.errf(t.pos, "AND needs a term before it")
			}
			p.i++
			t2, ok := p.peek()
			if !ok || t2.kind == tOr || t2.kind == tRParen || t2.kind == tAnd {
				return nil, p.errf(t.pos, "AND needs a term after it")
			}
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 0 {
		if t, ok := p.peek(); ok {
			return nil, p.errf(t.pos, "missing term before "+describe(t))
		}
		return nil, p.errf(len(p.text), "missing term at the end")
	}
	if len(nodes) == 1 {
		if _, neg := nodes[0].(Not); !neg {
			return nodes[0], nil
		}
	}
	return And{Nodes: nodes}, nil
}

func (p *parser) unary() (Node, error) {
	t, _ := p.peek()
	switch t.kind {
	case tNot:
		p.i++
		if _, ok := p.peek(); !ok {
			return nil, p.errf(t.pos, "NOT needs a term after it")
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return Not{Node: n}, nil
	case tLParen:
		p.i++
		p.depth++
		if p.depth > 32 {
			return nil, p.errf(t.pos, "parentheses nested too deep")
		}
		n, err := p.or(t.pos)
		if err != nil {
			return nil, err
		}
		c, ok := p.peek()
		if !ok || c.kind != tRParen {
			return nil, p.errf(t.pos, "unclosed parenthesis")
		}
		p.i++
		p.depth--
		return n, nil
	case tRParen:
		return nil, p.errf(t.pos, `unexpected ")"`)
	}
	p.i++
	n, err := p.wordNode(t)
	if err != nil {
		return nil, err
	}
	if t.prefix == '-' {
		return Not{Node: n}, nil
	}
	return n, nil
}

func (p *parser) wordNode(t token) (Node, error) {
	if t.field == "" && !t.quoted {
		if err := p.checkWord(t); err != nil {
			return nil, err
		}
	}
	var n Node
	if t.field != "" {
		var err error
		if n, err = fieldNode(t.field, t.value, t.quoted, t.pos, p.text); err != nil {
			return nil, err
		}
	} else {
		n = Term{Value: t.value, Phrase: t.quoted, Wildcard: !t.quoted && hasWildcard(t.value)}
	}
	term, ok := n.(Term)
	if !ok {
		return n, nil
	}
	switch {
	case term.Field == "sender" && !term.Wildcard && p.opts.Senders != nil:
		return senderNode(term, p.opts.Senders(term.Value)), nil
	case IsTextField(term.Field) && !term.Phrase && !term.Wildcard && p.opts.Words != nil && hasCJK(term.Value):
		return segmented(term, p.opts.Words), nil
	}
	return n, nil
}

// checkWord rejects a bare word that looks like syntax the language does
// not have, rather than searching for it as text and finding nothing: an
// unknown field (frm:acme), and the fuzzy (acme~2), boost (acme^2) and
// bracket range ([2020 TO 2021]) operators of other engines.
func (p *parser) checkWord(t token) error {
	v := t.value
	if name, rest, ok := strings.Cut(v, ":"); ok && isFieldName(name) && !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, `\`) {
		return p.errf(t.pos, "unknown field "+quote(name)+" (fields: "+strings.Join(FieldNames(), ", ")+
			"; an entity is written entity:kind:value)")
	}
	switch {
	case strings.HasPrefix(v, "[") || strings.HasPrefix(v, "{"):
		return p.errf(t.pos, "bracket ranges are not supported: write date:A..B or year:A..B")
	case fuzzyOrBoost(v, '~'):
		return p.errf(t.pos, "fuzzy matching (~) is not supported: use a wildcard (* or ?)")
	case fuzzyOrBoost(v, '^'):
		return p.errf(t.pos, "boosts (^) are not supported")
	}
	return nil
}

// isFieldName reports whether s has the form of a field name: an ASCII
// letter, then letters, digits and underscores (so 12:30 is a word, and
// frm: and md5: are fields). A path or URL after the colon (C:\x,
// http://x) keeps the word a word; the caller checks that.
func isFieldName(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// fuzzyOrBoost reports whether w ends in op, optionally followed by a
// number (acme~, acme~2, acme^0.5), after at least one other character.
func fuzzyOrBoost(w string, op byte) bool {
	i := strings.LastIndexByte(w, op)
	if i <= 0 {
		return false
	}
	for _, c := range []byte(w[i+1:]) {
		if !('0' <= c && c <= '9' || c == '.') {
			return false
		}
	}
	return true
}

// FieldNames lists the fields of the query language, sorted.
func FieldNames() []string {
	names := make([]string, 0, len(Fields))
	for f := range Fields {
		names = append(names, f)
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && names[j] < names[j-1]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

// IsTextField reports whether a Term's field is searched as analysed
// text: "" (every text field), text, translation or title.
func IsTextField(f string) bool { return f == "" || f == "text" || f == "translation" || f == "title" }

// senderNode matches the sender as written or under any of its aliases.
func senderNode(t Term, aliases []string) Node {
	or := Or{Nodes: []Node{t}}
	seen := map[string]bool{t.Value: true}
	for _, a := range aliases {
		if a = strings.TrimSpace(a); a != "" && !seen[a] {
			seen[a] = true
			or.Nodes = append(or.Nodes, Term{Field: t.Field, Value: a})
		}
	}
	if len(or.Nodes) == 1 {
		return t
	}
	return or
}

// segmented is t cut into words and ANDed. A one-character CJK word is
// kept glued to its neighbour (of 在 明湖 the 在 goes with 明湖), since a
// single character matches far too much on its own.
func segmented(t Term, words func(string) []string) Node {
	var ws []string
	for _, w := range words(t.Value) {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		if n := len(ws); n > 0 && (isOneCJK(w) || isOneCJK(ws[n-1])) {
			ws[n-1] += w
			continue
		}
		ws = append(ws, w)
	}
	if len(ws) < 2 {
		return t
	}
	and := And{Nodes: make([]Node, 0, len(ws))}
	for _, w := range ws {
		and.Nodes = append(and.Nodes, Term{Field: t.Field, Value: w})
	}
	return and
}

func isOneCJK(w string) bool { return utf8.RuneCountInString(w) == 1 && hasCJK(w) }

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)) {
			return true
		}
	}
	return false
}

// Relax turns a query that found nothing into its ranked OR fallback: the
// text terms of the top-level AND (and of the words a CJK term was cut
// into) become alternatives, while filters, exclusions and dates still
// apply. It reports false when n has fewer than two text terms, where an
// OR would be the same query.
func Relax(n Node) (Node, bool) {
	var must, should []Node
	var walk func(Node)
	walk = func(n Node) {
		switch c := n.(type) {
		case And:
			for _, x := range c.Nodes {
				walk(x)
			}
		case Term:
			if IsTextField(c.Field) {
				should = append(should, c)
			} else {
				must = append(must, c)
			}
		default:
			must = append(must, c)
		}
	}
	if _, ok := n.(And); !ok {
		return n, false
	}
	walk(n)
	if len(should) < 2 {
		return n, false
	}
	return And{Nodes: append(must, Or{Nodes: should})}, true
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// fieldNode builds the node of field:value. pos and text locate errors.
func fieldNode(field, value string, quoted bool, pos int, text string) (Node, error) {
	bad := func(msg string) error { return &QueryError{Query: text, Pos: pos, Msg: field + ": " + msg} }
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, bad("needs a value")
	}
	switch field {
	case "date":
		return dateNode(value, bad)
	case "year":
		return yearNode(value, bad)
	case "text", "translation", "title":
		return Term{Field: field, Value: value, Phrase: quoted, Wildcard: !quoted && hasWildcard(value)}, nil
	}
	if op, _ := splitOp(value); op != "" {
		return nil, bad("ranges work only on date and year")
	}
	return Term{Field: field, Value: value, Phrase: quoted, Wildcard: !quoted && hasWildcard(value)}, nil
}

func splitOp(v string) (string, string) {
	for _, op := range []string{">=", "<=", ">", "<"} {
		if strings.HasPrefix(v, op) {
			return op, strings.TrimSpace(v[len(op):])
		}
	}
	return "", v
}

// parseDate reads 2021, 2021-06 or 2021-06-03 and returns the start of that
// period and the start of the next one.
func parseDate(s string) (time.Time, time.Time, bool) {
	for _, l := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(l.layout, s); err == nil {
			if t.Year() < 1700 || t.Year() > 2200 {
				return time.Time{}, time.Time{}, false
			}
			return t, l.next(t), true
		}
	}
	return time.Time{}, time.Time{}, false
}

func dateNode(v string, bad func(string) error) (Node, error) {
	if a, b, ok := strings.Cut(v, ".."); ok {
		from, _, ok1 := parseDate(a)
		_, to, ok2 := parseDate(b)
		if (a != "" && !ok1) || (b != "" && !ok2) || (a == "" && b == "") {
			return nil, bad("want date:YYYY[-MM[-DD]]..YYYY[-MM[-DD]]")
		}
		if a != "" && b != "" && !from.Before(to) {
			return nil, bad("empty date range")
		}
		return DateRange{From: from, To: to}, nil
	}
	op, rest := splitOp(v)
	start, next, ok := parseDate(rest)
	if !ok {
		return nil, bad("want a date YYYY, YYYY-MM or YYYY-MM-DD")
	}
	switch op {
	case ">=":
		return DateRange{From: start}, nil
	case ">":
		return DateRange{From: next}, nil
	case "<":
		return DateRange{To: start}, nil
	case "<=":
		return DateRange{To: next}, nil
	}
	return DateRange{From: start, To: next}, nil
}

func yearNode(v string, bad func(string) error) (Node, error) {
	year := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 1 && n <= 9999
	}
	if a, b, ok := strings.Cut(v, ".."); ok {
		from, ok1 := year(a)
		to, ok2 := year(b)
		if (a != "" && !ok1) || (b != "" && !ok2) || (a == "" && b == "") {
			return nil, bad("want year:YYYY..YYYY")
		}
		return YearRange{From: from, To: to}, nil
	}
	op, rest := splitOp(v)
	y, ok := year(rest)
	if !ok {
		return nil, bad("want a year YYYY")
	}
	switch op {
	case ">=":
		return YearRange{From: y}, nil
	case ">":
		return YearRange{From: y + 1}, nil
	case "<":
		return YearRange{To: y - 1}, nil
	case "<=":
		return YearRange{To: y}, nil
	}
	return YearRange{From: y, To: y}, nil
}
