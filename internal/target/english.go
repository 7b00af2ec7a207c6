package target

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Sectors and data types are read from table cells in the language of the
// leak (政府, 医疗, 邮件、内部文件). The register reports them in English: a
// sector from a small curated vocabulary (the gazetteer's sector names),
// else from the translator when it returns English, else not at all; a data
// type from the vocabulary, else the translator, else as written.

// sectorWords map a sector word to its English sector, longest word first
// at lookup. Keys are Simplified (cells are folded before lookup) or
// lower-case English.
var sectorWords = map[string]string{
	"政府": "government", "政务": "government", "外交": "government / foreign affairs", "财政": "government / finance",
	"内政": "government / interior", "司法": "government / justice", "社保": "government / social security",
	"社会保障": "government / social security", "移民": "government / border control", "出入境": "government / border control",
	"海关": "government / border control", "国防": "military", "军事": "military", "军队": "military", "军方": "military",
	"警务": "law enforcement", "警察": "law enforcement", "公安": "law enforcement", "执法": "law enforcement",
	"反恐": "law enforcement / counter-terrorism", "情报": "intelligence", "医疗": "healthcare", "卫生": "healthcare",
	"医院": "healthcare", "健康": "healthcare", "电信": "telecommunications", "通信": "telecommunications",
	"运营商": "telecommunications", "移动": "telecommunications", "航空": "aviation", "民航": "aviation", "交通": "transport",
	"运输": "transport", "铁路": "transport", "物流": "logistics", "金融": "finance", "银行": "finance", "保险": "finance",
	"证券": "finance", "教育": "education", "高校": "education", "大学": "education", "科研": "research", "研究": "research",
	"能源": "energy", "电力": "energy", "石油": "energy", "天然气": "energy", "媒体": "media", "新闻": "media",
	"互联网": "internet", "科技": "technology", "制造": "manufacturing", "企业": "business", "商业": "business",
	"水务": "utilities", "供水": "utilities", "水利": "utilities", "燃气": "utilities", "公用事业": "utilities", "自来水": "utilities",
	"utilities": "utilities", "utility": "utilities", "water": "utilities",
	"酒店": "hospitality", "旅游": "tourism", "国际组织": "international organisation", "智库": "think tank",
	"government": "government", "healthcare": "healthcare", "health": "healthcare", "telecom": "telecommunications",
	"telecommunications": "telecommunications", "aviation": "aviation", "finance": "finance", "education": "education",
	"military": "military", "defence": "military", "defense": "military", "police": "law enforcement",
	"law enforcement": "law enforcement", "energy": "energy", "media": "media", "research": "research",
}

// dataWords map data-type words to English.
var dataWords = map[string]string{
	"邮件样本": "email samples", "邮件": "email", "邮箱导出": "mailbox export", "邮箱": "mailbox", "内部文件": "internal documents",
	"内部资料": "internal documents", "文件": "documents", "文档": "documents", "资料": "documents", "用户数据": "user data",
	"用户信息": "user data", "客户数据": "customer data", "话单": "call detail records", "通话记录": "call detail records",
	"通信记录": "call detail records", "人员档案": "personnel files", "档案": "files", "出入境数据": "entry and exit records",
	"出入境记录": "entry and exit records", "患者信息": "patient records", "病历": "patient records", "预约记录": "appointments",
	"旅客值机数据": "passenger check-in data", "旅客信息": "passenger data", "值机数据": "check-in data", "账号密码": "credentials",
	"账号": "accounts", "密码": "passwords", "数据库": "database", "源代码": "source code", "源码": "source code",
	"截图": "screenshots", "位置数据": "location data", "身份证": "identity records", "护照": "passport records",
	"用户资料": "subscriber data", "用户档案": "subscriber data", "学生档案": "student records", "学生信息": "student records",
	"学籍": "student records", "教职工邮箱": "staff mailboxes", "员工邮箱": "staff mailboxes", "员工信息": "staff records",
	"计费数据库": "billing database", "计费数据": "billing data", "网络拓扑": "network diagrams", "拓扑": "network diagrams",
	"图纸": "drawings", "设计图": "drawings",
	"外交电报": "diplomatic cables", "电报": "cables", "权限": "access", "访问权限": "access",
}

// vocabulary returns the English form of a table cell for the vocabulary
// words, or "" when there is none: the whole cell first, then the longest
// vocabulary word it contains.
func (b *builder) vocabulary(cell string, words map[string]string) string {
	c := strings.TrimSpace(b.opts.Fold(cell))
	if c == "" {
		return ""
	}
	if e, ok := words[strings.ToLower(c)]; ok {
		return e
	}
	if w := b.vocabularyWord(c, words); w != "" {
		return words[w]
	}
	return ""
}

// vocabularyWord returns the longest vocabulary word in cell, or "".
func (b *builder) vocabularyWord(cell string, words map[string]string) string {
	lc := strings.ToLower(strings.TrimSpace(b.opts.Fold(cell)))
	best := ""
	for w := range words {
		if len(w) > len(best) && strings.Contains(lc, w) {
			best = w
		}
	}
	return best
}

// sector returns the English sector of a table cell, or "".
func (b *builder) sector(cell string) string {
	if e := b.vocabulary(cell, sectorWords); e != "" {
		return e
	}
	c := strings.TrimSpace(cell)
	if isLatinString(c) && hasLetter(c) {
		return strings.ToLower(c)
	}
	if b.opts.Translate != nil {
		if tr := strings.TrimSpace(b.opts.Translate(c)); isLatinString(tr) && hasLetter(tr) {
			return strings.ToLower(tr)
		}
	}
	return ""
}

// dataTypes splits a data-type cell (邮件、内部文件) and returns each part
// in English where the vocabulary (the whole part, else the longest word
// in it) or the translator gives it, else as written.
func (b *builder) dataTypes(cell string) []string {
	seps := "、，,;；/|"
	if isLatinString(cell) {
		seps = ",;|" // Entry/exit records is one type
	}
	parts := strings.FieldsFunc(parenRE.ReplaceAllString(cell, ""), func(r rune) bool { return strings.ContainsRune(seps, r) })
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if !hasLetter(p) {
			continue // "—", "-", "?"
		}
		e := ""
		if isLatinString(p) {
			e = p
		} else if v := b.vocabulary(p, dataWords); v != "" {
			e = v
			// Keep the Latin words around a vocabulary word: VPN权限 is
			// "VPN access".
			if w := b.vocabularyWord(p, dataWords); w != "" {
				src := p
				if !strings.Contains(src, w) {
					src = b.opts.Fold(p)
				}
				if r := strings.Join(strings.Fields(strings.Replace(src, w, " "+v+" ", 1)), " "); isLatinString(r) {
					e = r
				}
			}
		} else if b.opts.Translate != nil {
			if tr := strings.TrimSpace(b.opts.Translate(p)); isLatinString(tr) && hasLetter(tr) {
				e = tr
			}
		}
		if e == "" {
			e = p
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, e) }) {
			out = append(out, e)
		}
	}
	return out
}

// parenRE matches a parenthesised remark: 邮件样本（十封）, 通话记录(CDR).
var parenRE = regexp.MustCompile(`\s*[(（][^()（）]*[)）]`)

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }
