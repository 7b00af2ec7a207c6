package people

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"

	"github.com/leakscope/leakscope/internal/chat"
)

// Person is one human, with every string the sources use for them.
type Person struct {
	Name      string   // the real name when known, else the most used alias
	Aliases   []string // every other sender/recipient string, handle and e-mail mapped to them, sorted
	Messages  int      // non-system messages sent
	First     time.Time
	Last      time.Time
	ByHour    [24]int // messages by hour of day, in the message's own zone
	ByWeekday [7]int  // messages by weekday, Sunday first
}

// Edge is a weighted "talks to" link. To is a person's name, or "#" and
// the group title for a message sent to a group chat: a group message is
// one edge to the group rather than one edge to each member, so that a
// chatty group does not drown the direct conversations in the graph.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// Event is one message in a conversation timeline, with its sender resolved.
type Event struct {
	Time   time.Time
	Person string // resolved sender, "" when unknown
	Index  int    // index in Conversation.Messages
}

// People is the result of Resolve.
type People struct {
	Persons       []*Person
	Conversations []chat.Conversation // the input, with OCR senders that cross-source evidence filled in
	Edges         []Edge              // sorted by count, descending
	// Timelines holds each conversation's events in time order, keyed by
	// conversation ID.
	Timelines map[string][]Event
	byKey     map[string]*Person
	sender    [][]*Person // per conversation, per message: resolved sender
}

// Lookup returns the person a sender or recipient string resolves to.
func (p *People) Lookup(s string) *Person { return p.byKey[key(s)] }

// SenderOf returns the resolved sender of message j of conversation i.
func (p *People) SenderOf(i, j int) *Person { return p.sender[i][j] }

var (
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
)

