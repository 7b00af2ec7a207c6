package target

import (
	"cmp"
	"iter"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/leak"
)

// Page is a paged unit of a document: a sheet (Label = sheet name), a slide,
// a PDF page.
type Page struct {
	Label string
	Text  string
}

// Doc is the text of one document.
type Doc struct {
	Path        string
	Text        string
	Translation string
	MIME        string
	Pages       []Page
}

// Evidence is one document that names a target.
type Evidence struct {
	Path        string `json:"path"`
	Snippet     string `json:"snippet"`
	Translation string `json:"translation"`
}

// Target is one entry of the register (DESIGN.md `targets`).
type Target struct {
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Country     string   `json:"country"`
	Sector      string   `json:"sector"`
	DataTypes   []string `json:"data_types"`
	VolumeBytes int64    `json:"volume_bytes"`
	Records     int64    `json:"records"`
	FirstSeen   string   `json:"first_seen"`
	LastSeen    string   `json:"last_seen"`
	Confidence  float64  `json:"confidence"`
	// Status is how far the operation against the target went, as the
	// documents say (the furthest stage any of them states), or "" when
	// none says.
	Status   Status     `json:"status,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// Options tune Build and Check. The zero value works.
type Options struct {
	// Translate returns an English translation of a snippet; nil leaves
	// Evidence.Translation empty.
	Translate func(string) string
	// Fold maps Traditional to Simplified Chinese (lang.Fold); nil is the
	// identity. Keys and spellings are folded before they are compared.
	Fold func(string) string
	// Scan finds entities; nil is registry.Scan.
	Scan func([]byte) []entity.Match
	// Window is how many bytes around an organisation are searched for
	// targeting language, volumes and dates when they are not on its line;
	// 0 means 80.
	Window int
	// Snippet is the evidence window on each side, in bytes; 0 means 90.
	Snippet int
	// MaxEvidence caps evidence per target (one per path); 0 means 50.
	MaxEvidence int
	// MinConfidence drops targets whose confidence is below it: 0 means
	// DefaultMinConfidence, a negative value keeps every target.
	MinConfidence float64
	// Aliases are spellings the analyst says are one organisation each
	// (the case's alias memory, package alias): mentions written with
	// any spelling of a group are merged, whatever the rules say.
	Aliases [][]string
	// Params are the thresholds of the merge rules; zero fields take
	// their defaults (DefaultParams).
	Params Params
	Log    *slog.Logger
}

// Params are the thresholds of the register's rules, in one place.
type Params struct {
	// MinPhoneticRun is how many transliteration characters a Chinese
	// name must start with to be read as a transliteration (卡斯 of
	// 卡斯特拉诺航运); default 2.
	MinPhoneticRun int
	// MinSkeleton is how many consonant classes a transliteration must
	// share with a Latin name to join it on that alone (KSTLN for
	// ka-si-te-la-nuo and "Castellano"); a shorter match (塔纳, "Tana": TN)
	// also needs the same country and body type. Default 3.
	MinSkeleton int
	// MinNameRunes is how many characters, besides its body word, a
	// Chinese spelling must keep to join a longer spelling that ends with
	// it (斯特拉诺航运 in 卡斯特拉诺航运); default 2.
	MinNameRunes int
}

// DefaultParams are the thresholds Options uses when Params is zero.
var DefaultParams = Params{MinPhoneticRun: 2, MinSkeleton: 3, MinNameRunes: 2}

func (p *Params) defaults() {
	p.MinPhoneticRun = cmp.Or(p.MinPhoneticRun, DefaultParams.MinPhoneticRun)
	p.MinSkeleton = cmp.Or(p.MinSkeleton, DefaultParams.MinSkeleton)
	p.MinNameRunes = cmp.Or(p.MinNameRunes, DefaultParams.MinNameRunes)
}

// DefaultMinConfidence is the confidence below which Build leaves a
// target out of the register. A table row scores 0.9 or more; a prose
// mention scores 0.3, plus 0.1 for each mention next to targeting
// language (up to three), 0.1 for each further document (up to two), 0.1
// when its country is known and 0.1 when an English proper name is
// written for it, minus 0.1 for a Chinese name guessed from the characters
// before a generic body word (记得别用公司) that nothing else confirms. One
// mention of a country's ministry next to targeting language scores 0.5
// and is kept; one mention of a guessed name without a country is not.
const DefaultMinConfidence = 0.5

func (o *Options) defaults() {
	if o.Fold == nil {
		o.Fold = func(s string) string { return s }
	}
	if o.Scan == nil {
		o.Scan = registry.Scan
	}
	if o.Window == 0 {
		o.Window = 80
	}
	if o.Snippet == 0 {
		o.Snippet = 90
	}
	if o.MaxEvidence == 0 {
		o.MaxEvidence = 50
	}
	if o.MinConfidence == 0 {
		o.MinConfidence = DefaultMinConfidence
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	o.Params.defaults()
}

// targeting are words that say an organisation is a target. Latin ones
// match case-insensitively on word boundaries.
var targeting = []string{
	"目标", "目標", "渗透", "滲透", "拿下", "权限", "權限", "数据", "數據", "拖库", "拖庫", "打点", "打點", "控制", "入侵",
	"获取", "獲取", "回传", "回傳", "webshell", "shell", "后门", "後門", "横向", "橫向", "邮箱", "郵箱", "邮件", "郵件", "进去",
	"进入", "打包", "样本", "樣本", "账号", "帳號", "话单", "話單", "交付", "拿到", "导出", "導出", "钓鱼", "釣魚", "扫描", "掃描",
	"漏洞", "突破", "access", "dump", "dumped", "exfil", "exfiltrated", "exfiltration", "breach", "breached", "compromised",
	"compromise", "hacked", "stolen", "leaked", "data", "records", "target", "targeted", "phishing", "vpn", "mailbox",
}

// mention is one organisation mention that may make or support a target.
type mention struct {
	key      string // org Norm after folding
	value    string // as written
	path     string
	snippet  string
	strong   bool    // from a target table row or with targeting language
	conf     float64 // 0.9 table, 0.5 prose
	table    bool
	country  string
	inferred bool // country read from the document, not the mention or its row
	sector   string
	dataType string
	volume   int64
	records  int64
	dates    []string
	status   Status
}

// Build returns the target register of docs, most confident first. It is
// Observe on each document, then Combine with an evidence search that
// scans the documents' texts: right for a set of texts held in memory. A
// case keeps each document's Observation and combines them without
// reading any text again (package enrich).
func Build(docs iter.Seq[Doc], opts Options) []Target {
	var obs []DocObservation
	var units [][]string
	for d := range docs {
		id := strconv.Itoa(len(obs))
		obs = append(obs, DocObservation{Doc: id, Paths: []string{d.Path}, Observation: Observe(d, opts)})
		units = append(units, Units(d))
	}
	find := func(needles []string) []EvidenceHit {
		var out []EvidenceHit
		for i, us := range units {
			if _, snip, ok := FindEvidence(us, needles, opts); ok {
				out = append(out, EvidenceHit{Doc: obs[i].Doc, Paths: obs[i].Paths, Snippet: snip})
			}
		}
		return out
	}
	return Combine(obs, find, opts)
}

type builder struct {
	opts Options
	// find searches the case for documents that write a target's
	// spellings, for evidence beyond the mentions (Combine).
	find     func(needles []string) []EvidenceHit
	mentions []mention
	// links are pairs of keys the documents tie to one organisation: a
	// row's name and English-name cells, adjacent spellings on one line.
	links [][2]string
	// trCache holds the distinctive words of translated names.
	trCache map[string]map[string]bool
}

// snippet cuts a window of about opts.Snippet bytes on each side of
// text[s:e], on rune boundaries, on one line, with spaces collapsed.
func (b *builder) snippet(text string, s, e int) string {
	lo := max(0, s-b.opts.Snippet)
	hi := min(len(text), e+b.opts.Snippet)
	if i := strings.LastIndexByte(text[lo:s], '\n'); i >= 0 {
		lo += i + 1
	}
	if i := strings.IndexByte(text[e:hi], '\n'); i >= 0 {
		hi = e + i
	}
	for lo > 0 && lo < len(text) && !utf8.RuneStart(text[lo]) {
		lo++
	}
	for hi < len(text) && hi > 0 && !utf8.RuneStart(text[hi]) {
		hi--
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(text[lo:hi], "\t", " | ")), " ")
}

// prose reads organisation mentions outside tables.
func (b *builder) prose(path, text string) {
	if text == "" {
		return
	}
	ms := b.opts.Scan([]byte(text))
	dc := docCountry(ms)
	var prev adjacent
	for i, m := range ms {
		if m.Kind != leak.KindOrg {
			continue
		}
		ls, le := lineOf(text, m.Start, m.End)
		kp := org.Key(m.Norm)
		country := ""
		if kp.Country == "" {
			// The country of a mention that names none (外交部, "the
			// Ministry of External Affairs"): the one country of its
			// line, else the country the document is about.
			country = lineCountry(ms, i, ls, le)
			if country == "" {
				country = dc
			}
			if country != "" && org.Strong(kp.Body) && bareKey(kp) {
				kp.Country = country // one per country: it is that country's
			}
		}
		ws, we := max(ls, m.Start-b.opts.Window), min(le, m.End+b.opts.Window)
		// A chat line is short: use it whole, with the lines it wraps
		// onto.
		if le-ls < 3*b.opts.Window {
			ws, we = ls, continued(text, le, ls+3*b.opts.Window)
			// A message of a JSON chat export: its time is on another
			// line of the same object.
			if rs, re, ok := record(text, ls, le); ok {
				ws, we = rs, re
			}
		}
		men := mention{
			key:      b.key(kp.Norm()),
			value:    m.Value,
			path:     path,
			snippet:  b.snippet(text, m.Start, m.End),
			conf:     0.5,
			country:  country,
			inferred: country != "",
		}
		men.strong = hasTargeting(text[ws:we])
		for j := max(0, i-40); j < min(len(ms), i+40); j++ {
			n := ms[j]
			if n.Start < ws || n.End > we {
				continue
			}
			switch n.Kind {
			case leak.KindVolume:
				// A data volume next to an organisation is data taken
				// from it (智利警察总部那批人员档案在整理，2.3G).
				men.strong = true
				if v, ok := strings.CutPrefix(n.Norm, "bytes:"); ok {
					x, _ := strconv.ParseInt(v, 10, 64)
					men.volume = max(men.volume, x)
				} else if v, ok := strings.CutPrefix(n.Norm, "records:"); ok {
					x, _ := strconv.ParseInt(v, 10, 64)
					men.records = max(men.records, x)
				}
			case leak.KindDate:
				men.dates = append(men.dates, n.Norm)
			}
		}
		b.mentions = append(b.mentions, men)
		// Two spellings side by side on one line, in two scripts, of one
		// kind of body (蒙古北方草原大学 / Northern Steppe University): one
		// organisation written twice.
		if prev.end > 0 && prev.end <= m.Start && m.Start-prev.end <= 8 && strings.Trim(text[prev.end:m.Start], " \t/|:=-–—") == "" &&
			isLatinString(prev.value) != isLatinString(m.Value) && prev.body != "" && prev.body == kp.Body &&
			(prev.country == "" || kp.Country == "" || prev.country == kp.Country) {
			b.links = append(b.links, [2]string{prev.key, men.key})
		}
		prev = adjacent{m.End, men.key, m.Value, kp.Body, kp.Country}
	}
}

// adjacent is the last organisation mention of prose, for linking the
// next one written right after it.
type adjacent struct {
	end                       int
	key, value, body, country string
}

// record returns the span of the small JSON object whose member is the
// line [ls, le) ({"ts": ..., "from": ..., "body": ...}), or false when the
// line is not inside one.
func record(text string, ls, le int) (int, int, bool) {
	const maxLines, maxBytes = 12, 1500
	if strings.ContainsAny(text[ls:le], "{}") || !strings.HasPrefix(strings.TrimSpace(text[ls:le]), `"`) {
		return 0, 0, false
	}
	start := -1
	for p, n := ls, 0; p > 0 && n < maxLines && ls-p < maxBytes; n++ {
		q := strings.LastIndexByte(text[:p-1], '\n') + 1
		line := strings.TrimSpace(text[q : p-1])
		if strings.HasSuffix(line, "{") {
			start = q
			break
		}
		if strings.ContainsAny(line, "{}[]") {
			return 0, 0, false
		}
		p = q
	}
	if start < 0 {
		return 0, 0, false
	}
	for p, n := le, 0; p < len(text) && n < maxLines && p-le < maxBytes; n++ {
		q := strings.IndexByte(text[p+1:], '\n')
		if q < 0 {
			q = len(text)
		} else {
			q += p + 1
		}
		line := strings.TrimSpace(text[p+1 : q])
		if strings.HasPrefix(line, "}") {
			return start, q, true
		}
		if strings.ContainsAny(line, "{}[]") {
			return 0, 0, false
		}
		p = q
	}
	return 0, 0, false
}

// continued returns the end of the line ending at le extended over the
// lines it wraps onto (a line ending in a comma, or a next line that
// goes on in lower case after a space indent, as PDF text wraps), up to
// limit.
func continued(text string, le, limit int) int {
	for le < len(text) && le < limit {
		line := strings.TrimRight(text[:le], " \t\r")
		next := le + 1
		ne := strings.IndexByte(text[next:], '\n')
		if ne < 0 {
			ne = len(text)
		} else {
			ne += next
		}
		body := strings.TrimSpace(text[next:ne])
		if body == "" || ne > limit {
			break
		}
		// A wrapped sentence goes on in lower case after an indent; a
		// table cell on its own line (tab first) does not.
		wrapped := text[next] == ' ' && body[0] >= 'a' && body[0] <= 'z'
		comma := strings.HasSuffix(line, ",") || strings.HasSuffix(line, "，") || strings.HasSuffix(line, "、")
		if !wrapped && !comma {
			break
		}
		le = ne
	}
	return le
}

// lineCountry returns the one country named on the line [ls, le) around
// ms[i], or "" when none or several are.
func lineCountry(ms []entity.Match, i, ls, le int) string {
	found := ""
	for j := max(0, i-60); j < min(len(ms), i+60); j++ {
		n := ms[j]
		if n.Kind != leak.KindCountry || n.Start < ls || n.End > le || n.Norm == geo.International {
			continue
		}
		if found != "" && found != n.Norm {
			return ""
		}
		found = n.Norm
	}
	return found
}

