package target

import (
	"encoding/csv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity/date"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/entity/volume"
	"github.com/leakscope/leakscope/internal/leak"

	"github.com/leakscope/leakscope/internal/entity"
)

// Column roles of a target table.
const (
	colNone = iota
	colOrg
	colCountry
	colSector
	colData
	colVolume
	colDate
	// colAlias is a second name column (英文名称, "English name"): another
	// spelling of the row's organisation.
	colAlias
	// colUnit is a column that holds the unit of the volume column's bare
	// numbers ("Size | Unit": 1.5 | TB).
	colUnit
	// colStatus is the state of the operation against the row's
	// organisation (状态: 已交付, "exfil in progress", 未成功).
	colStatus
)

// headerWords maps header words to roles, tried in order: the first entry
// whose word the cell contains wins, so 数据类型 is data before 数据量 is
// volume before 单位 is the organisation.
var headerWords = []struct {
	word string
	role int
}{
	{"计量单位", colUnit}, {"unit", colUnit}, {"状态", colStatus}, {"狀態", colStatus}, {"进度", colStatus}, {"進度", colStatus}, {"进展", colStatus}, {"status", colStatus}, {"progress", colStatus}, {"outcome", colStatus},
	{"数据类型", colData}, {"數據類型", colData}, {"data type", colData}, {"数据内容", colData}, {"内容", colData}, {"內容", colData}, {"content", colData},
	{"数据量", colVolume}, {"數據量", colVolume}, {"数量", colVolume}, {"數量", colVolume}, {"总量", colVolume}, {"總量", colVolume}, {"规模", colVolume}, {"規模", colVolume}, {"quantity", colVolume}, {"amount", colVolume}, {"大小", colVolume}, {"体积", colVolume}, {"體積", colVolume}, {"容量", colVolume}, {"volume", colVolume}, {"size", colVolume}, {"条数", colVolume}, {"records", colVolume},
	{"获取时间", colDate}, {"時間", colDate}, {"时间", colDate}, {"日期", colDate}, {"年份", colDate}, {"date", colDate}, {"time", colDate}, {"obtained", colDate}, {"year", colDate},
	{"国家", colCountry}, {"國家", colCountry}, {"国别", colCountry}, {"地区", colCountry}, {"地區", colCountry}, {"country", colCountry}, {"region", colCountry},
	{"行业", colSector}, {"行業", colSector}, {"领域", colSector}, {"領域", colSector}, {"sector", colSector}, {"industry", colSector},
	{"目标单位", colOrg}, {"目标", colOrg}, {"目標", colOrg}, {"单位", colOrg}, {"單位", colOrg}, {"机构", colOrg}, {"機構", colOrg}, {"对象", colOrg}, {"名称", colOrg}, {"名稱", colOrg},
	{"来源", colOrg}, {"來源", colOrg}, {"source", colOrg}, {"institution", colOrg}, {"agency", colOrg}, {"period", colDate},
	{"target", colOrg}, {"organisation", colOrg}, {"organization", colOrg}, {"victim", colOrg}, {"entity", colOrg}, {"name", colOrg},
	{"类型", colData}, {"類型", colData}, {"数据", colData}, {"data", colData}, {"type", colData},
}

// roleOf returns the role of a header cell and the unit written in it
// ("数据量(GB)" -> colVolume, "GB").
func roleOf(cell string) (int, string) {
	c := strings.ToLower(strings.TrimSpace(cell))
	if c == "" || len(c) > 40 {
		return colNone, ""
	}
	unit := ""
	if m := unitRE.FindStringSubmatch(c); m != nil {
		unit = strings.ToUpper(m[1])
	}
	for _, h := range headerWords {
		if strings.Contains(c, h.word) {
			return h.role, unit
		}
	}
	return colNone, unit
}

var unitRE = regexp.MustCompile(`[(（]\s*([kmgtp]i?b?|万条|條|条|万|records)\s*[)）]`)