// simplify maps Traditional to Simplified Chinese so that 鍾經理 and
// 钟经理 are one alias.
func simplify(s string) string {
	t2sOnce.Do(func() { t2s, _ = opencc.New("t2s") })
	if t2s == nil || !hasHan(s) {
		return s
	}
	out, err := t2s.Convert(s)
	if err != nil {
		return s
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// key normalises an alias for lookup.
func key(s string) string {
	return strings.ToLower(strings.TrimSpace(simplify(s)))
}

// resolver holds the persons while Resolve builds them.
type resolver struct {
	persons []*Person
	byKey   map[string]*Person
	named   []*Person // persons with a real (CJK) name, for nickname rules
	// trusted is how many of persons come from the directory and from
	// text and JSON sources; the rest were first seen in OCR.
	trusted int
}

func (r *resolver) add(p *Person, aliases ...string) {
	for _, a := range aliases {
		k := key(a)
		if k == "" {
			continue
		}
		if _, ok := r.byKey[k]; !ok {
			r.byKey[k] = p
		}
		if a != p.Name {
			p.Aliases = appendNew(p.Aliases, a)
		}
	}
}

// Resolve maps every sender and recipient string of convs to one person
// per human, using the directory and the strings themselves as evidence:
// exact names, handles and e-mail addresses (and their local parts),
// Chinese nickname forms of a known name (明远, 强子, 丽丽, 涛哥, 周总, 吴工,
// 小林, 老周, Ann林), a nickname that is the first token of a handle (zxa
// for zxa_0x1), a display name that contains a known name (何静-行政), and
// a handle spelled from exactly one known Chinese name in pinyin (majun_0x,
// sujy_data and wxid_hlw1975 for 马俊, 苏静怡 and 韩立伟; see Pinyin).
// Screenshot messages whose sender OCR lost are filled from a message with
// the same text on the same day in another source, and the device owner of
// a screenshot from such a match, from a greeting that names them (钟经理好),
// or from the only partner the chat's other party has in one-to-one chats
// elsewhere. A string no rule places becomes its own person.
func Resolve(convs []chat.Conversation, dir Directory) *People {
	r := &resolver{byKey: map[string]*Person{}}
	for _, e := range dir.Entries {
		p := &Person{Name: e.Name}
		r.persons = append(r.persons, p)
		r.add(p, e.Name)
		r.add(p, e.Nicks...)
		r.add(p, e.Handles...)
		r.add(p, e.Emails...)
		for _, m := range e.Emails {
			if i := strings.IndexByte(m, '@'); i > 0 {
				r.addWeak(p, m[:i])
			}
		}
	}
	r.indexNamed()
	convs = append([]chat.Conversation(nil), convs...)
	for i := range convs {
		convs[i].Messages = append([]chat.Message(nil), convs[i].Messages...)
	}
	// Pass 1: strings from text and JSON sources, then screenshots.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			// Handles spelled from a Chinese name (majun_0x for 马俊)
			// join it once every text and JSON source is read, so the
			// order of the sources does not matter.
			r.joinPinyinHandles(convs, len(dir.Entries))
			r.trusted = len(r.persons)
		}
		for ci := range convs {
			c := &convs[ci]
			if (c.Shape == chat.ShapeScreenshot) != (pass == 1) {
				continue
			}
			if c.Owner != "" {
				r.resolve(c.Owner)
			}
			for mi := range c.Messages {
				m := &c.Messages[mi]
				switch {
				case m.Sender == "":
				case m.SenderConf > 0:
					// Read by OCR: a known person, or a new one only
					// when read confidently.
					p, exact := r.resolveOCR(m.Sender, m.SenderConf)
					switch {
					case p == nil:
						m.Sender = ""
					case !exact:
						m.Sender = p.Name
					}
				default:
					p := r.resolve(m.Sender)
					if m.SenderID != "" {
						r.add(p, m.SenderID)
					}
				}
			}
			for mi := range c.Messages {
				m := &c.Messages[mi]
				if c.Group || len(m.Recipients) == 0 {
					continue
				}
				if c.Shape != chat.ShapeScreenshot {
					for _, to := range m.Recipients {
						r.resolve(to)
					}
					continue
				}
				// A screenshot's recipient is its title as OCR read it:
				// kept when it names someone, never a new person.
				var keep []string
				for _, to := range m.Recipients {
					if p, exact := r.resolveOCR(to, 0); p != nil {
						if !exact {
							to = p.Name
						}
						keep = append(keep, to)
					}
				}
				m.Recipients = keep
			}
		}
	}
	r.fillScreenshots(convs)
	return r.finish(convs)
}

// addWeak adds an alias only when no one holds it yet.
func (r *resolver) addWeak(p *Person, a string) {
	if _, ok := r.byKey[key(a)]; !ok && len(a) >= 3 {
		r.add(p, a)
	}
}

func (r *resolver) indexNamed() {
	r.named = r.named[:0]
	for _, p := range r.persons {
		if isCJKName(p.Name) {
			r.named = append(r.named, p)
		}
	}
}

// resolve returns the person of s, creating one when no rule applies.
func (r *resolver) resolve(s string) *Person {
	s = strings.TrimSpace(s)
	if p, ok := r.byKey[key(s)]; ok {
		return p
	}
	if p := r.match(s); p != nil {
		r.add(p, s)
		return p
	}
	p := &Person{Name: s}
	r.persons = append(r.persons, p)
	r.add(p, s)
	if isCJKName(s) {
		r.indexNamed()
	}
	return p
}

// minNewPersonConf is the confidence an OCR'd name needs to become a
// person of its own when it matches no one known: a name read worse is
// more likely a misreading of a known one (重子 for 磊子) than a new
// human, and counting its messages for nobody is the smaller error.
const minNewPersonConf = 0.8

// resolveOCR places a name read by OCR with confidence conf: a known
// alias or nickname form (exact true), else the one known person whose
// name or alias it is within OCR distance of, else a new person when
// conf reaches minNewPersonConf, else nil.
func (r *resolver) resolveOCR(s string, conf float64) (p *Person, exact bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	if p, ok := r.byKey[key(s)]; ok {
		return p, true
	}
	if p := r.match(s); p != nil {
		r.add(p, s)
		return p, true
	}
	if p := r.fuzzy(s); p != nil {
		return p, false
	}
	if conf >= minNewPersonConf {
		return r.resolve(s), true
	}
	return nil, false
}