func lineOf(text string, s, e int) (int, int) {
	ls := strings.LastIndexByte(text[:s], '\n') + 1
	le := strings.IndexByte(text[e:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += e
	}
	return ls, le
}

func hasTargeting(s string) bool {
	lower := strings.ToLower(s)
	for _, w := range targeting {
		i := strings.Index(lower, w)
		for i >= 0 {
			if w[0] >= 0x80 || wordBoundary(lower, i, i+len(w)) {
				return true
			}
			j := strings.Index(lower[i+1:], w)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

func wordBoundary(s string, i, j int) bool {
	isW := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }
	return (i == 0 || !isW(s[i-1])) && (j >= len(s) || !isW(s[j]))
}

// key folds the name part of an org Norm.
func (b *builder) key(norm string) string {
	k := org.Key(norm)
	k.Name = b.opts.Fold(k.Name)
	if isLatinString(k.Name) {
		k.Name = strings.ToLower(k.Name)
	}
	return k.Norm()
}

func isLatinString(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return false
		}
	}
	return true
}

// group is the set of mentions of one organisation.
type group struct {
	mentions []mention
	aliases  map[string]bool
}

func (b *builder) finish() []Target {
	// Union-find over keys: identical keys, shared spellings, and
	// countryless keys that fit one country key.
	parent := map[string]string{}
	var find func(string) string
	find = func(k string) string {
		if parent[k] == "" || parent[k] == k {
			parent[k] = k
			return k
		}
		r := find(parent[k])
		parent[k] = r
		return r
	}
	union := func(a, c string) {
		ra, rc := find(a), find(c)
		ca, cc := org.Key(ra).Country, org.Key(rc).Country
		if ca != "" && cc != "" && ca != cc {
			return // one organisation has one country
		}
		if ra != rc {
			// Keep the key with a country as the root.
			if org.Key(ra).Country == "" {
				ra, rc = rc, ra
			}
			parent[rc] = ra
		}
	}
	bySpelling := map[string]string{}
	for _, m := range b.mentions {
		find(m.key)
		sp := b.spell(m.value)
		if generic(m.value) || bareSpelling(m.value) {
			continue // 外交部 or "Ministry of External Affairs" alone: which one?
		}
		if k, ok := bySpelling[sp]; ok {
			union(k, m.key)
		} else {
			bySpelling[sp] = m.key
		}
	}
	for _, l := range b.links {
		find(l[0])
		find(l[1])
		union(l[0], l[1])
	}
	b.joinAliases(find, union)
	// Countryless keys join the unique country key with the same strong
	// body, or the same name.
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range parent {
			if !yield(k) {
				return
			}
		}
	})
	// The keys with a country, by lower-case name and by body, so that
	// the countryless keys find their candidates without comparing
	// every pair.
	parsed := make(map[string]org.KeyParts, len(keys))
	byLowerName, byBody := map[string][]string{}, map[string][]string{}
	for _, c := range keys {
		cp := org.Key(c)
		parsed[c] = cp
		if cp.Country == "" || cp.Country == geo.International {
			continue
		}
		byLowerName[strings.ToLower(cp.Name)] = append(byLowerName[strings.ToLower(cp.Name)], c)
		byBody[cp.Body] = append(byBody[cp.Body], c)
	}
	for _, k := range keys {
		kp := parsed[k]
		if kp.Country != "" {
			continue
		}
		var cand []string
		if !bareKey(kp) {
			for _, c := range byLowerName[strings.ToLower(kp.Name)] {
				if strings.EqualFold(parsed[c].Name, kp.Name) {
					cand = append(cand, find(c))
				}
			}
		}
		if org.Strong(kp.Body) {
			plain := strings.EqualFold(kp.Name, kp.Body)
			for _, c := range byBody[kp.Body] {
				cp := parsed[c]
				if strings.EqualFold(cp.Name, kp.Name) || plain || strings.EqualFold(cp.Name, cp.Body) {
					cand = append(cand, find(c))
				}
			}
		}
		slices.Sort(cand)
		cand = slices.Compact(cand)
		if len(cand) == 1 {
			union(cand[0], k)
		}
	}
	// Same country and same proper name, whatever the body (NVTL in a CSV
	// row, 智利NVTL电信 in a workbook).
	byName := map[string]string{}
	for _, k := range keys {
		kp := org.Key(k)
		if kp.Country == "" || kp.Name == "" || bareKey(kp) {
			continue
		}
		nk := kp.Country + "|" + kp.Name
		if o, ok := byName[nk]; ok {
			union(o, k)
		} else {
			byName[nk] = k
		}
	}
	b.joinTruncated(find, union)
	b.joinTransliterations(find, union)
	b.joinShortNames(find, union)
	b.joinDescribed(find, union)
	b.mergeTranslations(find, union)
	groups := map[string]*group{}
	for _, m := range b.mentions {
		r := find(m.key)
		g := groups[r]
		if g == nil {
			g = &group{aliases: map[string]bool{}}
			groups[r] = g
		}
		g.mentions = append(g.mentions, m)
		if !generic(m.value) {
			g.aliases[m.value] = true
		}
	}
	var out []Target
	for root, g := range groups {
		if t, ok := b.target(root, g); ok && (b.opts.MinConfidence < 0 || t.Confidence >= b.opts.MinConfidence) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, c Target) int {
		if x := cmp.Compare(c.Confidence, a.Confidence); x != 0 {
			return x
		}
		return cmp.Compare(a.Name, c.Name)
	})
	return out
}

// profile is what the mentions of one organisation say about it, for
// matching a Chinese-only organisation with a Latin-only one.
type profile struct {
	country, body string
	latin, han    bool
	names         map[string]bool // non-generic spellings
	amounts       map[int64]bool  // "b<bytes>" and "r<records>" as signed: bytes > 0, records < 0
	months        map[string]bool
	specific      bool // an amount with two or more significant digits
}

// mergeTranslations joins an organisation written only in Chinese with
// one written only in Latin letters of the same country and body type
// when the names translate to each other (see namesAgree), or when the
// documents give both the same data volume and either a common month or
// a volume too precise to be a coincidence (860M, 1.2 million, not 1G).
// Country and body type alone never merge. Each side must have exactly
// one such partner.
func (b *builder) mergeTranslations(find func(string) string, union func(string, string)) {
	profiles := map[string]*profile{}
	for _, m := range b.mentions {
		r := find(m.key)
		p := profiles[r]
		if p == nil {
			kp := org.Key(r)
			p = &profile{country: kp.Country, body: kp.Body, names: map[string]bool{}, amounts: map[int64]bool{}, months: map[string]bool{}}
			profiles[r] = p
		}
		if p.country == "" && m.country != "" && !m.inferred {
			p.country = m.country
		}
		if !generic(m.value) {
			p.names[m.value] = true
			if isLatinString(m.value) {
				p.latin = true
			} else {
				p.han = true
			}
		}
		if !m.strong {
			continue
		}
		if m.volume > 0 {
			p.amounts[m.volume] = true
			p.specific = p.specific || significant(m.volume, true) >= 2
		}
		if m.records > 0 {
			p.amounts[-m.records] = true
			p.specific = p.specific || significant(m.records, false) >= 2
		}
		for _, d := range m.dates {
			if len(d) >= 7 {
				p.months[d[:7]] = true
			}
		}
	}
	roots := slices.Sorted(func(yield func(string) bool) {
		for r := range profiles {
			if !yield(r) {
				return
			}
		}
	})
	fits := func(a, c *profile) bool {
		if a.country == "" || a.country != c.country || a.country == geo.International || a.body == "" || a.body != c.body {
			return false
		}
		if !(a.latin && !a.han && c.han && !c.latin) {
			return false
		}
		if b.namesAgree(a.names, c.names) {
			return true
		}
		shared := false
		for v := range a.amounts {
			if c.amounts[v] {
				shared = true
				break
			}
		}
		if !shared {
			return false
		}
		for mo := range a.months {
			if c.months[mo] {
				return true
			}
		}
		return a.specific && c.specific
	}
	partners := func(r string) []string {
		var out []string
		for _, o := range roots {
			if o != r && (fits(profiles[r], profiles[o]) || fits(profiles[o], profiles[r])) {
				out = append(out, o)
			}
		}
		return out
	}
	for _, r := range roots {
		if !profiles[r].latin || profiles[r].han {
			continue
		}
		ps := partners(r)
		if len(ps) == 1 && len(partners(ps[0])) == 1 {
			union(ps[0], r)
		}
	}
}

