package findings

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTechniqueRules gives each technique rule an example and a
// counter-example: a keyword without the evidence around it maps nothing.
func TestTechniqueRules(t *testing.T) {
	lure := "From: hr@nordhavn-mail.example\nTo: ole@nordhavn.example\nSubject: 会议纪要\n\n请查收附件 minutes.doc\n"
	tests := []struct {
		name, path, mime, text string
		mentions               [][2]string
		want                   []string // technique ids
	}{
		{"lure mail with an attachment", "钓鱼邮件模板.eml", "message/rfc822", lure, nil, []string{"T1566.001"}},
		{"lookalike sender with an attachment", "minutes.eml", "message/rfc822", lure, nil, []string{"T1566.001"}},
		{"ordinary mail with an attachment", "minutes.eml", "message/rfc822",
			"From: anna@nordhavn.example\nTo: ole@nordhavn.example\nSubject: 会议纪要\n\n请查收附件 minutes.doc\n", nil, nil},
		{"credential lure in another language", "aviso.eml", "message/rfc822",
			"From: soporte@campus-help.example\nTo: todos@campus.example\nSubject: aviso\n\nDebe validar su contraseña en 24 horas:\nhttps://campus-help.example/owa\n",
			[][2]string{{"url", "https://campus-help.example/owa"}}, []string{"T1566.002"}},
		{"credential lure link on the line", "aviso.eml", "message/rfc822",
			"From: soporte@campus-help.example\nTo: todos@campus.example\nSubject: aviso\n\nvalidar contraseña en 24 horas: https://campus-help.example/owa\n",
			[][2]string{{"url", "https://campus-help.example/owa"}}, []string{"T1566.002"}},
		{"password notice without urgency", "policy.eml", "message/rfc822",
			"From: it@campus.example\nTo: todos@campus.example\nSubject: policy\n\nPlease choose a long password: https://campus.example/pw\n",
			[][2]string{{"url", "https://campus.example/pw"}}, nil},
		{"lure document mailed", "chat.md", "", "钓鱼邮件发出去了\n诱饵文档用的还是老洞\n", nil, []string{"T1566.001"}},
		{"lure document not mailed", "chat.md", "", "诱饵文档样式参考\n", nil, nil},
		{"webshell still there", "chat.md", "", "邮件服务器的 webshell 还活着\n", nil, []string{"T1505.003"}},
		{"phishing notes that are not a mail", "钓鱼.txt", "", "请查收附件 minutes.doc\n", nil, nil},
		{"lure mail with a login link", "lure.eml", "message/rfc822",
			"From: it@nordhavn-mail.example\nSubject: 邮箱升级 (钓鱼)\n\n请点击 https://owa.nordhavn-mail.example/logon 登录验证\n",
			[][2]string{{"url", "https://owa.nordhavn-mail.example/logon"}}, []string{"T1566.002"}},
		{"exploited exchange cve", "chat.md", "", "用 CVE-2099-0001 打进 Exchange 了\n", nil, []string{"T1190"}},
		{"cve in a price list", "price.md", "", "CVE-2099-0001 Exchange 检测服务 5000元\n", nil, nil},
		{"exploited office cve", "notes.txt", "", "利用 CVE-2099-0002 的 Office 文档投递\n", nil, []string{"T1203"}},
		{"webshell planted", "chat.md", "", "已经传了个冰蝎上去\n", nil, []string{"T1505.003"}},
		{"webshell in a product list", "products.md", "", "冰蝎 webshell 检测模块\n", nil, nil},
		{"exfiltration to a relay", "notes.txt", "", "数据回传走 198.51.100.9 中转\n", [][2]string{{"ipv4", "198.51.100.9"}},
			[]string{"T1041", "T1090"}},
		{"upload to an unknown host", "notes.txt", "", "数据上传到 198.51.100.9\n", [][2]string{{"ipv4", "198.51.100.9"}}, nil},
		{"cve on a mail server with the data sent home", "notes.txt", "", "05-16 邮件服务器 ProxyShell（CVE-2099-0003），回传走 198.51.100.9\n",
			nil, []string{"T1190"}},
		{"weak password entry", "notes.txt", "", "02-12 订票系统弱口令进入，内网横向\n", nil, []string{"T1110.001"}},
		{"weak password advice", "policy.md", "", "禁止使用弱口令\n", nil, nil},
		{"mailboxes exported", "chat.md", "", "邮箱全部导出了，pst 打包\n", nil, []string{"T1114.002"}},
		{"mailbox mentioned", "chat.md", "", "邮箱满了\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := Observe(doc(t, tt.path, tt.mime, tt.text, tt.mentions...), known, Params{})
			var got []string
			for _, h := range obs.Techniques {
				if !slices.Contains(got, h.ID) {
					got = append(got, h.ID)
				}
				if h.Evidence.Path != tt.path || h.Evidence.Snippet == "" || h.Rule == "" {
					t.Errorf("hit without evidence: %+v", h)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("techniques (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTools(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"used", "2021-06-05 用的 Cobalt Strike 上线\n", []string{"S0154"}},
		{"alias used", "we deployed Korplug on the host\n", []string{"S0013"}},
		{"chinese alias", "使用中国菜刀连接\n", []string{"S0020"}},
		{"named in a price list", "Cobalt Strike 授权 一年\n", nil},
		{"short names are words", "use net to map the share\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := Observe(Doc{Path: "chat.md", Text: tt.text}, known, Params{})
			var got []string
			for _, h := range obs.Tools {
				got = append(got, h.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tools (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCombineTechniques checks that a technique seen in two documents
// becomes one Technique with the ATT&CK name and both pieces of evidence.
func TestCombineTechniques(t *testing.T) {
	a := Observe(Doc{Path: "a.md", Text: "已经传了个冰蝎上去\n"}, known, Params{})
	b := Observe(Doc{Path: "b.md", Text: "webshell 上传成功\n"}, known, Params{})
	r := Combine([]Observation{a, b}, Params{})
	if len(r.Techniques) != 1 {
		t.Fatalf("%d techniques, want 1: %+v", len(r.Techniques), r.Techniques)
	}
	tech := r.Techniques[0]
	if tech.ID != "T1505.003" || tech.Name != "Web Shell" || len(tech.Evidence) != 2 {
		t.Errorf("%+v", tech)
	}
}

// FuzzObserve feeds arbitrary text and mention offsets: Observe never
// panics, every vote is one of the mentions in range, and all evidence
// comes from the document.
func FuzzObserve(f *testing.F) {
	for _, s := range []string{"", "回连 198.51.100.9\n", "From: a@b\nSubject: 钓鱼\n\n附件 x.doc\n", "\xff\xfe\n--\n", "用 CVE-2099-1 打 exchange"} {
		f.Add(s, 0, 5)
	}
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		kinds := []string{"ipv4", "email", "url", "md5", "phone"}
		var ms []Mention
		for i, k := range kinds {
			ms = append(ms, Mention{Kind: k, Value: "v", Start: start + i, End: end + i})
		}
		obs := Observe(Doc{Path: "p", Text: text, Mentions: ms}, known, Params{})
		for _, v := range obs.Votes {
			if v.Evidence.Path != "p" || !slices.Contains(Roles, v.Role) {
				t.Errorf("vote %+v", v)
			}
		}
		if len(obs.Votes) > len(ms) {
			t.Errorf("%d votes for %d mentions", len(obs.Votes), len(ms))
		}
		Combine([]Observation{obs, obs}, Params{})
	})
}