// splitRow splits a line into cells: tabs when there are any, else CSV.
func splitRow(line string) []string {
	line = strings.TrimRight(line, "\r")
	if strings.Contains(line, "\t") {
		return strings.Split(line, "\t")
	}
	if strings.Count(line, ",") >= 2 {
		r := csv.NewReader(strings.NewReader(line))
		r.LazyQuotes = true
		if rec, err := r.Read(); err == nil {
			return rec
		}
	}
	return nil
}

// header returns the column roles of a header line with an organisation
// column and at least two others, or nil.
func header(line string) ([]int, []string) {
	cells := splitRow(line)
	if len(cells) < 3 {
		return nil, nil
	}
	roles := make([]int, len(cells))
	units := make([]string, len(cells))
	seen := map[int]bool{}
	for i, c := range cells {
		r, u := roleOf(c)
		if r == colOrg && seen[colOrg] && !seen[colAlias] && nameHeader(c) {
			r = colAlias // 单位, 英文名称: two names of one organisation
		} else if seen[r] {
			r = colNone
		}
		roles[i], units[i] = r, u
		seen[r] = true
	}
	n := 0
	for r := colCountry; r <= colDate; r++ {
		if seen[r] {
			n++
		}
	}
	if !seen[colOrg] || n < 2 {
		return nil, nil
	}
	return roles, units
}

// tables reads the target tables of text and returns the text without
// their rows, for the prose pass.
func (b *builder) tables(path, text string) string {
	lines := strings.Split(text, "\n")
	var rest strings.Builder
	var roles []int
	var units []string
	var gloss *glossaryColumns
	for _, line := range lines {
		if strings.HasPrefix(line, "\f") {
			// A page or sheet break ends a table: the next sheet has
			// its own header.
			roles, gloss = nil, nil
			line = strings.TrimLeft(line, "\f")
			rest.WriteString("\f")
		}
		if gloss != nil {
			if cells := splitRow(line); len(cells) >= 2 && !headerLike(cells) {
				b.glossaryRow(path, line, cells, gloss)
				rest.WriteString("\n")
				continue
			}
			gloss = nil
		}
		if roles != nil {
			cells := splitRow(line)
			if len(cells) >= 2 && !headerLike(cells) {
				b.row(path, line, cells, roles, units)
				rest.WriteString("\n")
				continue
			}
			roles = nil
		}
		if r, u := header(line); r != nil {
			roles, units = r, u
			rest.WriteString("\n")
			continue
		}
		if g := glossaryHeader(line); g != nil {
			gloss = g
			rest.WriteString("\n")
			continue
		}
		if cells := splitRow(line); len(cells) >= 2 && headerLike(cells) {
			rest.WriteString("\n") // a header of a table that is not a target list
			continue
		}
		rest.WriteString(line)
		rest.WriteString("\n")
	}
	return rest.String()
}