// namesAgree reports whether a Chinese spelling translates to a Latin
// one: the distinctive words of the translation (not body words, country
// names or small words; plurals folded) and of the Latin name overlap by
// at least half of their union (尼罗河谷电力公司 "Nile Valley Electric
// Power Company" and "Nile Valley Power Company": 3 of 4). Without a
// translator nothing agrees.
func (b *builder) namesAgree(latin, han map[string]bool) bool {
	if b.opts.Translate == nil {
		return false
	}
	for h := range han {
		tr := b.translateName(stripCountryZh(h))
		if len(tr) == 0 {
			continue
		}
		for l := range latin {
			en := distinctiveWords(l)
			if len(en) == 0 {
				continue
			}
			common := 0
			for w := range en {
				if tr[w] {
					common++
				}
			}
			if union := len(en) + len(tr) - common; common > 0 && 2*common >= union {
				return true
			}
		}
	}
	return false
}

// translateName returns the distinctive words of the translation of a
// Chinese name, cached.
func (b *builder) translateName(s string) map[string]bool {
	if b.trCache == nil {
		b.trCache = map[string]map[string]bool{}
	}
	if w, ok := b.trCache[s]; ok {
		return w
	}
	tr := englishName(b.opts.Translate(s))
	w := distinctiveWords(tr)
	b.trCache[s] = w
	return w
}