// fuzzy finds the one person among those known before the screenshots
// (directory, text and JSON sources) whose name or an alias is close to
// s in OCR distance (ocrDistance): at most one edit in three characters,
// and no other person within one more edit. nil when none or several
// fit. Two-character names never match this way: one edit is half of
// them.
func (r *resolver) fuzzy(s string) *Person {
	ks := []rune(key(s))
	if len(ks) < 3 {
		return nil
	}
	limit := float64(len(ks)) / 3
	best, bestD, second := (*Person)(nil), 1e9, 1e9
	for _, p := range r.persons[:r.trusted] {
		d := 1e9
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			d = min(d, ocrDistance(ks, []rune(key(a))))
		}
		switch {
		case d < bestD:
			second, best, bestD = bestD, p, d
		case d < second:
			second = d
		}
	}
	if best == nil || bestD > limit || second-bestD < 1 {
		return nil
	}
	return best
}

// ocrConfusable lists characters OCR swaps for one another in Latin text;
// swapping them costs half an edit.
var ocrConfusable = map[[2]rune]bool{}

func init() {
	for _, g := range []string{"0oOD", "1lIi|!", "5sS", "8B", "2zZ", "6bG", "9gq", "uv", "cCe", "-_一—~", ".,，。·"} {
		rs := []rune(g)
		for _, a := range rs {
			for _, b := range rs {
				if a != b {
					ocrConfusable[[2]rune{a, b}] = true
				}
			}
		}
	}
}

// ocrDistance is the edit distance between a and b where substituting
// one character for a confusable one costs 0.5 and every other insertion,
// deletion or substitution 1.
func ocrDistance(a, b []rune) float64 {
	prev := make([]float64, len(b)+1)
	cur := make([]float64, len(b)+1)
	for j := range prev {
		prev[j] = float64(j)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = float64(i)
		for j := 1; j <= len(b); j++ {
			sub := 1.0
			if a[i-1] == b[j-1] {
				sub = 0
			} else if ocrConfusable[[2]rune{a[i-1], b[j-1]}] {
				sub = 0.5
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// match applies the alias rules and returns the single person they point
// to, or nil when none or several do.
func (r *resolver) match(s string) *Person {
	ks := key(s)
	var cands []*Person
	addC := func(p *Person) {
		for _, c := range cands {
			if c == p {
				return
			}
		}
		cands = append(cands, p)
	}
	// Jabber/e-mail local part and handle tokens: fox@x → fox_lin's
	// owner when "lion" is the first token of exactly one handle.
	local := ks
	if i := strings.IndexByte(ks, '@'); i > 0 {
		local = ks[:i]
		if p, ok := r.byKey[local]; ok {
			return p
		}
	}
	if isASCIIWord(local) && len(local) >= 2 {
		for k, p := range r.byKey {
			if otherDomain(ks, k) {
				continue
			}
			if tok := firstToken(k); tok != k && tok == local {
				addC(p)
			}
		}
		if len(cands) == 1 {
			return cands[0]
		}
		cands = cands[:0]
	}
	for _, p := range r.named {
		if nickOf(simplify(s), p.Name) {
			addC(p)
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// otherDomain reports whether a and b are addresses with the same local
// part on different domains (kestrel@acme.example and
// kestrel@nordhavn.example): two servers' users share a name by chance,
// so the local part alone is no evidence that they are one person.
func otherDomain(a, b string) bool {
	i, j := strings.IndexByte(a, '@'), strings.IndexByte(b, '@')
	return i > 0 && j > 0 && a[i+1:] != b[j+1:]
}

func firstToken(k string) string {
	i := strings.IndexFunc(k, func(r rune) bool { return r == '_' || r == '.' || r == '-' || r == '@' })
	if i <= 0 {
		return k
	}
	return k[:i]
}

func isASCIIWord(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// Compound surnames; every other surname is one character.
var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "长孙", "宇文",
	"司徒", "夏侯", "尉迟", "公孙", "端木", "独孤", "南宫", "西门", "申屠", "轩辕"}

func splitName(n string) (surname, given string) {
	for _, c := range compoundSurnames {
		if strings.HasPrefix(n, c) && utf8.RuneCountInString(n) > 2 {
			return c, n[len(c):]
		}
	}
	_, sz := utf8.DecodeRuneInString(n)
	return n[:sz], n[sz:]
}

func isCJKName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 4 {
		return false
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// Titles and kinship words that follow a surname or a given-name
// character in Chinese forms of address.
var (
	surnameTitles = []string{"总", "工", "哥", "姐", "经理", "老师", "主任", "董", "处", "局", "科", "总监", "老板", "sir", "生"}
	givenSuffixes = []string{"子", "哥", "姐", "儿", "仔", "妹", "弟"}
)

// nickOf reports whether s is a usual nickname or display form of the
// Chinese name full.
func nickOf(s, full string) bool {
	if s == full {
		return true
	}
	sur, given := splitName(full)
	if given == "" {
		return false
	}
	lastGiven := given
	if _, sz := utf8.DecodeLastRuneInString(given); sz < len(given) {
		lastGiven = given[len(given)-sz:]
	}
	firstGiven := given
	if _, sz := utf8.DecodeRuneInString(given); sz < len(given) {
		firstGiven = given[:sz]
	}
	switch {
	case strings.Contains(s, full): // 何静-行政, 林涛(数据组)
		return true
	case utf8.RuneCountInString(given) >= 2 && s == given: // 振洲, 晓岚
		return true
	case s == lastGiven+lastGiven, s == firstGiven+firstGiven: // 宁宁
		return true
	case s == "小"+sur, s == "老"+sur, s == "阿"+lastGiven, s == "小"+lastGiven:
		return true
	}
	for _, t := range surnameTitles {
		if s == sur+t {
			return true
		}
	}
	for _, t := range givenSuffixes {
		if s == lastGiven+t || s == given+t {
			return true
		}
	}
	// Latin name with the surname: Ann林, Mia周, 林Ann.
	if strings.HasSuffix(s, sur) || strings.HasPrefix(s, sur) {
		rest := strings.TrimSuffix(strings.TrimPrefix(s, sur), sur)
		if rest != "" && isASCIIWord(strings.ReplaceAll(rest, " ", "")) {
			return true
		}
	}
	return false
}

// fillScreenshots gives OCR messages without a sender the sender of the
// same message in another source, and infers each screenshot's owner and,
// in one-to-one chats, the other party:
//   - a message with the same text on the same day in a text or JSON
//     source names its sender (and, for a right-hand bubble, the owner);
//   - a greeting that names the owner (钟经理好), the owner's avatar letter,
//     or the only partner the other party has in one-to-one chats;
//   - the same avatar (Message.Avatar, Conversation.OwnerAvatar) beside a
//     person elsewhere, in this screenshot or another, when it was only
//     ever seen beside that one person;
//   - in a one-to-one chat whose one side is known, the only partner that
//     side has in a one-to-one text or JSON chat active around the
//     screenshot's date.
func (r *resolver) fillScreenshots(convs []chat.Conversation) {
	type ref struct {
		text string
		p    *Person
	}
	byDay := map[string][]ref{}
	partners := map[*Person]map[*Person]bool{}
	spans := map[*Person][]span{}
	for _, c := range convs {
		if c.Shape == chat.ShapeScreenshot {
			continue
		}
		var ps []*Person
		seen := map[*Person]bool{}
		for _, m := range c.Messages {
			if m.System || m.Sender == "" {
				continue
			}
			p := r.byKey[key(m.Sender)]
			if !m.Time.IsZero() {
				d := m.Time.Format("2006-01-02")
				byDay[d] = append(byDay[d], ref{norm(m.Text), p})
			}
			if !seen[p] {
				seen[p] = true
				ps = append(ps, p)
			}
		}
		if !c.Group && len(ps) == 2 {
			for i, p := range ps {
				if partners[p] == nil {
					partners[p] = map[*Person]bool{}
				}
				partners[p][ps[1-i]] = true
				if f, l := c.First(), c.Last(); !f.IsZero() {
					spans[p] = append(spans[p], span{ps[1-i], f, l})
				}
			}
		}
	}
	owners := make([]*Person, len(convs))
	for ci := range convs {
		c := &convs[ci]
		if c.Shape != chat.ShapeScreenshot {
			continue
		}
		var owner *Person
		if c.Owner != "" {
			owner = r.byKey[key(c.Owner)]
		}
		for mi := range c.Messages {
			m := &c.Messages[mi]
			if m.Sender != "" || m.Time.IsZero() {
				continue
			}
			best, bestScore := (*Person)(nil), 0.0
			t := norm(m.Text)
			for _, d := range []string{m.Time.Format("2006-01-02"), m.Time.AddDate(0, 0, -1).Format("2006-01-02")} {
				for _, x := range byDay[d] {
					if s := dice(t, x.text); s > bestScore {
						best, bestScore = x.p, s
					}
				}
			}
			if bestScore >= 0.6 && best != nil {
				m.Sender = best.Name
				if m.Outgoing && owner == nil {
					owner = best
				}
			}
		}
		other := r.otherParty(c)
		if owner == nil && other != nil {
			owner = r.addressee(c, other)
		}
		if owner == nil && c.OwnerMark != "" {
			owner = r.byMark(c.OwnerMark, other)
		}
		if owner == nil && other != nil && len(partners[other]) == 1 {
			for p := range partners[other] {
				owner = p
			}
		}
		owners[ci] = owner
	}
	for range 2 {
		r.carryAvatars(convs, owners)
		r.partnerByDate(convs, owners, spans)
	}
	for ci := range convs {
		c := &convs[ci]
		owner := owners[ci]
		if c.Shape != chat.ShapeScreenshot || owner == nil {
			continue
		}
		c.Owner = owner.Name
		for mi := range c.Messages {
			m := &c.Messages[mi]
			if m.Outgoing && m.Sender == "" {
				m.Sender = owner.Name
			}
		}
	}
}

// span is a one-to-one chat with a partner, active from first to last.
type span struct {
	with        *Person
	first, last time.Time
}

// otherParty is the person on the left of a one-to-one screenshot: its
// title, else the one person its left-hand senders resolve to. nil for
// groups and when unknown.
func (r *resolver) otherParty(c *chat.Conversation) *Person {
	if c.Group {
		return nil
	}
	if c.Title != "" {
		if p := r.byKey[key(c.Title)]; p != nil {
			return p
		}
	}
	var found *Person
	for _, m := range c.Messages {
		if m.Outgoing || m.System || m.Sender == "" {
			continue
		}
		p := r.byKey[key(m.Sender)]
		if p == nil || (found != nil && found != p) {
			return nil
		}
		found = p
	}
	return found
}

// carryAvatars gives left-hand messages without a sender, and screenshots
// without an owner, the person their avatar was seen beside elsewhere,
// when it was only ever seen beside that one person.
func (r *resolver) carryAvatars(convs []chat.Conversation, owners []*Person) {
	// Distinct (avatar, person) sightings; keys compare with
	// chat.SameAvatar, which tolerates resampling, so lookups scan them
	// (there are as many as distinct avatars, not messages).
	type sighting struct {
		key string
		p   *Person
	}
	var seen []sighting
	have := map[sighting]bool{}
	note := func(k string, p *Person) {
		s := sighting{k, p}
		if k == "" || p == nil || have[s] {
			return
		}
		have[s] = true
		seen = append(seen, s)
	}
	for ci, c := range convs {
		if c.Shape != chat.ShapeScreenshot {
			continue
		}
		for _, m := range c.Messages {
			if !m.Outgoing && m.Sender != "" {
				note(m.Avatar, r.byKey[key(m.Sender)])
			}
		}
		note(c.OwnerAvatar, owners[ci])
	}
	cache := map[string]*Person{}
	only := func(k string) *Person {
		if p, ok := cache[k]; ok {
			return p
		}
		var found *Person
		for _, s := range seen {
			if s.key != k && !chat.SameAvatar(s.key, k) {
				continue
			}
			if found != nil && found != s.p {
				found = nil
				break
			}
			found = s.p
		}
		cache[k] = found
		return found
	}
	for ci := range convs {
		c := &convs[ci]
		if c.Shape != chat.ShapeScreenshot {
			continue
		}
		left := map[*Person]bool{}
		for mi := range c.Messages {
			m := &c.Messages[mi]
			if m.Outgoing || m.Avatar == "" {
				continue
			}
			if m.Sender == "" {
				if p := only(m.Avatar); p != nil && p != owners[ci] {
					m.Sender = p.Name
				}
			}
			if m.Sender != "" {
				left[r.byKey[key(m.Sender)]] = true
			}
		}
		if owners[ci] == nil && c.OwnerAvatar != "" {
			if p := only(c.OwnerAvatar); p != nil && !left[p] {
				owners[ci] = p
			}
		}
	}
}

// partnerByDate completes one-to-one screenshots with one side known: the
// other side is the only person the known one has a one-to-one text or
// JSON chat with that was active within partnerSlack of the screenshot.
func (r *resolver) partnerByDate(convs []chat.Conversation, owners []*Person, spans map[*Person][]span) {
	const partnerSlack = 3 * 24 * time.Hour
	near := func(p *Person, at time.Time, not *Person) *Person {
		var found *Person
		for _, sp := range spans[p] {
			if sp.with == not || at.Before(sp.first.Add(-partnerSlack)) || at.After(sp.last.Add(partnerSlack)) {
				continue
			}
			if found != nil && found != sp.with {
				return nil
			}
			found = sp.with
		}
		return found
	}
	for ci := range convs {
		c := &convs[ci]
		if c.Shape != chat.ShapeScreenshot || c.Group {
			continue
		}
		at := c.First()
		if at.IsZero() {
			continue
		}
		other := r.otherParty(c)
		switch {
		case owners[ci] == nil && other != nil:
			owners[ci] = near(other, at, nil)
		case owners[ci] != nil && other == nil:
			q := near(owners[ci], at, nil)
			if q == nil || q == owners[ci] {
				continue
			}
			for mi := range c.Messages {
				m := &c.Messages[mi]
				if !m.Outgoing && !m.System && m.Sender == "" {
					m.Sender = q.Name
				}
			}
		}
	}
}

// byMark finds the one person, among those known from the directory and
// from text and JSON sources, whom an avatar letter stands for: a Han
// character in their name or an alias (远 for 周明远), or a Latin letter
// that starts one (z for zxa). nil when none or several fit, or when the
// only fit is the chat's other party.
func (r *resolver) byMark(mark string, other *Person) *Person {
	mark = simplify(strings.TrimSpace(mark))
	if mark == "" {
		return nil
	}
	han := hasHan(mark)
	lm := strings.ToLower(mark)
	var found *Person
	for _, p := range r.persons[:r.trusted] {
		if p == other {
			continue
		}
		fits := false
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			a = simplify(a)
			if han && strings.Contains(a, mark) || !han && strings.HasPrefix(strings.ToLower(a), lm) {
				fits = true
				break
			}
		}
		if fits {
			if found != nil && found != p {
				return nil
			}
			found = p
		}
	}
	return found
}

// addressee finds the owner named at the start of a message from the
// other party ("钟经理好，..."), by the nickname rules.
func (r *resolver) addressee(c *chat.Conversation, other *Person) *Person {
	var found *Person
	for _, m := range c.Messages {
		if m.Outgoing || m.Text == "" {
			continue
		}
		t := []rune(simplify(m.Text))
		for n := 2; n <= 4 && n < len(t); n++ {
			prefix := string(t[:n])
			next := t[n]
			if next != '，' && next != ',' && next != '好' && next != ' ' && next != '：' {
				continue
			}
			for _, p := range r.named {
				if p != other && nickOf(prefix, p.Name) {
					if found != nil && found != p {
						return nil
					}
					found = p
				}
			}
		}
	}
	return found
}

// norm drops spaces and punctuation so that OCR and typed text compare.
func norm(s string) string {
	var b strings.Builder
	for _, r := range simplify(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// dice is the Sørensen–Dice coefficient over character bigrams.
func dice(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 2 || len(rb) < 2 {
		if a == b && a != "" {
			return 1
		}
		return 0
	}
	m := map[[2]rune]int{}
	for i := 0; i+1 < len(ra); i++ {
		m[[2]rune{ra[i], ra[i+1]}]++
	}
	inter := 0
	for i := 0; i+1 < len(rb); i++ {
		k := [2]rune{rb[i], rb[i+1]}
		if m[k] > 0 {
			m[k]--
			inter++
		}
	}
	return 2 * float64(inter) / float64(len(ra)+len(rb)-2)
}

// finish counts messages, builds the graph and the timelines.
func (r *resolver) finish(convs []chat.Conversation) *People {
	out := &People{Conversations: convs, Timelines: map[string][]Event{}, byKey: r.byKey}
	edges := map[[2]string]int{}
	used := map[*Person]bool{}
	for _, c := range convs {
		senders := make([]*Person, len(c.Messages))
		var ev []Event
		var pair []*Person
		if !c.Group {
			for _, m := range c.Messages {
				if q := r.byKey[key(m.Sender)]; m.Sender != "" && q != nil && !m.System && !slices.Contains(pair, q) {
					pair = append(pair, q)
				}
			}
		}
		for mi, m := range c.Messages {
			var p *Person
			if m.Sender != "" {
				p = r.byKey[key(m.Sender)]
			}
			senders[mi] = p
			name := ""
			if p != nil {
				name = p.Name
			}
			ev = append(ev, Event{Time: m.Time, Person: name, Index: mi})
			if m.System || p == nil {
				continue
			}
			used[p] = true
			p.Messages++
			if !m.Time.IsZero() {
				if p.First.IsZero() || m.Time.Before(p.First) {
					p.First = m.Time
				}
				if m.Time.After(p.Last) {
					p.Last = m.Time
				}
				p.ByHour[m.Time.Hour()]++
				p.ByWeekday[m.Time.Weekday()]++
			}
			if c.Group {
				edges[[2]string{p.Name, "#" + c.Title}]++
				continue
			}
			if len(m.Recipients) == 0 && len(pair) == 2 {
				// A one-to-one chat whose source leaves the recipient
				// implicit (a screenshot): the other person.
				q := pair[0]
				if q == p {
					q = pair[1]
				}
				edges[[2]string{p.Name, q.Name}]++
			}
			for _, to := range m.Recipients {
				if q := r.byKey[key(to)]; q != nil && q != p {
					used[q] = true
					edges[[2]string{p.Name, q.Name}]++
				}
			}
		}
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
		out.Timelines[c.ID] = ev
		out.sender = append(out.sender, senders)
	}
	for _, p := range r.persons {
		if used[p] {
			sort.Strings(p.Aliases)
			out.Persons = append(out.Persons, p)
		}
	}
	sort.SliceStable(out.Persons, func(i, j int) bool { return out.Persons[i].Messages > out.Persons[j].Messages })
	for k, n := range edges {
		out.Edges = append(out.Edges, Edge{From: k[0], To: k[1], Count: n})
	}
	sort.Slice(out.Edges, func(i, j int) bool {
		a, b := out.Edges[i], out.Edges[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return out
}