func (b *builder) row(path, line string, cells []string, roles []int, units []string) {
	var orgCell, aliasCell, country, sector, data, volCell, volUnit, unit string
	var status Status
	var vol, rec int64
	var dates []string
	for i, c := range cells {
		if i >= len(roles) {
			break
		}
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		switch roles[i] {
		case colOrg:
			orgCell = c
		case colAlias:
			aliasCell = c
		case colCountry:
			if code, ok := geo.Cell(c); ok {
				country = code
			}
		case colUnit:
			unit = c
		case colStatus:
			status = ReadStatus(c)
		case colSector:
			sector = c
		case colData:
			data = c
		case colVolume:
			volCell, volUnit = c, units[i]
		case colDate:
			dates = append(dates, cellDates(c)...)
		}
	}
	if orgCell == "" || headerCell(orgCell) {
		return
	}
	if volCell != "" {
		if volUnit == "" {
			volUnit = unitOf(unit)
		}
		vol, rec = cellVolume(volCell, volUnit)
	}
	snip := b.snippet(line, 0, len(line))
	base := mention{path: path, snippet: snip, strong: true, table: true, conf: 0.9, country: country,
		sector: sector, dataType: data, volume: vol, records: rec, dates: dates, status: status}
	name, paren := splitNameCell(orgCell)
	if name == "" {
		return
	}
	var ms []entity.Match
	org.Detector{}.Detect([]byte(name), func(m entity.Match) { ms = append(ms, m) })
	whole := len(ms) == 0 || len(ms) == 1 && ms[0].End-ms[0].Start < len(name) && !describes(name, ms[0])
	if whole && !nameLike(name) {
		if len(ms) == 0 {
			return // an address, a number: not an organisation
		}
		whole = false // "Nordhavn Shipping S.p.A." read as its mention
	}
	if whole {
		// The cell is the name (a table cell holds one organisation): a
		// mention the detector cut short (亚理工大学 inside
		// 北湖理工大学) or none at all. The body is the one the name
		// ends with, if any.
		kp := org.KeyParts{Country: country, Name: name}
		if len(ms) > 0 && ms[len(ms)-1].End == len(name) {
			last := org.Key(ms[len(ms)-1].Norm)
			kp.Body = last.Body
			if kp.Country == "" {
				kp.Country = last.Country
			}
		}
		m := base
		m.value = name
		m.key = b.key(kp.Norm())
		b.mentions = append(b.mentions, m)
		b.alias(base, m.key, paren, country)
		b.alias(base, m.key, aliasCell, country)
		return
	}
	first := b.key(withCountry(ms[0].Norm, country))
	defer func() {
		b.alias(base, first, paren, country)
		b.alias(base, first, aliasCell, country)
	}()
	for _, om := range ms {
		k := org.Key(om.Norm)
		if k.Country == "" {
			k.Country = country
		}
		m := base
		m.value = om.Value
		m.key = b.key(k.Norm())
		b.mentions = append(b.mentions, m)
	}
	// The whole cell is a spelling too, when it is more than the mention.
	if ms[0].Value != name {
		m := base
		m.value = name
		m.key = b.key(ms[0].Norm)
		b.mentions = append(b.mentions, m)
	}
}

// describes reports whether a cell says no more than its one mention
// does: the rest is body words ("Nordhavn government agency" for the
// mention "Nordhavn government"), so the mention's key stands.
func describes(cell string, m entity.Match) bool {
	rest := strings.TrimSpace(cell[:m.Start] + " " + cell[m.End:])
	return rest == "" || isLatinString(rest) && bodyWordsOnly(rest) || bareSpelling(rest)
}

// splitNameCell splits an organisation cell into its name and a
// parenthesised alias (splitParenAlias): "卡斯特拉诺航运(Castellano
// Shipping)" gives both, "卡斯特拉诺航运（热那亚）" only the name, since a
// parenthesis in the name's own script that is not an acronym is a remark
// (a city, a department), not another name.
func splitNameCell(cell string) (name, alias string) {
	cell = strings.TrimSpace(cell)
	open := strings.IndexAny(cell, "(（")
	if open <= 0 {
		return cell, ""
	}
	inner := strings.TrimSpace(strings.TrimRight(strings.TrimLeft(cell[open:], "(（"), ")） "))
	name = strings.TrimSpace(cell[:open])
	if !strings.HasSuffix(cell, ")") && !strings.HasSuffix(cell, "）") || strings.ContainsAny(inner, "()（）") {
		return cell, ""
	}
	if inner == "" || !hasLetter(inner) {
		return name, ""
	}
	if isAcronym(inner) || isLatinString(name) != isLatinString(inner) {
		return name, inner
	}
	return name, ""
}

// unitOf reads the unit a unit column writes ("TB", "GB (800-900)",
// "records", 万条) in the form cellVolume takes, or "".
func unitOf(cell string) string {
	c := strings.ToLower(strings.TrimSpace(cell))
	if c == "" {
		return ""
	}
	for _, u := range []string{"万条", "万", "条", "條", "records", "rows", "entries"} {
		if strings.HasPrefix(c, u) {
			if u == "rows" || u == "entries" {
				return "RECORDS"
			}
			return strings.ToUpper(u)
		}
	}
	if m := leadingUnitRE.FindStringSubmatch(c); m != nil {
		return strings.ToUpper(m[1])
	}
	return ""
}

var leadingUnitRE = regexp.MustCompile(`^([kmgtp])(?:i?b|bytes?)?\b`)