// distinctiveWords returns the lower-case words of a Latin name that tell
// it from others of its kind.
func distinctiveWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if smallWords[w] || kindWord[w] || len(w) < 2 {
			continue
		}
		title := strings.ToUpper(w[:1]) + w[1:]
		if _, ok := geo.Lookup(title); ok {
			continue
		}
		if _, ok := geo.Demonym(title); ok {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out[w] = true
	}
	return out
}

// kindWord are the words that say what kind of organisation a name is:
// the body words and every word of the gazetteer's English spellings.
var kindWord = func() map[string]bool {
	m := map[string]bool{}
	for w := range bodyWord {
		m[w] = true
	}
	for _, bd := range org.Bodies {
		for _, e := range bd.En {
			for _, w := range strings.Fields(strings.ToLower(e)) {
				m[strings.Trim(w, "'")] = true
			}
		}
	}
	return m
}()

// significant returns the number of significant digits of an amount as
// it was most likely written: bytes in the largest binary unit that
// gives at most two decimals (901775360 is 860M: 2), records as an integer
// (1200000: 2).
func significant(v int64, bytes bool) int {
	s := strconv.FormatInt(v, 10)
	if bytes {
		for shift := 50; shift >= 0; shift -= 10 {
			x := float64(v) / math.Exp2(float64(shift))
			if x >= 1 && math.Abs(x*100-math.Round(x*100)) < 0.01*x {
				s = strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
				break
			}
		}
	}
	s = strings.Trim(strings.ReplaceAll(s, ".", ""), "0")
	return len(s)
}

