package target

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDisplayName builds registers from small invented documents (other
// countries and names than the shared corpus) and checks the names,
// sectors and the targets left out.
func TestDisplayName(t *testing.T) {
	gloss := map[string]string{"河内电厂": "Hanoi power plant", "西贡港务局": "西贡 port authority"}
	translate := func(s string) string { return gloss[s] }
	tests := []struct {
		name string
		docs []Doc
		want []string // "name | country | sector"
	}{
		{
			name: "english name written in the corpus wins",
			docs: []Doc{
				{Path: "t.csv", Text: "目标,国家,行业,数据量\n尼泊尔内政部,尼泊尔,政府,860M\n"},
				{Path: "r.txt", Text: "Files were exfiltrated from the Ministry of Home Affairs (Nepal) in 2021.\n"},
			},
			want: []string{"Ministry of Home Affairs (Nepal) | NP | government / interior"},
		},
		{
			name: "possessive is turned round",
			docs: []Doc{{Path: "r.txt", Text: "We dumped mail from Bangladesh's Ministry of Finance, 2.1 GB.\n"}},
			want: []string{"Ministry of Finance (Bangladesh) | BD | government / finance"},
		},
		{
			name: "country plus generic acronym is not a name",
			docs: []Doc{
				{Path: "c.md", Text: "2022-01-02 10:00:00 王强: 越南国防部的邮箱拿下了，3G\n"},
				{Path: "n.txt", Text: "Vietnam MOD mailbox dump done\n"},
			},
			want: []string{"Ministry of Defence (Vietnam) | VN | military"},
		},
		{
			name: "acronym of a named company",
			docs: []Doc{{Path: "t.tsv", Text: "单位\t国家\t行业\t数据类型\n越南电力公司(EVN)\t越南\t能源\t客户数据\n"}},
			want: []string{"EVN | VN | energy / power utility"},
		},
		{
			name: "acronym of a body type",
			docs: []Doc{{Path: "t.tsv", Text: "单位\t国家\t数据类型\t数据量\n老挝选举委员会(NEC)\t老挝\t选民数据\t12万条\n"}},
			want: []string{"NEC (Electoral Commission, Laos) | LA | government"},
		},
		{
			name: "initialism appended to the written name",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t行业\t数据类型\n印度重型电气公司(BHEL)\t印度\t能源\t图纸\n"},
				{Path: "e.txt", Text: "Bharat Heavy Electricals Limited (BHEL) drawings dumped, 3 GB\n"},
			},
			want: []string{"Bharat Heavy Electricals Limited (BHEL) | IN | energy"},
		},
		{
			name: "translated form of an unknown name",
			docs: []Doc{{Path: "t.tsv", Text: "目标\t国家\t行业\t数据量\n越南河内电厂\t越南\t电力\t5G\n"}},
			want: []string{"Hanoi Power Plant (Vietnam) | VN | energy"},
		},
		{
			name: "untranslatable name keeps its body and country in English",
			docs: []Doc{{Path: "c.md", Text: "2022-01-02 10:00:00 王强: 越南西贡医院的病历拿到了，60万条\n"}},
			want: []string{"西贡医院 (Hospital, Vietnam) | VN | healthcare"},
		},
		{
			name: "chat phrase before a generic body is no target",
			docs: []Doc{{Path: "c.md", Text: "2022-01-02 10:00:00 王强: 记得别用公司的VPN拿数据\n"}},
			want: nil,
		},
		{
			name: "ministry without a country is no target",
			docs: []Doc{{Path: "m.eml", Text: "Subject: password reset\n\nThe Ministry of Foreign Affairs mail system needs your password: access it now.\n外交部的邮箱权限\n"}},
			want: nil,
		},
		{
			name: "country of the line names a bare ministry",
			docs: []Doc{{Path: "r.txt", Text: "Mail from Kenya's Ministry of Finance and the Ministry of External Affairs was exfiltrated.\n"}},
			want: []string{"Ministry of External Affairs (Kenya) | KE | government / foreign affairs", "Ministry of Finance (Kenya) | KE | government / finance"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tg := range Build(slices.Values(tt.docs), Options{Translate: translate}) {
				got = append(got, tg.Name+" | "+tg.Country+" | "+tg.Sector)
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestNameHelpers(t *testing.T) {
	tests := []struct {
		name, in string
		got      func(string) any
		want     any
	}{
		{"proper", "Employees' Provident Fund Organisation", func(s string) any { return isProperName(s) }, true},
		{"proper with small words", "Ministry of the Interior", func(s string) any { return isProperName(s) }, true},
		{"not proper", "Indian immigration", func(s string) any { return isProperName(s) }, false},
		{"acronym", "EPFO", func(s string) any { return isAcronym(s) }, true},
		{"not acronym", "Zong", func(s string) any { return isAcronym(s) }, false},
		{"generic acronym", "MOFA", func(s string) any { return genericAcronym(s) }, true},
		{"strip possessive", "India's Ministry of Finance", func(s string) any { r, ok := stripCountry(s, "IN"); return r + "|" + boolStr(ok) }, "Ministry of Finance|true"},
		{"strip paren", "Department of Foreign Affairs (Philippines)", func(s string) any { r, ok := stripCountry(s, "PH"); return r + "|" + boolStr(ok) }, "Department of Foreign Affairs|true"},
		{"strip demonym", "Kenyan Police", func(s string) any { r, ok := stripCountry(s, "KE"); return r + "|" + boolStr(ok) }, "Police|true"},
		{"strip other country", "Air India", func(s string) any { r, ok := stripCountry(s, "PK"); return r + "|" + boolStr(ok) }, "Air India|false"},
		{"title", "counter-terrorism centre of the interior", func(s string) any { return titleCase(s) }, "Counter-Terrorism Centre of the Interior"},
		{"initialism", "EPFO", func(s string) any { return initialism(s, "Employees' Provident Fund Organisation") }, true},
		{"initialism with small word", "BOT", func(s string) any { return initialism(s, "Bank of Thailand") }, true},
		{"no initialism", "BTL", func(s string) any { return initialism(s, "Bank of Tanzania") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got(tt.in)); diff != "" {
				t.Errorf("%q (-want +got)\n%s", tt.in, diff)
			}
		})
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
