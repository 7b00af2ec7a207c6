package ioc

import (
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
)

// found runs d over text and returns "kind norm [value]" lines sorted by
// offset, the form the tables below compare.
func found(d entity.Detector, text string) []string {
	var ms []entity.Match
	d.Detect([]byte(text), func(m entity.Match) { ms = append(ms, m) })
	ms = entity.Dedup(ms)
	var out []string
	for _, m := range ms {
		if text[m.Start:m.End] != m.Value {
			out = append(out, fmt.Sprintf("BAD OFFSETS %q vs %q", text[m.Start:m.End], m.Value))
			continue
		}
		out = append(out, fmt.Sprintf("%s %s [%s]", m.Kind, m.Norm, m.Value))
	}
	return out
}

func TestNetwork(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"ipv4 in chinese", "走 203.0.113.77 那台中转", []string{"ipv4 203.0.113.77 [203.0.113.77]"}},
		{"defanged ipv4", "C2: 192.0.2[.]14，已封", []string{"ipv4 192.0.2.14 [192.0.2[.]14]"}},
		{"cidr", "扫描 198.51.100.0/24 段", []string{"ipv4 198.51.100.0/24 [198.51.100.0/24]"}},
		{"ip with port", "203.0.113.77:8443", []string{"ipv4 203.0.113.77 [203.0.113.77]"}},
		{"ip range", "192.0.2.1-192.0.2.9", []string{"ipv4 192.0.2.1 [192.0.2.1]", "ipv4 192.0.2.9 [192.0.2.9]"}},
		{"version word", "upgrade to version 1.2.3.4 today", nil},
		{"version v", "build v1.2.3.4 ok", nil},
		{"version zh", "版本 10.0.19041.1 补丁", nil},
		{"five groups", "oid 1.3.6.1.4.1", nil},
		{"out of range", "999.1.1.1", nil},
		{"ipv6 compressed", "AAAA 2001:db8:4a1f::25 ok", []string{"ipv6 2001:db8:4a1f::25 [2001:db8:4a1f::25]"}},
		{"ipv6 expanded", "2001:0db8:0000:001c:0000:0000:0000:0008", []string{"ipv6 2001:db8:0:1c::8 [2001:0db8:0000:001c:0000:0000:0000:0008]"}},
		{"ipv6 cidr", "2001:db8::/32", []string{"ipv6 2001:db8::/32 [2001:db8::/32]"}},
		{"time is not ipv6", "2021-06-03 09:12:18 张三", nil},
		{"url", "见 https://files.dropzone.example.org/s/7Kq2xYz。", []string{"domain files.dropzone.example.org [files.dropzone.example.org]", "url https://files.dropzone.example.org/s/7Kq2xYz [https://files.dropzone.example.org/s/7Kq2xYz]"}},
		{"defanged url", "hxxp://update.jfcdn.example[.]net/v2/patch.bin", []string{"url http://update.jfcdn.example.net/v2/patch.bin [hxxp://update.jfcdn.example[.]net/v2/patch.bin]", "domain update.jfcdn.example.net [update.jfcdn.example[.]net]"}},
		{"url with ip host", "(hxxp://203.0.113[.]77:8443/upload)", []string{"url http://203.0.113.77:8443/upload [hxxp://203.0.113[.]77:8443/upload]", "ipv4 203.0.113.77 [203.0.113[.]77]"}},
		{"email", "联系 tina.tong@harbourlink.example.net。", []string{"email tina.tong@harbourlink.example.net [tina.tong@harbourlink.example.net]", "domain harbourlink.example.net [harbourlink.example.net]"}},
		{"defanged email", "admin[@]mofa-pk[.]test", []string{"email admin@mofa-pk.test [admin[@]mofa-pk[.]test]", "domain mofa-pk.test [mofa-pk[.]test]"}},
		{"domain public suffix", "mail.gov.in and www.bbc.co.uk", []string{"domain mail.gov.in [mail.gov.in]", "domain www.bbc.co.uk [www.bbc.co.uk]"}},
		{"file names", "open report.pdf, setup.exe, config.json, run.sh and README.md", nil},
		{"bare suffix", "co.uk is a suffix", nil},
		{"sentence joint", "It was done.Next we left", nil},
		{"domain with path", "jinfan-tech.example.com/about", []string{"domain jinfan-tech.example.com [jinfan-tech.example.com]"}},
		{"not a tld", "foo.bar123 and a.b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(Network{}, tt.text)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestHashesAndCVE(t *testing.T) {
	tests := []struct {
		name string
		d    entity.Detector
		text string
		want []string
	}{
		{"md5", Hashes{}, "md5 3a9115d13d35471a67cd097739b8985f ，样本", []string{"md5 3a9115d13d35471a67cd097739b8985f [3a9115d13d35471a67cd097739b8985f]"}},
		{"sha1 upper", Hashes{}, "SHA1=1ACB76DD0C4D95B6A4BD740198D3A28BBF3FE7CB", []string{"sha1 1acb76dd0c4d95b6a4bd740198d3a28bbf3fe7cb [1ACB76DD0C4D95B6A4BD740198D3A28BBF3FE7CB]"}},
		{"sha256", Hashes{}, "bb4faf2e4ea7bf0f157588c9c4e2cde405157cee818617c19ea2f13511bdebe1", []string{"sha256 bb4faf2e4ea7bf0f157588c9c4e2cde405157cee818617c19ea2f13511bdebe1 [bb4faf2e4ea7bf0f157588c9c4e2cde405157cee818617c19ea2f13511bdebe1]"}},
		{"inside longer hex", Hashes{}, "3a9115d13d35471a67cd097739b8985f00", nil},
		{"glued to word", Hashes{}, "x3a9115d13d35471a67cd097739b8985f", nil},
		{"eth is not sha1", Hashes{}, "0x52908400098527886E0F7030069857D2E4169EE7", nil},
		{"all digits", Hashes{}, "12345678901234567890123456789012", nil},
		{"mixed case", Hashes{}, "3A9115d13d35471a67cd097739b8985f", nil},
		{"cve", CVE{}, "CVE-2021-26855 那个洞，cve-2017-11882", []string{"cve CVE-2021-26855 [CVE-2021-26855]", "cve CVE-2017-11882 [cve-2017-11882]"}},
		{"cve short id", CVE{}, "CVE-2021-123 XCVE-2021-12345", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, found(tt.d, tt.text)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestPhones(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"intl", "电话 +1 202-555-0147 找", []string{"phone +12025550147 [+1 202-555-0147]"}},
		{"hk", "+852 5550 1234", []string{"phone +85255501234 [+852 5550 1234]"}},
		{"nanp parens", "call (202) 555-0147.", []string{"phone +12025550147 [(202) 555-0147]"}},
		{"nanp dashes", "415-555-0132", []string{"phone +14155550132 [415-555-0132]"}},
		{"cn mobile", "手机13812345678", []string{"phone +8613812345678 [13812345678]"}},
		{"local", "分机 555-0120", []string{"phone 555-0120 [555-0120]"}},
		{"dates", "2021-05-03 2021/5/3 5/3/2021 2021.05.03", nil},
		{"times", "09:12:18 2021-06-03T10:00:00+08:00", nil},
		{"invoice id", "JF-2021-118 and 123-4567-89", nil},
		{"ip", "192.168.100.200", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, found(Phones{}, tt.text)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestWallets(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"btc legacy", "付款 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 确认", []string{"wallet btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa [1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa]"}},
		{"btc bad checksum", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", nil},
		{"bech32", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", []string{"wallet btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq [bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq]"}},
		{"bech32 bad", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx", nil},
		{"eth checksum", "0x52908400098527886E0F7030069857D2E4169EE7", []string{"wallet eth:0x52908400098527886e0f7030069857d2e4169ee7 [0x52908400098527886E0F7030069857D2E4169EE7]"}},
		{"eth bad checksum", "0x52908400098527886E0F7030069857D2E4169Ee7", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, found(Wallets{}, tt.text)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzIOC(f *testing.F) {
	for _, s := range []string{"hxxp://a.example[.]com/x(y)", "192.0.2[.]1/24:80", "[2001:db8::1]:443", "a[@]b[.]test", "+1 (202) 555-0147", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "CVE-2021-44228", "[.][.](.)", "\xff\xfe@.."} {
		f.Add(s)
	}
	ds := []entity.Detector{Network{}, Hashes{}, CVE{}, Phones{}, Wallets{}}
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		for _, d := range ds {
			d.Detect(text, func(m entity.Match) {
				if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
					t.Fatalf("%T: bad offsets %d..%d of %d", d, m.Start, m.End, len(text))
				}
				if m.Value != string(text[m.Start:m.End]) {
					t.Fatalf("%T: value %q is not text[%d:%d]", d, m.Value, m.Start, m.End)
				}
				if utf8.ValidString(s) && (!utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm)) {
					t.Fatalf("%T: invalid UTF-8 in %q / %q", d, m.Value, m.Norm)
				}
				if !slices.Contains(d.Kinds(), m.Kind) {
					t.Fatalf("%T: undeclared kind %s", d, m.Kind)
				}
			})
		}
	})
}
