package findings

import (
	"regexp"
	"strings"

	"github.com/leakscope/leakscope/internal/attack"
)

// Words of the technique rules, lowercase.
var (
	// attachmentWords say a mail carries a file: "附件: invoice.doc".
	attachmentWords = []string{"附件", "attachment", "attached", "adjunto", "pièce jointe", "anbei", "content-disposition: attachment",
		".doc", ".docx", ".rtf", ".xls", ".lnk", ".zip", ".rar", ".7z", ".iso", ".exe", ".scr", ".chm", ".hta"}
	// lureDocWords name a weaponised document: "诱饵文档用的 CVE-…".
	lureDocWords = []string{"诱饵文档", "诱饵附件", "恶意文档", "恶意附件", "带毒附件", "lure document", "decoy document",
		"malicious attachment", "weaponized document", "weaponised document"}
	// mailWords say something was mailed: "钓鱼邮件发出去了".
	mailWords = []string{"邮件", "发件", "投递", "mail", "sent"}
	// urgencyWords press a reader to act now: "within 24 hours".
	urgencyWords = []string{"24 hours", "24小时", "24 horas", "24 heures", "immediately", "立即", "尽快", "suspend",
		"suspendido", "停用", "冻结", "过期", "expire", "expira", "désactiv", "locked"}
	// credentialWords say a page asks for a login: "请登录 OWA 验证邮箱".
	credentialWords = []string{"登录", "登陆", "验证", "密码", "login", "log in", "logon", "sign in", "password", "verify",
		"validate", "contraseña", "validar", "mot de passe", "passwort", "senha", "пароль"}
	// exploitWords say a vulnerability was used: "用 CVE-… 打进去".
	// A bare "打" is left out: "打补丁" is applying a patch.
	exploitWords = []string{"利用", "可用", "用的", "再用", "落地", "打进", "打下", "打穿", "打点", "拿下", "拿到shell",
		"getshell", "攻破", "进去", "exploit", "rce", "pwned", "compromised", "works"}
	// perimeterWords name internet-facing products: "Exchange", "VPN 网关".
	perimeterWords = []string{"exchange", "owa", "vpn", "citrix", "netscaler", "fortinet", "fortigate", "pulse secure",
		"ivanti", "f5", "big-ip", "weblogic", "confluence", "jira", "struts", "log4j", "sharepoint", "网关", "边界",
		"邮件服务器", "mail server", "web server", "门户", "portal", "oa系统", "外网"}
	// clientWords name documents and desktop programs: "Office 文档漏洞".
	clientWords = []string{"office", "word", "excel", "rtf", "公式编辑器", "equation editor", "文档", "pdf", "浏览器",
		"browser", "wps"}
	// webshellWords name a web shell or a web-shell manager.
	webshellWords = []string{"webshell", "web shell", "一句话", "冰蝎", "蚁剑", "哥斯拉", "中国菜刀", "behinder", "antsword",
		"godzilla", "china chopper", "jsp马", "php马", "asp马", "aspx马"}
	// plantWords say something was put on a server: "传了个 webshell".
	// plantWords say something was put on a server, or is still there:
	// "传了个 webshell", "webshell 还活着".
	plantWords = []string{"上传", "传了", "写入", "植入", "部署", "落地", "种了", "放了", "挂了", "连上", "活着", "存活",
		"还在", "upload", "deploy", "drop", "plant", "install", "alive", "still up"}
	// exfilWords say data left: "数据回传 198.51.100.9".
	exfilWords = []string{"回传", "传回", "外传", "拖回", "拖库", "打包", "exfil", "upload", "上传"}
	// weakPasswordWords and entryWords: "弱口令进入", "default password got us in".
	weakPasswordWords = []string{"弱口令", "弱密码", "默认密码", "爆破", "撞库", "weak password", "default password",
		"password spray", "brute-forced", "brute forced"}
	entryWords = []string{"进入", "进去", "登录", "登进", "拿下", "成功", "got in", "logged in", "access", "worked"}
	// mailboxWords and collectWords: "邮箱全部导出".
	mailboxWords = []string{"邮箱", "mailbox", "owa", "pst", "收件箱", "inbox"}
	collectWords = []string{"导出", "拖", "下载", "收取", "同步", "dump", "export", "download", "exfil"}
	// useWords say a tool was used: "用 Cobalt Strike 上线".
	// A bare "用" is left out: it is in "用户" (user) and "费用" (fee).
	useWords = []string{"使用", "利用", "用了", "用的", "部署", "上线", "植入", "投放", "免杀", "加载", "装了", "use ", "used",
		"using", "deploy", "ran ", "running", "loaded", "dropped", "installed"}

	// relayWords are the c2Words of a relay: "走 198.51.100.10 跳板".
	relayWords = func() []string {
		var ws []string
		for _, w := range c2Words {
			if w.purpose == PurposeRelay {
				ws = append(ws, w.word)
			}
		}
		return ws
	}()

	cveRE = regexp.MustCompile(`(?i)\bcve-\d{4}-\d{4,}\b`)
)

