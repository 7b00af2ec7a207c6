package findings

import (
	"regexp"
	"strings"
)

// Role is what an indicator is to the case. The values are stored and
// exported, so they never change.
type Role string

const (
	RoleAttacker Role = "attacker-infrastructure" // a C2, relay or exfiltration server the actor runs
	RolePhishing Role = "phishing"                // a lure domain, page or sender address
	RoleVictim   Role = "victim-asset"            // a target's address, domain or server
	RoleOwn      Role = "contractor-own"          // the contractor's staff, office or company domain
	RoleCustomer Role = "customer"                // a client of the contractor (who paid for the work)
	RolePartner  Role = "partner"                 // a partner or supplier of the contractor
	RoleUnknown  Role = "unknown"
)

// Roles lists every role, in the order reports show them.
var Roles = []Role{RoleAttacker, RolePhishing, RoleVictim, RoleOwn, RoleCustomer, RolePartner, RoleUnknown}

// Detectable says whether a defender should alert on an indicator of
// this role: the actor's infrastructure, phishing included. Only these
// become STIX indicators and MISP to_ids attributes.
func (r Role) Detectable() bool { return r == RoleAttacker || r == RolePhishing }

// Purpose is what attacker infrastructure is for, in the words of the
// STIX infrastructure-type vocabulary.
type Purpose string

const (
	PurposeC2           Purpose = "command-and-control"
	PurposeExfiltration Purpose = "exfiltration"
	PurposeRelay        Purpose = "anonymization"
	PurposePhishing     Purpose = "phishing"
	PurposeMalware      Purpose = "hosting-malware"
	PurposeRecon        Purpose = "reconnaissance"
)

// Mention is one entity mention of a document: its kind (leak.Kind
// values), its normalised value and its byte offsets in Doc.Text.
type Mention struct {
	Kind       string
	Value      string
	Start, End int
}

// Doc is one document as Observe reads it.
type Doc struct {
	Path     string
	MIME     string
	Text     string
	Mentions []Mention
}

// Knowledge is what the case already knows that the rules use: the
// names and aliases of its targets (from the target register).
type Knowledge struct {
	Targets []string
}

// Params are the thresholds of the rules. The zero value means the
// documented defaults.
type Params struct {
	// Window is how many bytes on each side of a mention, within its
	// line, a context word may be; 0 means 48 (about 16 CJK characters
	// or 8 English words).
	Window int
	// SignatureLines is how many lines above a mention a signature
	// marker ("-- ", "Best regards") may be; 0 means 4.
	SignatureLines int
	// HeadBytes is how much of a document's start is its head, searched
	// for a staff directory's column names; 0 means 512.
	HeadBytes int
	// MaxEvidence caps the evidence kept per IOC, technique and tool; 0
	// means 10.
	MaxEvidence int
}

func (p Params) withDefaults() Params {
	if p.Window <= 0 {
		p.Window = 48
	}
	if p.SignatureLines <= 0 {
		p.SignatureLines = 4
	}
	if p.HeadBytes <= 0 {
		p.HeadBytes = 512
	}
	if p.MaxEvidence <= 0 {
		p.MaxEvidence = 10
	}
	return p
}

// Evidence is where a decision was read: the document path, the line
// (trimmed, at most maxSnippet bytes) and the date written on or above
// it ("2021-06-05" or "2021-06"), if any.
type Evidence struct {
	Path    string `json:"path"`
	Snippet string `json:"snippet"`
	Date    string `json:"date,omitempty"`
}

// Vote is one rule's decision about one mention.
type Vote struct {
	Kind     string   `json:"kind"`
	Value    string   `json:"value"`
	Role     Role     `json:"role"`
	Purpose  Purpose  `json:"purpose,omitempty"`
	Rule     string   `json:"rule"`
	Evidence Evidence `json:"evidence"`
}

// TechniqueHit is one piece of evidence for an ATT&CK technique.
type TechniqueHit struct {
	ID       string   `json:"id"`
	Rule     string   `json:"rule"`
	Evidence Evidence `json:"evidence"`
}

// ToolHit is one piece of evidence that an ATT&CK software was used.
type ToolHit struct {
	ID       string   `json:"id"` // S0154
	Rule     string   `json:"rule"`
	Evidence Evidence `json:"evidence"`
}

// Observation is what Observe found in one document.
type Observation struct {
	Votes      []Vote         `json:"votes,omitempty"`
	Techniques []TechniqueHit `json:"techniques,omitempty"`
	Tools      []ToolHit      `json:"tools,omitempty"`
}

// maxSnippet bounds an evidence line, so that a one-line dump does not
// become one huge snippet.
const maxSnippet = 240

// line is one line of a document with its byte range.
type line struct {
	start, end int
}

// docCtx is a document prepared for the rules: its lines and, for each,
// the date written on it or the nearest line above it.
type docCtx struct {
	doc   Doc
	p     Params
	k     Knowledge
	lines []line
	dates []string // per line
	head  string   // lowercased head
	mail  bool
	// isLure caches lure(); lureKnown says it was computed.
	isLure, lureKnown bool
}

func newDocCtx(d Doc, k Knowledge, p Params) *docCtx {
	c := &docCtx{doc: d, p: p, k: k}
	start := 0
	last := ""
	for i := 0; i <= len(d.Text); i++ {
		if i == len(d.Text) || d.Text[i] == '\n' {
			c.lines = append(c.lines, line{start, i})
			if dt := dateIn(d.Text[start:i]); dt != "" {
				last = dt
			}
			c.dates = append(c.dates, last)
			start = i + 1
		}
	}
	h := d.Text
	if len(h) > p.HeadBytes {
		h = h[:p.HeadBytes]
	}
	c.head = strings.ToLower(h)
	c.mail = isMail(d.MIME, d.Text)
	return c
}

// lineOf is the index of the line holding byte offset off.
func (c *docCtx) lineOf(off int) int {
	lo, hi := 0, len(c.lines)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if c.lines[m].start <= off {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

func (c *docCtx) text(l int) string { return c.doc.Text[c.lines[l].start:c.lines[l].end] }

// evidence is the evidence of line l.
func (c *docCtx) evidence(l int) Evidence {
	s := strings.TrimSpace(c.text(l))
	if len(s) > maxSnippet {
		cut := maxSnippet
		for cut > 0 && s[cut]&0xc0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return Evidence{Path: c.doc.Path, Snippet: s, Date: c.dates[l]}
}

// window is the part of the mention's line within p.Window bytes of it,
// lowercased, with the mention itself blanked so that a word inside the
// value ("c2" in a host name) does not count as context.
func (c *docCtx) window(m Mention) string {
	l := c.lines[c.lineOf(m.Start)]
	from, to := max(l.start, m.Start-c.p.Window), min(l.end, m.End+c.p.Window)
	if m.End > l.end {
		to = min(len(c.doc.Text), m.End+c.p.Window)
	}
	before, after := c.doc.Text[from:max(from, m.Start)], c.doc.Text[min(to, m.End):to]
	return strings.ToLower(before + " \x00 " + after)
}

var (
	dateRE   = regexp.MustCompile(`((?:19|20)\d\d)[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?`)
	headerRE = regexp.MustCompile(`(?im)^(from|subject|date|to|message-id):\s`)
)

// dateIn is the first date written in s, as YYYY-MM-DD or YYYY-MM. A
// match glued to a word or a longer number is not a date: "CVE-2017-11882"
// holds no November 2017.
func dateIn(s string) string {
	for _, ix := range dateRE.FindAllStringSubmatchIndex(s, -1) {
		if ix[0] > 0 && isWordByte(s[ix[0]-1]) || ix[1] < len(s) && s[ix[1]] >= '0' && s[ix[1]] <= '9' {
			continue
		}
		// "2023-07 到期" is when a rental ends, not when the line was written.
		if hasPrefixAny(strings.ToLower(strings.TrimSpace(s[ix[1]:])), expiryWords) {
			continue
		}
		m := make([]string, 4)
		for g := range 4 {
			if ix[2*g] >= 0 {
				m[g] = s[ix[2*g]:ix[2*g+1]]
			}
		}
		if d := date(m); d != "" {
			return d
		}
	}
	return ""
}

// expiryWords right after a date make it an expiry date.
var expiryWords = []string{"到期", "过期", "截止", "expir", "due"}

func hasPrefixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '_'
}

// date is a date regexp match as YYYY-MM-DD or YYYY-MM, or "" when the
// month is out of range.
func date(m []string) string {
	mo := pad(m[2])
	if mo < "01" || mo > "12" {
		return ""
	}
	if m[3] == "" {
		return m[1] + "-" + mo
	}
	d := pad(m[3])
	if d < "01" || d > "31" {
		return m[1] + "-" + mo
	}
	return m[1] + "-" + mo + "-" + d
}

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// isMail says whether a document is an e-mail: its MIME type, or at
// least two RFC 5322 header lines in its first kilobyte.
func isMail(mime, text string) bool {
	if mime == "message/rfc822" {
		return true
	}
	if len(text) > 1024 {
		text = text[:1024]
	}
	return len(headerRE.FindAllString(text, 3)) >= 2
}

// containsAny says whether s holds one of the words.
func containsAny(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}
