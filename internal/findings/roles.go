package findings

import (
	"net/url"
	"strings"
)

// Kind groups of the rules.
var (
	netKinds     = kinds("ipv4", "ipv6", "domain", "url", "email")
	hostKinds    = kinds("ipv4", "ipv6", "domain", "url")
	addressKinds = kinds("email", "phone", "domain", "url")
	contactKinds = kinds("email", "phone")
	nameKinds    = kinds("email", "domain", "url")
	hashKinds    = kinds("md5", "sha1", "sha256")
)

func kinds(ks ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

// Context words, lowercase. Each list is what a person writes next to an
// address of that role.
var (
	// phishingWords: "lure sent from hr-portal-acme.example (钓鱼)".
	phishingWords = []string{"钓鱼", "诱饵", "仿冒", "伪造", "发件域", "phishing", "phish", "lure", "spoof", "lookalike"}
	// c2Words and the purpose each shows: "回连 198.51.100.9", "C2: 198.51.100.9".
	c2Words = []struct {
		word    string
		purpose Purpose
	}{
		{"回传", PurposeExfiltration}, {"外传", PurposeExfiltration}, {"exfil", PurposeExfiltration},
		{"跳板", PurposeRelay}, {"中转", PurposeRelay}, {"relay", PurposeRelay}, {"proxy", PurposeRelay},
		{"jump host", PurposeRelay}, {"代理", PurposeRelay},
		{"回连", PurposeC2}, {"上线", PurposeC2}, {"c2", PurposeC2}, {"c&c", PurposeC2}, {"beacon", PurposeC2},
		{"teamserver", PurposeC2}, {"控制端", PurposeC2}, {"command and control", PurposeC2}, {"callback", PurposeC2},
		{"扫描机", PurposeRecon}, {"扫描器", PurposeRecon}, {"scanner", PurposeRecon},
		{"下载地址", PurposeMalware}, {"payload", PurposeMalware}, {"木马", PurposeMalware}, {"implant", PurposeMalware},
	}
	// malwareWords: "样本 md5 0123…" or "loader sha256 …" next to a hash.
	malwareWords = []string{"样本", "木马", "后门", "免杀", "诱饵", "loader", "lure", "payload", "implant", "backdoor", "dropper",
		"malware", "sample", "beacon", "shellcode", "更新包", "patch"}
	// customerWords: "客户联系人 buyer@bureau.example", "甲方: …".
	customerWords = []string{"客户", "甲方", "采购方", "公安局", "公安厅", "安全厅", "安全局", "customer", "client",
		"buyer", "party a"}
	// saleWords in a mail subject make it about a sale: "Re: 报价确认".
	saleWords = []string{"报价", "合同", "采购", "订单", "发票", "付款", "结算", "quotation", "quote", "contract", "invoice",
		"purchase order", "payment"}
	// partnerWords: "合作方 sales@nordhavn.example".
	partnerWords = []string{"合作方", "合作伙伴", "供应商", "代理商", "partner", "supplier", "vendor", "reseller"}
	// victimWords: "目标邮箱 it@nordhavn.example".
	victimWords = []string{"目标邮箱", "目标域名", "目标网站", "目标单位", "受害", "victim", "target domain",
		"target mail", "target's"}
	// ownPartyWords: in a service contract the contractor is party B:
	// "乙方联系人 ops@acme-sec.example".
	ownPartyWords = []string{"乙方", "party b"}
	// staffColumns and contactColumns: a document whose head has one of
	// each is a staff directory ("姓名 | 部门 | 邮箱"); contact columns
	// alone are as likely a victim's customer dump ("name,email").
	staffColumns   = []string{"部门", "职位", "职务", "工号", "分机", "通讯录", "员工", "department", "position", "extension", "employee", "staff"}
	contactColumns = []string{"邮箱", "电话", "手机", "e-mail", "email", "phone", "mobile"}
	// signatureMarkers open an e-mail signature ("-- ", "Best regards").
	signatureMarkers = []string{"--", "best regards", "kind regards", "regards,", "此致", "敬礼", "顺颂商祺", "顺祝商祺", "谢谢！"}
)

// roleRule decides a mention's role from its context, or passes.
type roleRule struct {
	name   string
	kinds  map[string]bool
	decide func(c *docCtx, m Mention, line int) (Role, Purpose, bool)
}

// roleRules are tried in order on each mention; the first that decides
// wins for that mention. The contractor's-own rules come first because
// a staff list names the team's C2 work as often as its e-mail.
var roleRules = []roleRule{
	// "张三 | 渗透组 | zhang@acme-sec.example" in a staff list.
	{"staff-directory", contactKinds, func(c *docCtx, m Mention, _ int) (Role, Purpose, bool) {
		_, staff := containsAny(c.head, staffColumns)
		_, contact := containsAny(c.head, contactColumns)
		return RoleOwn, "", staff && contact && !c.mail
	}},
	// "-- \nZhang San, Acme Security\nzhang@acme-sec.example" under a mail.
	{"signature", contactKinds, func(c *docCtx, m Mention, l int) (Role, Purpose, bool) {
		for i := l; i >= 0 && i >= l-c.p.SignatureLines; i-- {
			s := strings.ToLower(strings.TrimSpace(c.text(i)))
			for _, mk := range signatureMarkers {
				if s == mk || mk != "--" && strings.HasPrefix(s, mk) {
					return RoleOwn, "", true
				}
			}
		}
		return "", "", false
	}},
	// "乙方联系人: ops@acme-sec.example" in a contract.
	{"contract-party-b", addressKinds, near(RoleOwn, "", ownPartyWords)},
	// "From: IT Helpdesk <it@acme-mail.example>" heading a lure mail.
	{"lure-sender", kinds("email"), func(c *docCtx, m Mention, l int) (Role, Purpose, bool) {
		return RolePhishing, PurposePhishing, c.lure() && headerLine(c.text(l), "from", "reply-to", "return-path", "sender")
	}},
	// "To: staff@nordhavn.example" of a lure mail: the person it was sent to.
	{"lure-recipient", kinds("email"), func(c *docCtx, m Mention, l int) (Role, Purpose, bool) {
		return RoleVictim, "", c.lure() && headerLine(c.text(l), "to", "cc", "bcc")
	}},
	// "钓鱼页 hr-portal-acme.example" or "lure from hr@acme-hr.example".
	{"phishing-context", nameKinds, near(RolePhishing, PurposePhishing, phishingWords)},
	// "回连 198.51.100.9", "跳板 198.51.100.10", "C2: update.acme-cdn.example".
	{"attacker-context", hostKinds, func(c *docCtx, m Mention, _ int) (Role, Purpose, bool) {
		w := c.window(m)
		for _, cw := range c2Words {
			if strings.Contains(w, cw.word) {
				return RoleAttacker, cw.purpose, true
			}
		}
		return "", "", false
	}},
	// "钓鱼服务器 198.51.100.8": an address next to a phishing word and
	// no C2 word (tried after attacker-context: "钓鱼…回连 198.51.100.9"
	// names the C2 the lure calls back to).
	{"phishing-host", kinds("ipv4", "ipv6"), near(RolePhishing, PurposePhishing, phishingWords)},
	// "loader 样本 md5 0123…": a hash of the actor's malware.
	{"malware-hash", hashKinds, near(RoleAttacker, PurposeMalware, malwareWords)},
	// "客户联系人 buyer@bureau.example".
	{"customer-context", addressKinds, near(RoleCustomer, "", customerWords)},
	// "From: buyer@bureau.example" of a mail whose subject is a quote, a
	// contract or an invoice: a party to the sale. The contractor's own
	// addresses on such mails stay its own (rolePrecedence).
	{"sale-mail-party", kinds("email"), func(c *docCtx, m Mention, l int) (Role, Purpose, bool) {
		if !c.mail || !headerLine(c.text(l), "from", "to", "cc") {
			return "", "", false
		}
		_, ok := containsAny(strings.ToLower(c.subject()), saleWords)
		return RoleCustomer, "", ok
	}},
	// "合作方 sales@nordhavn.example".
	{"partner-context", addressKinds, near(RolePartner, "", partnerWords)},
	// "目标邮箱 it@nordhavn.example", "victim domain nordhavn.example".
	{"victim-context", nameKinds, near(RoleVictim, "", victimWords)},
	// "Nordhavn Shipping: it@nordhavn.example" on a line naming a target.
	// Addresses only: a line naming a target also names where its data
	// went ("Nordhavn Shipping 上传到 https://drop.example/x").
	{"names-target", kinds("email"), func(c *docCtx, m Mention, l int) (Role, Purpose, bool) {
		s := strings.ToLower(c.text(l))
		for _, t := range c.k.Targets {
			if len(t) >= 3 && strings.Contains(s, strings.ToLower(t)) {
				return RoleVictim, "", true
			}
		}
		return "", "", false
	}},
}

// near is a rule that decides role when one of the words is within the
// window of the mention.
func near(role Role, purpose Purpose, words []string) func(*docCtx, Mention, int) (Role, Purpose, bool) {
	return func(c *docCtx, m Mention, _ int) (Role, Purpose, bool) {
		_, ok := containsAny(c.window(m), words)
		return role, purpose, ok
	}
}

// Observe reads one document: a vote per IOC mention (the first role
// rule that decides, or unknown), the techniques and the tools it shows.
// It is pure and safe for concurrent use.
func Observe(d Doc, k Knowledge, p Params) Observation {
	p = p.withDefaults()
	c := newDocCtx(d, k, p)
	var obs Observation
	var lvs []lineVote
	for _, m := range d.Mentions {
		if !netKinds[m.Kind] && !hashKinds[m.Kind] && m.Kind != "phone" {
			continue
		}
		if m.Start < 0 || m.End > len(d.Text) || m.Start > m.End {
			continue
		}
		l := c.lineOf(m.Start)
		v := Vote{Kind: m.Kind, Value: m.Value, Role: RoleUnknown, Evidence: c.evidence(l)}
		// The domain of "ops@acme-sec.example" or of a URL is judged with
		// its address (Combine spreads the address's role to it): its
		// context is the address's, and a relay named beside a contact
		// address would make the company's domain a C2.
		if m.Kind == "domain" && insideAddress(d, m) {
			obs.Votes = append(obs.Votes, v)
			lvs = append(lvs, lineVote{v, l})
			continue
		}
		for _, r := range roleRules {
			if !r.kinds[m.Kind] {
				continue
			}
			if role, purpose, ok := r.decide(c, m, l); ok {
				v.Role, v.Purpose, v.Rule = role, purpose, r.name
				break
			}
		}
		obs.Votes = append(obs.Votes, v)
		lvs = append(lvs, lineVote{v, l})
	}
	obs.Techniques = techniques(c, lvs)
	obs.Tools = tools(c)
	return obs
}

// insideAddress says whether a domain mention is part of an e-mail
// address or a URL mentioned in the same document.
func insideAddress(d Doc, m Mention) bool {
	if m.Start > 0 && (d.Text[m.Start-1] == '@' || d.Text[m.Start-1] == '/') {
		return true
	}
	for _, o := range d.Mentions {
		if (o.Kind == "email" || o.Kind == "url") && o.Start <= m.Start && m.End <= o.End {
			return true
		}
	}
	return false
}

// rolePrecedence orders the roles when a value's votes disagree: the
// first wins. Roles that keep an address out of the indicators come
// first, so that a victim's server a note calls a jump box is never
// exported for blocking, and phishing before attacker because a lure
// domain is the more specific finding.
var rolePrecedence = []Role{RoleOwn, RoleVictim, RoleCustomer, RolePartner, RolePhishing, RoleAttacker, RoleUnknown}

func precedence(r Role) int {
	for i, x := range rolePrecedence {
		if x == r {
			return i
		}
	}
	return len(rolePrecedence)
}

// subject is the mail's Subject header, or "".
func (c *docCtx) subject() string {
	for l := range c.lines {
		s := c.text(l)
		if s == "" {
			break
		}
		if headerLine(s, "subject") {
			_, v, _ := strings.Cut(s, ":")
			return v
		}
	}
	return ""
}

// headerLine says whether line is an RFC 5322 header of one of the
// names (lowercase): "From: a@b.example".
func headerLine(line string, names ...string) bool {
	name, _, ok := strings.Cut(line, ":")
	if !ok {
		return false
	}
	name = strings.ToLower(strings.TrimSpace(name))
	for _, n := range names {
		if name == n {
			return true
		}
	}
	return false
}

// host is the host part of an address: the domain of an e-mail, the
// host of a URL, the value itself for a domain or an IP.
func host(kind, value string) string {
	switch kind {
	case "email":
		if i := strings.LastIndexByte(value, '@'); i >= 0 {
			return strings.ToLower(value[i+1:])
		}
	case "url":
		if u, err := url.Parse(value); err == nil {
			return strings.ToLower(u.Hostname())
		}
	case "domain", "ipv4", "ipv6":
		return strings.ToLower(value)
	}
	return ""
}

// under says whether host h is domain d or one of its subdomains.
func under(h, d string) bool {
	return h != "" && d != "" && (h == d || strings.HasSuffix(h, "."+d))
}