// techniqueRule finds evidence of one ATT&CK technique in a document.
type techniqueRule struct {
	id, name string
	find     func(c *docCtx, votes []lineVote) []int // evidence line numbers
}

// techniqueRules each map a technique on evidence, never on its name
// alone. Each has a made-up example.
var techniqueRules = []techniqueRule{
	// A mail that says it is a lure and carries a file:
	// "Subject: 会议纪要 … 附件: minutes.doc" in "钓鱼邮件模板.eml".
	{"T1566.001", "lure-mail-attachment", func(c *docCtx, _ []lineVote) []int {
		if !c.mail || !c.lure() {
			return nil
		}
		return c.linesWith(attachmentWords)
	}},
	// A weaponised document sent by mail: "钓鱼邮件发出去了，诱饵文档用的 CVE-…".
	{"T1566.001", "lure-document-mailed", func(c *docCtx, _ []lineVote) []int {
		if !c.has(-1, mailWords) || !c.lure() {
			return nil
		}
		return c.linesWith(lureDocWords)
	}},
	// A lure mail with a link: "请点击 https://owa-acme.example 登录".
	{"T1566.002", "lure-mail-link", func(c *docCtx, votes []lineVote) []int {
		if !c.mail || !c.lure() {
			return nil
		}
		var out []int
		for _, v := range votes {
			if v.Kind == "url" && !headerLine(c.text(v.line), "message-id", "list-unsubscribe", "received") {
				out = append(out, v.line)
			}
		}
		return out
	}},
	// A CVE used against an internet-facing product: "用 CVE-… 打 Exchange".
	{"T1190", "exploited-perimeter-cve", func(c *docCtx, _ []lineVote) []int {
		return c.cveLines(perimeterWords)
	}},
	// A CVE used through a document: "CVE-… 的 Office 文档 投递".
	{"T1203", "exploited-client-cve", func(c *docCtx, _ []lineVote) []int {
		return c.cveLines(clientWords)
	}},
	// A web shell put on a server: "传了个冰蝎上去".
	{"T1505.003", "webshell-planted", func(c *docCtx, _ []lineVote) []int {
		return c.linesWithBoth(webshellWords, plantWords)
	}},
	// Data sent to the actor's server: "数据回传 198.51.100.9".
	{"T1041", "exfiltration-to-actor-server", func(c *docCtx, votes []lineVote) []int {
		var out []int
		for _, v := range votes {
			if v.Role == RoleAttacker && c.has(v.line, exfilWords) {
				out = append(out, v.line)
			}
		}
		return out
	}},
	// Traffic through the actor's relay: "走 198.51.100.10 跳板".
	{"T1090", "actor-relay", func(c *docCtx, votes []lineVote) []int {
		var out []int
		for _, v := range votes {
			if v.Role == RoleAttacker && c.has(v.line, relayWords) {
				out = append(out, v.line)
			}
		}
		return out
	}},
	// A way in through a guessed password: "订票系统弱口令进入".
	{"T1110.001", "weak-password-entry", func(c *docCtx, _ []lineVote) []int {
		return c.linesWithBoth(weakPasswordWords, entryWords)
	}},
	// Mailboxes collected from a server: "邮箱全部导出 pst".
	{"T1114.002", "remote-mailbox-collection", func(c *docCtx, _ []lineVote) []int {
		return c.linesWithBoth(mailboxWords, collectWords)
	}},
}

// lure says the document is phishing, by one of three named signs,
// computed once per document:
//   - "says-phishing": its path or text calls it so ("钓鱼邮件模板.eml");
//   - "credential-lure": a mail that asks for a password, presses for
//     time and links somewhere ("validate your password within 24 hours:
//     https://…");
//   - "lookalike-sender": a mail whose sender's domain borrows a word of
//     the recipient's but is another domain (from events-nordhavn.example
//     to nordhavn.example).
func (c *docCtx) lure() bool {
	if c.lureKnown {
		return c.isLure
	}
	c.lureKnown = true
	low := strings.ToLower(c.doc.Path + "\n" + c.doc.Text)
	_, says := containsAny(low, phishingWords)
	_, cred := containsAny(low, credentialWords)
	_, urgent := containsAny(low, urgencyWords)
	link := strings.Contains(low, "http://") || strings.Contains(low, "https://")
	c.isLure = says || c.mail && (cred && urgent && link || lookalike(c.header("from"), c.header("to")))
	return c.isLure
}

// header is the domain of the first address on the mail header line
// name, lowercase, or "".
func (c *docCtx) header(name string) string {
	for l := range c.lines {
		s := c.text(l)
		if s == "" {
			break // the headers end at the first empty line
		}
		if headerLine(s, name) {
			_, v, _ := strings.Cut(s, ":")
			if m := addrRE.FindStringSubmatch(v); m != nil {
				return strings.ToLower(m[1])
			}
		}
	}
	return ""
}

var addrRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)

// lookalike says whether the sender's domain borrows a label of four or
// more letters from the recipient's without being under it.
func lookalike(from, to string) bool {
	if from == "" || to == "" || freemailDomains[from] || under(from, to) || under(to, from) {
		return false
	}
	labels := func(d string) []string {
		var out []string
		for _, part := range strings.FieldsFunc(d, func(r rune) bool { return r == '.' || r == '-' }) {
			if len(part) >= 4 && !genericLabels[part] {
				out = append(out, part)
			}
		}
		return out
	}
	for _, a := range labels(from) {
		for _, b := range labels(to) {
			if a == b {
				return true
			}
		}
	}
	return false
}

// genericLabels are domain labels many unrelated domains share.
var genericLabels = kinds("mail", "email", "webmail", "example", "secure", "online", "portal", "group", "info",
	"corp", "global", "support", "service", "services", "official")

// linesWith are the lines holding one of the words.
func (c *docCtx) linesWith(words []string) []int {
	var out []int
	for l := range c.lines {
		if _, ok := containsAny(strings.ToLower(c.text(l)), words); ok {
			out = append(out, l)
		}
	}
	return out
}

// linesWithBoth are the lines holding a word of each list.
func (c *docCtx) linesWithBoth(a, b []string) []int {
	var out []int
	for _, l := range c.linesWith(a) {
		if _, ok := containsAny(strings.ToLower(c.text(l)), b); ok {
			out = append(out, l)
		}
	}
	return out
}

// cveLines are the lines naming a CVE next to an exploit word and one of
// the product words.
func (c *docCtx) cveLines(products []string) []int {
	var out []int
	for l := range c.lines {
		s := strings.ToLower(c.text(l))
		if !cveRE.MatchString(s) {
			continue
		}
		// An exploit word, or the actor's own traffic on the line: "邮件服务器
		// ProxyShell（CVE-…），回传走 198.51.100.9" says the hole was used.
		_, exploit := containsAny(s, exploitWords)
		if _, exfil := containsAny(s, exfilWords); exfil {
			exploit = true
		}
		_, product := containsAny(s, products)
		if exploit && product {
			out = append(out, l)
		}
	}
	return out
}

// has says whether line l, or the whole text for l < 0, holds one of the
// words.
func (c *docCtx) has(l int, words []string) bool {
	s := c.doc.Text
	if l >= 0 {
		s = c.text(l)
	}
	_, ok := containsAny(strings.ToLower(s), words)
	return ok
}

// lineVote is a vote with the line it was read on.
type lineVote struct {
	Vote
	line int
}

func techniques(c *docCtx, votes []lineVote) []TechniqueHit {
	var out []TechniqueHit
	for _, r := range techniqueRules {
		seen := map[int]bool{}
		for _, l := range r.find(c, votes) {
			if seen[l] {
				continue
			}
			seen[l] = true
			out = append(out, TechniqueHit{ID: r.id, Rule: r.name, Evidence: c.evidence(l)})
		}
	}
	return out
}

// toolAliases are common names of ATT&CK software that the ATT&CK table
// does not list, mapped to the table's name.
var toolAliases = map[string]string{"中国菜刀": "China Chopper", "cs马": "Cobalt Strike"}

// minToolName is the shortest software name matched; shorter names
// ("Net", "at") are ordinary words.
const minToolName = 5

// tools finds ATT&CK software named on a line that says it was used
// (rule "tool-used"): "用 Cobalt Strike 上线" is a hit, a price list
// that only names it is not.
func tools(c *docCtx) []ToolHit {
	var out []ToolHit
	seen := map[string]bool{}
	for l := range c.lines {
		s := c.text(l)
		low := strings.ToLower(s)
		if _, ok := containsAny(low, useWords); !ok {
			continue
		}
		for _, name := range toolNames(s) {
			sw, ok := attack.FindSoftware(name)
			if !ok || seen[sw.ID] {
				continue
			}
			seen[sw.ID] = true
			out = append(out, ToolHit{ID: sw.ID, Rule: "tool-used", Evidence: c.evidence(l)})
		}
	}
	return out
}

// toolNames are the candidate software names of a line: every run of
// one to three ASCII words of at least minToolName bytes, and the
// toolAliases it holds.
func toolNames(s string) []string {
	var words []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_'):
			cur.WriteRune(r)
		default:
			flush()
			if r != ' ' {
				words = append(words, "")
			}
		}
	}
	flush()
	var out []string
	for i := range words {
		name := ""
		for n := 0; n < 3 && i+n < len(words) && words[i+n] != ""; n++ {
			if n > 0 {
				name += " "
			}
			name += strings.Trim(words[i+n], ".-_")
			if len(name) >= minToolName {
				out = append(out, name)
			}
		}
	}
	low := strings.ToLower(s)
	for a, name := range toolAliases {
		if strings.Contains(low, a) {
			out = append(out, name)
		}
	}
	return out
}
