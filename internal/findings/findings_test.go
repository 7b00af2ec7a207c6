package findings

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// doc is a document whose mentions are found by value in its text.
func doc(t *testing.T, path, mime, text string, ms ...[2]string) Doc {
	t.Helper()
	d := Doc{Path: path, MIME: mime, Text: text}
	for _, m := range ms {
		i := strings.Index(text, m[1])
		if i < 0 {
			t.Fatalf("%q not in the text", m[1])
		}
		d.Mentions = append(d.Mentions, Mention{Kind: m[0], Value: m[1], Start: i, End: i + len(m[1])})
	}
	return d
}

var known = Knowledge{Targets: []string{"Nordhavn Shipping", "北港航运"}}

// TestRoleRules gives each role rule an example and a counter-example.
func TestRoleRules(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		mime     string
		text     string
		mention  [2]string
		wantRole Role
		wantRule string
		wantPurp Purpose
	}{
		{"staff directory", "staff.xlsx", "", "姓名\t部门\t邮箱\n张三\t渗透组\tzhang@acme-sec.example\n",
			[2]string{"email", "zhang@acme-sec.example"}, RoleOwn, "staff-directory", ""},
		{"contact columns alone are a dump, not staff", "dump.csv", "", "name,email\nOle,ole@nordhavn.example\n",
			[2]string{"email", "ole@nordhavn.example"}, RoleUnknown, "", ""},
		{"signature", "m.eml", "message/rfc822", "From: a@b.example\nSubject: hi\n\nsee you\n-- \nZhang San\nAcme Security\nzhang@acme-sec.example\n",
			[2]string{"email", "zhang@acme-sec.example"}, RoleOwn, "signature", ""},
		{"no signature above", "m.eml", "message/rfc822", "From: a@b.example\nSubject: hi\n\nwrite to zhang@acme-sec.example\n",
			[2]string{"email", "zhang@acme-sec.example"}, RoleUnknown, "", ""},
		{"contract party b", "contract.docx", "", "乙方联系人：ops@acme-sec.example\n",
			[2]string{"email", "ops@acme-sec.example"}, RoleOwn, "contract-party-b", ""},
		{"c2 next to an ip", "notes.txt", "", "回连 198.51.100.9 端口 443\n",
			[2]string{"ipv4", "198.51.100.9"}, RoleAttacker, "attacker-context", PurposeC2},
		{"relay next to an ip", "notes.txt", "", "走 198.51.100.10 那台中转\n",
			[2]string{"ipv4", "198.51.100.10"}, RoleAttacker, "attacker-context", PurposeRelay},
		{"exfiltration next to an ip", "notes.txt", "", "Nordhavn Shipping 数据回传走 198.51.100.11\n",
			[2]string{"ipv4", "198.51.100.11"}, RoleAttacker, "attacker-context", PurposeExfiltration},
		{"scanner", "assets.txt", "", "scan-01    198.51.100.9     扫描机\n",
			[2]string{"ipv4", "198.51.100.9"}, RoleAttacker, "attacker-context", PurposeRecon},
		{"c2 word far away on the line", "notes.txt", "", "198.51.100.9 is the office printer" + strings.Repeat(" ", 80) + "C2 list is elsewhere\n",
			[2]string{"ipv4", "198.51.100.9"}, RoleUnknown, "", ""},
		{"c2 inside the host name is not context", "notes.txt", "", "mirror c2cdn.example for updates\n",
			[2]string{"domain", "c2cdn.example"}, RoleUnknown, "", ""},
		{"phishing domain", "notes.txt", "", "钓鱼：发件域 nordhavn-mail.example\n",
			[2]string{"domain", "nordhavn-mail.example"}, RolePhishing, "phishing-context", PurposePhishing},
		{"phishing beats the target named on the line", "notes.txt", "", "北港航运钓鱼 发件域 nordhavn-mail.example\n",
			[2]string{"domain", "nordhavn-mail.example"}, RolePhishing, "phishing-context", PurposePhishing},
		{"malware hash", "readme.md", "", "loader 样本 md5 0123456789abcdef0123456789abcdef\n",
			[2]string{"md5", "0123456789abcdef0123456789abcdef"}, RoleAttacker, "malware-hash", PurposeMalware},
		{"hash of a document", "hashes.txt", "", "report.pdf 0123456789abcdef0123456789abcdef\n",
			[2]string{"md5", "0123456789abcdef0123456789abcdef"}, RoleUnknown, "", ""},
		{"customer", "quote.docx", "", "甲方联系人 buyer@bureau.example\n",
			[2]string{"email", "buyer@bureau.example"}, RoleCustomer, "customer-context", ""},
		{"party to a quote mail", "re.eml", "message/rfc822", "From: Li <li@acme-sec.example>\nTo: Officer <buyer@bureau.example>\nSubject: Re: 报价确认\n\n见附件\n",
			[2]string{"email", "buyer@bureau.example"}, RoleCustomer, "sale-mail-party", ""},
		{"party to another mail", "re.eml", "message/rfc822", "From: Li <li@acme-sec.example>\nTo: Officer <buyer@bureau.example>\nSubject: Re: 会议\n\n见附件\n",
			[2]string{"email", "buyer@bureau.example"}, RoleUnknown, "", ""},
		{"partner", "memo.txt", "", "合作方 sales@reseller.example\n",
			[2]string{"email", "sales@reseller.example"}, RolePartner, "partner-context", ""},
		{"lure sender", "lure.eml", "message/rfc822", "From: IT <it@nordhavn-mail.example>\nTo: ole@nordhavn.example\nSubject: x\n\nsee attached\n",
			[2]string{"email", "it@nordhavn-mail.example"}, RolePhishing, "lure-sender", PurposePhishing},
		{"lure recipient", "lure.eml", "message/rfc822", "From: IT <it@nordhavn-mail.example>\nTo: ole@nordhavn.example\nSubject: x\n\nsee attached\n",
			[2]string{"email", "ole@nordhavn.example"}, RoleVictim, "lure-recipient", ""},
		{"sender of an ordinary mail", "m.eml", "message/rfc822", "From: IT <it@nordhavn.example>\nTo: ole@nordhavn.example\nSubject: x\n\nsee attached\n",
			[2]string{"email", "it@nordhavn.example"}, RoleUnknown, "", ""},
		{"victim context", "notes.txt", "", "目标邮箱 it@nordhavn.example\n",
			[2]string{"email", "it@nordhavn.example"}, RoleVictim, "victim-context", ""},
		{"phishing host", "notes.txt", "", "钓鱼页面放在 198.51.100.8\n",
			[2]string{"ipv4", "198.51.100.8"}, RolePhishing, "phishing-host", PurposePhishing},
		{"the c2 a lure calls back to", "notes.txt", "", "钓鱼：发件域 x.example，回连 198.51.100.9\n",
			[2]string{"ipv4", "198.51.100.9"}, RoleAttacker, "attacker-context", PurposeC2},
		{"a drop site on a target's line is not the target's", "chat.md", "", "Nordhavn Shipping 的资料放 https://drop.example/x\n",
			[2]string{"url", "https://drop.example/x"}, RoleUnknown, "", ""},
		{"victim named on the line", "targets.md", "", "Nordhavn Shipping: it@nordhavn.example\n",
			[2]string{"email", "it@nordhavn.example"}, RoleVictim, "names-target", ""},
		{"an ip on a target's line is not its asset", "targets.md", "", "Nordhavn Shipping 198.51.100.12\n",
			[2]string{"ipv4", "198.51.100.12"}, RoleUnknown, "", ""},
		{"no target named", "targets.md", "", "misc: it@other.example\n",
			[2]string{"email", "it@other.example"}, RoleUnknown, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := Observe(doc(t, tt.path, tt.mime, tt.text, tt.mention), known, Params{})
			if len(obs.Votes) != 1 {
				t.Fatalf("%d votes, want 1", len(obs.Votes))
			}
			v := obs.Votes[0]
			got := [3]string{string(v.Role), v.Rule, string(v.Purpose)}
			if diff := cmp.Diff([3]string{string(tt.wantRole), tt.wantRule, string(tt.wantPurp)}, got); diff != "" {
				t.Errorf("role, rule, purpose (-want +got):\n%s", diff)
			}
			if v.Evidence.Path != tt.path || v.Evidence.Snippet == "" {
				t.Errorf("evidence %+v", v.Evidence)
			}
		})
	}
}