// glossaryColumns are the columns of a name glossary: a table that gives
// each organisation's name in two scripts (原文 | 中文译名 | 国家:
// "Castellano Shipping S.p.A. | 卡斯特拉诺航运 | 意大利"), the case's own
// record of which spellings are one organisation.
type glossaryColumns struct {
	names   []int
	country int // -1 when none
}

// glossaryHeader returns the columns of a glossary header: at least two
// cells that head name columns (原文, 译名, 中文名, "English name",
// "Original"), or nil.
func glossaryHeader(line string) *glossaryColumns {
	cells := splitRow(line)
	if len(cells) < 2 {
		return nil
	}
	g := &glossaryColumns{country: -1}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if len(c) == 0 || len(c) > 40 {
			continue
		}
		if r, _ := roleOf(c); r == colCountry && g.country < 0 {
			g.country = i
			continue
		}
		if nameHeader(c) || glossaryWord(c) {
			g.names = append(g.names, i)
		}
	}
	if len(g.names) < 2 {
		return nil
	}
	return g
}

// glossaryWord reports whether a header cell heads the original or the
// translated name of a glossary (原文, 译名, "Original", "Translation").
func glossaryWord(cell string) bool {
	c := strings.ToLower(cell)
	for _, w := range []string{"原文", "译名", "譯名", "中文", "外文名", "original", "translation", "chinese", "local name", "native"} {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// glossaryRow records the spellings of one glossary row as mentions of
// one organisation that are not targeting (a glossary lists names, it
// says nothing was taken): they join the organisation's other mentions
// by spelling and bring this document as evidence.
func (b *builder) glossaryRow(path, line string, cells []string, g *glossaryColumns) {
	country := ""
	if g.country >= 0 && g.country < len(cells) {
		country, _ = geo.Cell(cells[g.country])
	}
	var spellings []string
	for _, i := range g.names {
		if i >= len(cells) {
			continue
		}
		name, alias := splitNameCell(cells[i])
		for _, sp := range []string{name, alias} {
			if sp != "" && nameLike(sp) && !headerCell(sp) && !slices.Contains(spellings, sp) {
				spellings = append(spellings, sp)
			}
		}
	}
	scripts := 0
	for _, sp := range spellings {
		if strings.ContainsFunc(sp, isHan) {
			scripts |= 1
		} else {
			scripts |= 2
		}
	}
	if len(spellings) < 2 || scripts != 3 {
		return // one name, or two in one script: not a translation
	}
	snip := b.snippet(line, 0, len(line))
	key := b.key(org.KeyParts{Country: country, Name: spellings[0]}.Norm())
	for _, sp := range spellings {
		b.mentions = append(b.mentions, mention{key: key, value: sp, path: path, snippet: snip, conf: 0.5, country: country})
	}
}

// nameHeader reports whether a header cell heads a column of names
// (英文名称, 简称, "English name", "Alias"), not of sources or owners.
func nameHeader(cell string) bool {
	c := strings.ToLower(cell)
	for _, w := range []string{"名称", "名稱", "英文", "外文", "全称", "全稱", "简称", "簡稱", "别名", "別名", "原名", "name", "alias", "english", "aka"} {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// alias records the cell of a second name column as another spelling of
// the row's organisation (key): its own organisation key, when it has one,
// is linked to the row's so that mentions under either spelling merge.
func (b *builder) alias(base mention, key, cell, country string) {
	if cell == "" || headerCell(cell) || !nameLike(strings.NewReplacer("(", "", ")", "", "（", "", "）", "").Replace(cell)) {
		return
	}
	m := base
	m.value = cell
	m.key = key
	var ms []entity.Match
	org.Detector{}.Detect([]byte(cell), func(om entity.Match) { ms = append(ms, om) })
	if len(ms) > 0 {
		k := b.key(withCountry(ms[0].Norm, country))
		if kp := org.Key(k); !bareKey(kp) && !(kp.Country != "" && country != "" && kp.Country != country) {
			m.key = k
			b.links = append(b.links, [2]string{key, k})
		}
	}
	b.mentions = append(b.mentions, m)
}

// withCountry fills the country of an org Norm that names none.
func withCountry(norm, country string) string {
	k := org.Key(norm)
	if k.Country == "" {
		k.Country = country
	}
	return k.Norm()
}

// headerWordSet holds every header word of a target table and of the
// other tables a leak keeps (deliveries, contacts, status boards): a cell
// that is exactly one of them is a header, never an organisation.
var headerWordSet = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range headerWords {
		m[h.word] = true
	}
	for _, w := range []string{"序号", "序號", "编号", "編號", "备注", "備註", "说明", "說明", "状态", "狀態", "负责人", "負責人",
		"接收人", "联系人", "聯繫人", "项目", "項目", "进度", "進度", "阶段", "階段", "英文名称", "英文名稱", "英文名", "中文名称", "全称", "简称",
		"no", "no.", "#", "id", "remark", "remarks", "note", "notes", "status", "owner", "contact", "project", "stage",
		"description", "comment", "comments", "english name", "chinese name", "unit", "org", "company", "customer", "client", "客户", "客戶"} {
		m[w] = true
	}
	return m
}()

// headerCell reports whether a cell is a column header word ("单位",
// "Remark", "数据量(GB)").
func headerCell(c string) bool {
	c = strings.TrimSpace(unitRE.ReplaceAllString(strings.ToLower(c), ""))
	c = strings.TrimSpace(strings.Trim(c, ":：*"))
	return headerWordSet[c]
}

// headerLike reports whether a row is a header row: at least two of its
// non-empty cells, and most of them, are header words.
func headerLike(cells []string) bool {
	n, h := 0, 0
	for _, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		n++
		if headerCell(c) {
			h++
		}
	}
	return h >= 2 && 2*h > n
}

// nameLike reports whether a cell could name an organisation: it has a
// letter and is not an address (IP, domain, URL, e-mail, path).
func nameLike(c string) bool {
	if strings.IndexFunc(c, unicode.IsLetter) < 0 || strings.ContainsAny(c, ":@/\\") || utf8.RuneCountInString(c) > 60 {
		return false
	}
	// A dot is part of a legal form (S.p.A., Co.) but not of a name
	// that is a domain or an address (acme.example, 10.0.0.1).
	for _, w := range strings.Fields(c) {
		if domainLikeRE.MatchString(strings.TrimRight(w, ".,;")) {
			return false
		}
	}
	return true
}

var domainLikeRE = regexp.MustCompile(`^[\w-]+(\.[\w-]+)*\.([a-z]{2,}|\d+)$`)

// cellVolume reads a volume cell; a bare number takes the header's unit.
func cellVolume(c, unit string) (int64, int64) {
	var vol, rec int64
	volume.Detector{}.Detect([]byte(c), func(m entity.Match) {
		if v, ok := strings.CutPrefix(m.Norm, "bytes:"); ok {
			vol, _ = strconv.ParseInt(v, 10, 64)
		} else if v, ok := strings.CutPrefix(m.Norm, "records:"); ok {
			rec, _ = strconv.ParseInt(v, 10, 64)
		}
	})
	if vol > 0 || rec > 0 || unit == "" {
		return vol, rec
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(c, ",", ""), 64)
	if err != nil || f <= 0 {
		return 0, 0
	}
	switch unit[0] {
	case 'K', 'M', 'G', 'T', 'P':
		shift := map[byte]float64{'K': 10, 'M': 20, 'G': 30, 'T': 40, 'P': 50}[unit[0]]
		return int64(f * math.Exp2(shift)), 0
	}
	switch unit {
	case "万条", "万":
		return 0, int64(math.Round(f * 1e4))
	case "条", "條", "RECORDS":
		return 0, int64(f)
	}
	return 0, 0
}

func cellDates(c string) []string {
	var out []string
	date.Detector{}.Detect([]byte(c), func(m entity.Match) { out = append(out, m.Norm) })
	if len(out) == 0 {
		if y, err := strconv.Atoi(strings.TrimSpace(c)); err == nil && y >= 1990 && y <= 2099 {
			out = append(out, strconv.Itoa(y))
		}
	}
	return out
}

var _ = leak.KindOrg
