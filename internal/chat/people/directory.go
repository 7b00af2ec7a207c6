package people

import (
	"regexp"
	"strings"
	"unicode"
)

// Entry is one person as a staff directory lists them.
type Entry struct {
	Name    string   // real name: 张三
	Nicks   []string // display names, nicknames
	Handles []string // account ids: wxid_..., QQ numbers, Jabber addresses
	Emails  []string
}

// Directory is the evidence about people found inside the leak: a staff
// directory spreadsheet, signatures. It seeds Resolve.
type Directory struct {
	Entries []Entry
}

// Add appends an entry, merging it into an existing one with the same name.
func (d *Directory) Add(e Entry) {
	e.Name = strings.TrimSpace(e.Name)
	for i := range d.Entries {
		if e.Name != "" && d.Entries[i].Name == e.Name {
			x := &d.Entries[i]
			x.Nicks = appendNew(x.Nicks, e.Nicks...)
			x.Handles = appendNew(x.Handles, e.Handles...)
			x.Emails = appendNew(x.Emails, e.Emails...)
			return
		}
	}
	d.Entries = append(d.Entries, e)
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		dup := false
		for _, x := range list {
			if strings.EqualFold(x, v) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}

// Column roles recognised in a directory header, by the words a header
// cell contains.
var columnWords = []struct {
	role  string
	words []string
}{
	{"email", []string{"邮箱", "郵箱", "email", "e-mail", "mail", "邮件"}},
	{"nick", []string{"昵称", "暱稱", "nick", "花名", "外号", "display"}},
	{"handle", []string{"微信", "wechat", "qq", "账号", "帳號", "handle", "account", "jabber", "telegram", "id", "用户名", "username", "skype", "tox"}},
	{"name", []string{"姓名", "名字", "name", "员工", "全名"}},
}

var (
	emailRe = regexp.MustCompile(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$`)
)

// DirectoryFromTable reads a staff directory from a table rendered as text:
// one row per line, cells separated by tabs (or by commas when no line has a
// tab), a header row naming the columns (姓名/名字/name, 昵称/nick,
// 微信/QQ/账号/handle, 邮箱/email). ok is false when no header with a
// name column and at least one identity column is found in the first 20
// lines. Several tables in one text (several sheets) are all read.
func DirectoryFromTable(text string) (Directory, bool) {
	var d Directory
	lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(text, "\ufeff"), "\r\n", "\n"), "\n")
	sep := "\t"
	if !strings.Contains(text, "\t") {
		sep = ","
	}
	var roles []string
	nameCol := -1
	for _, line := range lines {
		cells := strings.Split(line, sep)
		if r, nc := headerRoles(cells); nc >= 0 {
			roles, nameCol = r, nc
			continue
		}
		if roles == nil || nameCol >= len(cells) {
			continue
		}
		var e Entry
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if i >= len(roles) || c == "" {
				continue
			}
			for _, v := range splitCell(c) {
				switch {
				case emailRe.MatchString(v):
					e.Emails = appendNew(e.Emails, v)
				case roles[i] == "name":
					if e.Name == "" {
						e.Name = v
					}
				case roles[i] == "nick":
					e.Nicks = appendNew(e.Nicks, v)
				case roles[i] == "handle":
					e.Handles = appendNew(e.Handles, v)
				}
			}
		}
		if e.Name != "" && (len(e.Emails)+len(e.Handles)+len(e.Nicks) > 0) {
			d.Add(e)
		}
	}
	return d, len(d.Entries) > 0
}

// splitCell splits a cell holding several values ("wxid_a / 12345").
func splitCell(c string) []string {
	f := strings.FieldsFunc(c, func(r rune) bool { return r == '/' || r == ';' || r == '；' || r == '、' || r == '|' })
	if len(f) <= 1 {
		return []string{c}
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

// headerRoles returns the role of each cell of a header row and the index
// of the name column, or -1 when the row is not a directory header.
func headerRoles(cells []string) ([]string, int) {
	roles := make([]string, len(cells))
	nameCol, ident := -1, 0
	for i, c := range cells {
		lc := strings.ToLower(strings.TrimSpace(c))
		if lc == "" || len([]rune(lc)) > 20 || emailRe.MatchString(lc) {
			continue
		}
		for _, cw := range columnWords {
			if hasWord(lc, cw.words) {
				roles[i] = cw.role
				break
			}
		}
		switch roles[i] {
		case "name":
			if nameCol < 0 {
				nameCol = i
			}
		case "email", "nick", "handle":
			ident++
		}
	}
	if nameCol < 0 || ident == 0 {
		return nil, -1
	}
	return roles, nameCol
}

// hasWord matches CJK words as substrings and Latin words on boundaries.
func hasWord(s string, words []string) bool {
	for _, w := range words {
		i := strings.Index(s, w)
		if i < 0 {
			continue
		}
		if w[0] >= 0x80 {
			return true
		}
		before := i == 0 || !isASCIILetter(rune(s[i-1]))
		j := i + len(w)
		after := j == len(s) || !isASCIILetter(rune(s[j]))
		if before && after {
			return true
		}
	}
	return false
}

func isASCIILetter(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }
