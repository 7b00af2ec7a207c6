package demo

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// cst is China Standard Time, the zone every chat and document of the
// story is written in.
var cst = time.FixedZone("CST", 8*3600)

// at builds a time in cst; the story's calendar.
func at(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, cst)
}

// person is one member of the invented contractor's staff.
type person struct {
	id, name, nick, handle, email, role string
	aliases                             []string
}

// target is one invented victim organisation in a real country.
type target struct {
	id                     string
	nameZH, nameZHT        string // Simplified; Traditional where a Big5 note uses it
	nameEN                 string
	otherNames             []string
	country, countryName   string
	sector                 string
	dataTypes              []string
	volumeRaw              string  // as written in the target list
	volume                 float64 // the figure
	unit                   string  // "G", "M" or "万条"
	date                   string  // YYYY-MM
	volumeZH               string  // how the Chinese notes write the figure
	volumeBytes, volumeDec int64
	records                int64
}

// message is one chat message of the story, rendered into each chat shape.
type message struct {
	t    time.Time
	from string // person id
	body string
}

// story is the whole invented world of one seed: the contractor, its staff,
// the targets and the indicators. Everything a file says comes from here, so
// the truth is computed from the same values the files are written from.
type story struct {
	seed string

	companyZH, companyEN, domain string
	people                       []person

	targets []target

	// indicators, documentation ranges only
	c2IP, vpnIP, mailIP string // 192.0.2.x, 198.51.100.x, 203.0.113.x
	ipv6, ipv6Long      string
	c2Domain            string
	c2URL, c2URLDefang  string
	owaURL              string
	owaDomain           string
	vpnDomain           string
	procurement         string // e-mail of a target
	phoneE164, phoneFmt string
	localPhone          string
	md5, sha1, sha256   string
	cves                []string

	groupChat, jsonChat, shotChat []message
}

// newStory derives the world of seed. The seed varies indicator values and
// the seconds of chat timestamps; names, figures and dates stay fixed so
// that the demo tells the same story for every seed.
func newStory(seed string) *story {
	h := sha256.Sum256([]byte("leakscope-demo/" + seed))
	var a, b uint64
	for i := range 8 {
		a = a<<8 | uint64(h[i])
		b = b<<8 | uint64(h[8+i])
	}
	rng := rand.New(rand.NewPCG(a, b))
	octet := func() int { return 10 + rng.IntN(240) }
	sec := func() int { return rng.IntN(60) }

	s := &story{
		seed:      seed,
		companyZH: "霁川信息安全技术有限公司",
		companyEN: "Jichuan InfoSec Technology Co., Ltd.",
		domain:    "jichuan-sec.example.com",
	}
	s.people = []person{
		{id: "han", name: "韩立伟", nick: "立伟", handle: "wxid_hlw1975", email: "hanlw@" + s.domain, role: "总经理 (CEO)", aliases: []string{"韩总", "老韩"}},
		{id: "su", name: "苏静怡", nick: "静怡", handle: "sujy_data", email: "sujy@" + s.domain, role: "数据组组长 (data team lead)", aliases: []string{"苏姐"}},
		{id: "ma", name: "马俊", nick: "小马", handle: "majun_0x", email: "majun@" + s.domain, role: "渗透测试 (penetration tester)", aliases: []string{"马工"}},
		{id: "luo", name: "罗小梅", nick: "小梅", handle: "luoxm_biz", email: "luoxm@" + s.domain, role: "商务 (sales)", aliases: []string{"梅姐"}},
	}

	s.targets = []target{
		{id: "T01", nameZH: "越南海岸事务部", nameZHT: "越南海岸事務部", nameEN: "Ministry of Coastal Affairs (Vietnam)",
			otherNames: []string{"Vietnam's Coastal Affairs Ministry"}, country: "VN", countryName: "Vietnam",
			sector: "government", dataTypes: []string{"email", "internal documents"},
			volume: 3.2, unit: "G", date: "2021-04"},
		{id: "T02", nameZH: "秘鲁安第斯移动", nameEN: "Andes Mobile (Peru)",
			otherNames: []string{"Andes Mobile", "Andes Mobile Telecom"}, country: "PE", countryName: "Peru",
			sector: "telecom", dataTypes: []string{"call records", "subscriber data"},
			volume: 120, unit: "万条", date: "2021-07"},
		{id: "T03", nameZH: "蒙古北方草原大学", nameZHT: "蒙古北方草原大學", nameEN: "Northern Steppe University (Mongolia)",
			otherNames: []string{"Northern Steppe University"}, country: "MN", countryName: "Mongolia",
			sector: "education", dataTypes: []string{"student records", "staff email"},
			volume: 860, unit: "M", date: "2020-12"},
		{id: "T04", nameZH: "埃及尼罗河谷电力公司", nameEN: "Nile Valley Power Company (Egypt)",
			otherNames: []string{"Nile Valley Power Company"}, country: "EG", countryName: "Egypt",
			sector: "energy", dataTypes: []string{"network diagrams", "SCADA documentation"},
			volume: 15.7, unit: "G", date: "2022-02"},
		{id: "T05", nameZH: "肯尼亚高原水务局", nameEN: "Highlands Water Board (Kenya)",
			otherNames: []string{"Kenya Highlands Water Board"}, country: "KE", countryName: "Kenya",
			sector: "utilities", dataTypes: []string{"billing database"},
			volume: 45, unit: "万条", date: "2021-10"},
	}
	for i := range s.targets {
		t := &s.targets[i]
		num := fmt.Sprint(t.volume)
		switch t.unit {
		case "G":
			t.volumeRaw = num + "G"
			t.volumeZH = num + "G"
			t.volumeBytes = int64(math.Round(t.volume * (1 << 30)))
			t.volumeDec = int64(math.Round(t.volume * 1e9))
		case "M":
			t.volumeRaw = num + "M"
			t.volumeZH = num + "M"
			t.volumeBytes = int64(math.Round(t.volume * (1 << 20)))
			t.volumeDec = int64(math.Round(t.volume * 1e6))
		case "万条":
			t.volumeRaw = num + "万条"
			t.volumeZH = num + "万条"
			t.records = int64(math.Round(t.volume * 1e4))
		}
	}

	s.c2IP = fmt.Sprintf("192.0.2.%d", octet())
	s.vpnIP = fmt.Sprintf("198.51.100.%d", octet())
	s.mailIP = fmt.Sprintf("203.0.113.%d", octet())
	v6 := 0x100 + rng.IntN(0xe00)
	s.ipv6 = fmt.Sprintf("2001:db8:%x::25", v6)
	s.ipv6Long = fmt.Sprintf("2001:0db8:%04x:0000:0000:0000:0000:0025", v6)
	s.c2Domain = "c2.jichuan.invalid"
	s.c2URL = "http://c2.jichuan.invalid/upd"
	s.c2URLDefang = "hxxp://c2[.]jichuan[.]invalid/upd"
	s.owaDomain = "mail.coastal-affairs.example.org"
	s.owaURL = "https://mail.coastal-affairs.example.org/owa/"
	s.vpnDomain = "vpn.andes-mobile.test"
	s.procurement = "procurement@andes-mobile.test"
	ph := 100 + rng.IntN(100) // 555-0100 .. 555-0199
	s.phoneE164 = fmt.Sprintf("+1202555%04d", ph)
	s.phoneFmt = fmt.Sprintf("+1 202-555-%04d", ph)
	s.localPhone = fmt.Sprintf("555-%04d", 100+(ph-100+37)%100)
	label := "jichuan-demo-implant/" + seed
	s.md5 = fmt.Sprintf("%x", md5.Sum([]byte(label+"/md5")))
	s.sha1 = fmt.Sprintf("%x", sha1.Sum([]byte(label+"/sha1")))
	sum := sha256.Sum256([]byte(label + "/sha256"))
	s.sha256 = hex.EncodeToString(sum[:])
	s.cves = []string{"CVE-2021-26855", "CVE-2021-44228"}

	t1, t2, t3 := &s.targets[0], &s.targets[1], &s.targets[2]
	s.groupChat = []message{
		{at(2021, 6, 3, 9, 5, sec()), "han", "早，下午三点开项目会，大家准备一下"},
		{at(2021, 6, 3, 9, 6, sec()), "su", "收到"},
		{at(2021, 6, 3, 9, 8, sec()), "ma", "收到，我把越南那边的进度整理一下"},
		{at(2021, 6, 3, 14, 22, sec()), "ma", t1.nameZH + "的邮箱已经拿下，" + s.owaURL + " 能登录，数据大概 " + t1.volumeZH},
		{at(2021, 6, 3, 14, 23, sec()), "han", "好，先打包，别在对方机器上留东西"},
		{at(2021, 6, 3, 14, 25, sec()), "su", "今晚同步到 " + s.c2IP + "，明天开始整理"},
		{at(2021, 6, 3, 14, 31, sec()), "luo", "客户问秘鲁那个运营商什么时候能交付"},
		{at(2021, 6, 3, 14, 33, sec()), "ma", t2.nameZH + "还在试，VPN 入口 " + s.vpnDomain + " 有双因素，\n换个思路，先从供应商那边进\n预计七月"},
		{at(2021, 6, 3, 14, 35, sec()), "han", "七月底前要出结果"},
		{at(2021, 6, 3, 16, 2, sec()), "su", t3.nameZH + "那批学生数据去年已经交了，" + t3.volumeZH + "，不要重复报"},
		{at(2021, 6, 4, 10, 12, sec()), "luo", "报价单我发邮箱了，" + s.people[0].email},
		{at(2021, 6, 4, 10, 15, sec()), "han", "看到了"},
	}
	s.jsonChat = []message{
		{at(2021, 7, 20, 11, 2, sec()), "luo", "秘鲁项目客户催了，这周能不能给个样本"},
		{at(2021, 7, 20, 11, 4, sec()), "ma", "进去了，" + t2.nameZH + "话单库，" + t2.volumeZH},
		{at(2021, 7, 20, 11, 5, sec()), "han", "先给一万条样本，剩下的等尾款"},
		{at(2021, 7, 20, 11, 9, sec()), "su", "样本我来抽，放 " + s.vpnIP + " 那台"},
		{at(2021, 7, 20, 11, 12, sec()), "luo", "对方联系人邮箱 " + s.procurement + " 不要用，那是他们采购部的"},
		{at(2021, 7, 21, 9, 30, sec()), "ma", "样本已传，md5 " + s.md5},
		{at(2021, 7, 21, 9, 41, sec()), "han", "收到"},
		{at(2021, 7, 21, 9, 44, sec()), "su", "Andes Mobile 的字段说明我写在表里了"},
	}
	s.shotChat = []message{
		{at(2021, 6, 4, 21, 15, sec()), "ma", t1.nameZH + "那批邮件解压完了"},
		{at(2021, 6, 4, 21, 16, sec()), "su", "多少"},
		{at(2021, 6, 4, 21, 16, sec()), "ma", "3.2G，明天拷给你"},
		{at(2021, 6, 4, 21, 18, sec()), "su", "好，走老服务器"},
	}
	return s
}

// person returns the person with id.
func (s *story) person(id string) person {
	for _, p := range s.people {
		if p.id == id {
			return p
		}
	}
	panic("demo: unknown person " + id)
}