// TestCombine checks precedence between disagreeing votes and the rules
// that spread a role over a host.
func TestCombine(t *testing.T) {
	docs := []Doc{
		doc(t, "staff.xlsx", "", "姓名\t部门\t邮箱\n张三\t渗透组\tzhang@acme-sec.example\n",
			[2]string{"email", "zhang@acme-sec.example"}),
		// The contractor's address next to a C2 word: still its own.
		doc(t, "chat.md", "", "2021-06-05 10:00 张三: C2 申请人 zhang@acme-sec.example\n",
			[2]string{"email", "zhang@acme-sec.example"}),
		doc(t, "mail.eml", "message/rfc822", "From: li@acme-sec.example\nTo: x@y.example\nSubject: q\n\nok\n",
			[2]string{"email", "li@acme-sec.example"}),
		doc(t, "notes.txt", "", "2021-07-01\n回连 198.51.100.9\n2021-08-02\n上传到 http://198.51.100.9:8443/up\nfree: a@qq.com\n",
			[2]string{"ipv4", "198.51.100.9"}, [2]string{"url", "http://198.51.100.9:8443/up"}, [2]string{"email", "a@qq.com"}),
		doc(t, "qq.txt", "", "客户 b@qq.com\n", [2]string{"email", "b@qq.com"}),
		doc(t, "targets.md", "", "Nordhavn Shipping: it@mail.nordhavn.example\n",
			[2]string{"email", "it@mail.nordhavn.example"}),
		doc(t, "ops.txt", "", "跳板 mail.nordhavn.example\n", [2]string{"domain", "mail.nordhavn.example"}),
	}
	// A relay named beside a contact address: the company's domain inside
	// the address is not judged on its own, and its staff stay out of the
	// indicators.
	contact := "Relay server: 198.51.100.20 Contact: wu@acme-sec.example\n"
	i := strings.Index(contact, "acme-sec.example")
	docs = append(docs, Doc{Path: "report.pdf", Text: contact, Mentions: []Mention{
		{Kind: "ipv4", Value: "198.51.100.20", Start: strings.Index(contact, "198"), End: strings.Index(contact, "198") + 13},
		{Kind: "email", Value: "wu@acme-sec.example", Start: i - 3, End: i + 16},
		{Kind: "domain", Value: "acme-sec.example", Start: i, End: i + 16}}})
	var obs []Observation
	for _, d := range docs {
		obs = append(obs, Observe(d, known, Params{}))
	}
	r := Combine(obs, Params{})
	type row struct{ Kind, Value, Role, Rule, First, Last string }
	var got []row
	for _, i := range r.IOCs {
		got = append(got, row{i.Kind, i.Value, string(i.Role), i.Rule, i.FirstSeen, i.LastSeen})
	}
	want := []row{
		{"ipv4", "198.51.100.20", "attacker-infrastructure", "attacker-context", "", ""},
		{"ipv4", "198.51.100.9", "attacker-infrastructure", "attacker-context", "2021-07-01", "2021-07-01"},
		{"url", "http://198.51.100.9:8443/up", "attacker-infrastructure", "host-of-attacker", "2021-08-02", "2021-08-02"},
		// The victim's mail server a note calls a jump box stays a victim asset.
		{"domain", "mail.nordhavn.example", "victim-asset", "domain-of-victim", "", ""},
		{"email", "it@mail.nordhavn.example", "victim-asset", "names-target", "", ""},
		{"domain", "acme-sec.example", "contractor-own", "domain-of-own", "", ""},
		{"email", "li@acme-sec.example", "contractor-own", "domain-of-own", "", ""},
		{"email", "wu@acme-sec.example", "contractor-own", "domain-of-own", "", ""},
		{"email", "zhang@acme-sec.example", "contractor-own", "staff-directory", "2021-06-05", "2021-06-05"},
		{"email", "b@qq.com", "customer", "customer-context", "", ""},
		// A free-mail address shares nothing with another one.
		{"email", "a@qq.com", "unknown", "", "2021-08-02", "2021-08-02"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, i := range r.IOCs {
		if i.Role.Detectable() != (i.Role == RoleAttacker) {
			t.Errorf("%s %s: detectable %v", i.Kind, i.Value, i.Role.Detectable())
		}
	}
}

func TestDateIn(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"iso", "2021-06-05 10:00 张三: ok", "2021-06-05"},
		{"chinese", "于2021年6月5日发出", "2021-06-05"},
		{"month", "报告 2021-06", "2021-06"},
		{"slashes", "due 2021/6/5", "2021-06-05"},
		{"cve is not a date", "诱饵文档 CVE-2017-11882", ""},
		{"cve then a date", "CVE-2017-11882 used on 2022-01-10", "2022-01-10"},
		{"bad month", "2021-13-01", ""},
		{"expiry", "relay 198.51.100.9 2023-07 到期", ""},
		{"part of a number", "id 120210605", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dateIn(tt.in); got != tt.want {
				t.Errorf("dateIn(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAddressDomain checks that a relay named beside a contact address
// makes neither the company's domain nor its staff indicators when
// nothing else is known of them.
func TestAddressDomain(t *testing.T) {
	text := "Relay server: 198.51.100.20 Contact: wu@acme-sec.example\n"
	d := doc(t, "report.pdf", "", text, [2]string{"ipv4", "198.51.100.20"}, [2]string{"email", "wu@acme-sec.example"})
	i := strings.Index(text, "acme-sec.example")
	d.Mentions = append(d.Mentions, Mention{Kind: "domain", Value: "acme-sec.example", Start: i, End: i + len("acme-sec.example")})
	r := Combine([]Observation{Observe(d, known, Params{})}, Params{})
	var detectable []string
	for _, ioc := range r.IOCs {
		if ioc.Role.Detectable() {
			detectable = append(detectable, ioc.Value)
		}
	}
	if diff := cmp.Diff([]string{"198.51.100.20"}, detectable); diff != "" {
		t.Errorf("indicators (-want +got):\n%s", diff)
	}
}