// spell is the comparison form of a spelling: folded to Simplified,
// lower case, and for a Latin spelling without diacritics and legal forms
// ("Nordhavn Shipping A/S", "nordhavn shipping"; "Compañía Nordhavn",
// "compania nordhavn").
func (b *builder) spell(s string) string {
	s = b.opts.Fold(strings.TrimSpace(s))
	if hasLatinLetters(s) && !strings.ContainsFunc(s, isHan) {
		var words []string
		for _, w := range strings.Fields(foldLatin(s)) {
			if !legalForms[w] {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			return strings.Join(words, " ")
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hasLatinLetters reports whether s has an ASCII letter or a Latin letter
// with a diacritic.
func hasLatinLetters(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Latin, r) })
}

// bareSpelling reports whether s is exactly a gazetteer spelling of a
// body type ("Ministry of External Affairs", 外交部): it says what kind of
// organisation, not which one.
func bareSpelling(s string) bool {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "the "))
	idx := bodySpellings()
	if has(idx, s) || has(idx, strings.ToLower(s)) {
		return true
	}
	return bodyCanons()[strings.ToLower(s)]
}

// bodyCanons holds the lower-cased canonical names of the bodies, for
// bareSpelling.
var bodyCanons = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, bd := range org.Bodies {
		m[strings.ToLower(bd.Canon)] = true
	}
	return m
})

// genericSector are body types whose sector a table's sector column
// refines.
var genericSector = map[string]bool{"Company": true, "Centre": true, "Bureau": true, "Committee": true, "Government": true, "Research institute": true}

// confidence scores a target; see DefaultMinConfidence.
func (b *builder) confidence(kp org.KeyParts, t Target, strong, paths int, table, stated bool) float64 {
	if table {
		return min(0.98, 0.9+0.02*float64(min(strong-1, 4)))
	}
	c := 0.3 + 0.1*float64(min(strong, 3)) + 0.1*float64(min(paths-1, 2))
	if stated {
		c += 0.1
	}
	english := false
	for _, a := range t.Aliases {
		if isLatinString(a) && isProperName(a) && !bareSpelling(a) && !isAcronym(a) || isAcronym(a) && !genericAcronym(a) {
			english = true
			break
		}
	}
	if english {
		c += 0.1
	}
	if !english && !stated && !bareKey(kp) && !isLatinString(kp.Name) {
		c -= 0.1 // a name guessed from the characters before 公司
	}
	return math.Round(min(c, 0.85)*100) / 100
}

// generic reports whether a spelling is a bare body word (外交部,
// Government) that names no organisation by itself.
func generic(s string) bool {
	idx := bodySpellings()
	strong, ok := idx[s]
	if !ok {
		strong, ok = idx[strings.ToLower(s)]
	}
	if ok {
		return !strong || utf8.RuneCountInString(s) <= 3
	}
	return utf8.RuneCountInString(s) < 2
}

// bodySpellings maps every spelling of a body word (Chinese as written,
// English lower-cased) to whether the first body in org.Bodies that has
// it is strong: generic runs for every mention of a case, and scanning
// the gazetteer each time made the combine quadratic in practice.
var bodySpellings = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, bd := range org.Bodies {
		for _, z := range bd.Zh {
			if !has(m, z) {
				m[z] = bd.Strong
			}
		}
		for _, e := range bd.En {
			if k := strings.ToLower(e); !has(m, k) {
				m[k] = bd.Strong
			}
		}
	}
	return m
})

func has(m map[string]bool, k string) bool {
	_, ok := m[k]
	return ok
}

func (b *builder) target(root string, g *group) (Target, bool) {
	kp := org.Key(root)
	strong, table := 0, false
	paths := map[string]bool{}
	for _, m := range g.mentions {
		if m.strong {
			strong++
			paths[m.path] = true
		}
		table = table || m.table
	}
	if strong == 0 {
		return Target{}, false
	}
	if kp.Country == "" && !table && bareKey(kp) {
		return Target{}, false // 外交部 alone: which one?
	}
	if !table && contractorLike(g) {
		return Target{}, false
	}
	t := Target{Country: kp.Country}
	var tableSector string
	stated := kp.Country != "" // the country is written, not inferred
	for _, m := range g.mentions {
		if m.country != "" && !m.inferred {
			stated = true
		}
	}
	for _, m := range g.mentions {
		if m.country != "" && t.Country == "" && (stated == !m.inferred) {
			t.Country = m.country
		}
		if m.sector != "" && tableSector == "" {
			tableSector = b.sector(m.sector)
		}
		if m.dataType != "" {
			for _, d := range b.dataTypes(m.dataType) {
				if !slices.ContainsFunc(t.DataTypes, func(o string) bool { return strings.EqualFold(o, d) }) {
					t.DataTypes = append(t.DataTypes, d)
				}
			}
		}
	}
	// Sector: the body type's, unless it is a generic one (Company,
	// Bureau) and the table says more.
	t.Sector = org.Sector(kp.Body)
	if kp.Country == geo.International {
		t.Sector = "international organisation"
	}
	if tableSector != "" && (t.Sector == "" || !org.Strong(kp.Body) && genericSector[kp.Body]) {
		t.Sector = tableSector
	}
	var dates []string
	var tableVol, tableRec, proseVol, proseRec int64
	for _, m := range g.mentions {
		if m.table {
			tableVol, tableRec = max(tableVol, m.volume), max(tableRec, m.records)
		} else if m.strong {
			proseVol, proseRec = max(proseVol, m.volume), max(proseRec, m.records)
		}
		dates = append(dates, m.dates...)
	}
	t.VolumeBytes, t.Records = cmp.Or(tableVol, proseVol), cmp.Or(tableRec, proseRec)
	if t.VolumeBytes > 0 && tableRec > 0 && tableVol == 0 {
		t.VolumeBytes = 0 // the table says records; a chat's size is a side remark
	}
	if len(dates) > 0 {
		slices.Sort(dates)
		t.FirstSeen, t.LastSeen = dates[0], dates[len(dates)-1]
	}
	name, extra := b.displayName(kp, t.Country, g)
	for _, a := range extra {
		g.aliases[a] = true
	}
	// Aliases, and evidence from every document naming one of them.
	for a := range g.aliases {
		t.Aliases = append(t.Aliases, a)
	}
	slices.Sort(t.Aliases)
	t.Name = name
	t.Confidence = b.confidence(kp, t, strong, len(paths), table, stated)
	for _, m := range g.mentions {
		t.Status = furthest(t.Status, m.status)
	}
	seen := map[string]bool{}
	add := func(path, snip string) {
		if seen[path] || len(t.Evidence) >= b.opts.MaxEvidence {
			return
		}
		seen[path] = true
		ev := Evidence{Path: path, Snippet: snip}
		if b.opts.Translate != nil {
			ev.Translation = b.opts.Translate(snip)
		}
		t.Evidence = append(t.Evidence, ev)
	}
	for _, m := range g.mentions {
		add(m.path, m.snippet)
	}
	var needles []string
	for _, a := range t.Aliases {
		if utf8.RuneCountInString(a) >= 3 || isLatinString(a) && len(a) >= 3 {
			needles = append(needles, a)
		}
	}
	if b.find != nil && len(needles) > 0 && len(t.Evidence) < b.opts.MaxEvidence {
		for _, h := range b.find(needles) {
			for _, p := range h.Paths {
				add(p, h.Snippet)
			}
		}
	}
	slices.SortFunc(t.Evidence, func(a, c Evidence) int { return strings.Compare(a.Path, c.Path) })
	if t.Aliases == nil {
		t.Aliases = []string{}
	}
	if t.DataTypes == nil {
		t.DataTypes = []string{}
	}
	return t, true
}

// findSpelling finds n in text: CJK as a substring (after folding), Latin
// case-insensitively on word boundaries.
func findSpelling(text, n string, fold func(string) string) (int, int, bool) {
	if !isLatinString(n) {
		if i := strings.Index(text, n); i >= 0 {
			return i, i + len(n), true
		}
		if f := fold(n); f != n {
			if i := strings.Index(text, f); i >= 0 {
				return i, i + len(f), true
			}
		}
		return 0, 0, false
	}
	lower := strings.ToLower(text)
	ln := strings.ToLower(n)
	for off := 0; ; {
		i := strings.Index(lower[off:], ln)
		if i < 0 {
			return 0, 0, false
		}
		i += off
		if latinBoundary(lower, i, i+len(ln)) {
			return i, i + len(ln), true
		}
		off = i + 1
	}
}

func latinBoundary(s string, i, j int) bool {
	isW := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }
	return (i == 0 || !isW(s[i-1])) && (j >= len(s) || !isW(s[j]))
}

// properCase undoes the lower-casing of keys for display.
func properCase(name, body string, aliases []string) string {
	if strings.EqualFold(name, body) {
		return body
	}
	if len(name) > len(body) && body != "" && strings.EqualFold(name[len(name)-len(body):], body) {
		q := name[:len(name)-len(body)]
		return strings.ToUpper(q[:1]) + q[1:] + body
	}
	for _, a := range aliases {
		if strings.EqualFold(a, name) {
			return a
		}
	}
	return name
}
