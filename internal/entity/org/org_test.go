package org

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"country body", "印度财政部的邮件服务器", []string{"IN|Ministry of Finance|Ministry of Finance [印度财政部]"}},
		{"qualifier", "印度总统内政部，总统内政部打包完了", []string{"IN|President's Ministry of Interior|Ministry of Interior [印度总统内政部]", "|President's Ministry of Interior|Ministry of Interior [总统内政部]"}},
		{"latin name", "印度BSNL电信 巴基斯坦Zong电信", []string{"IN|BSNL|Telecom operator [印度BSNL电信]", "PK|Zong|Telecom operator [巴基斯坦Zong电信]"}},
		{"short form", "巴外交部那边", []string{"PK|Ministry of Foreign Affairs|Ministry of Foreign Affairs [巴外交部]"}},
		{"traditional", "馬來西亞外交部", []string{"MY|Ministry of Foreign Affairs|Ministry of Foreign Affairs [馬來西亞外交部]"}},
		{"body over qualifier", "阿富汗总统府", []string{"AF|Office of the President|Office of the President [阿富汗总统府]"}},
		{"gap", "哈萨克斯坦某电信运营商", []string{"KZ|Telecom operator|Telecom operator [哈萨克斯坦某电信运营商]"}},
		{"government dept", "法国政府某部门", []string{"FR|Government|Government [法国政府某部门]"}},
		{"paren alias", "印度雇员公积金组织(EPFO)", []string{"IN|Provident fund organisation|Provident fund organisation [印度雇员公积金组织]", "IN|Provident fund organisation|Provident fund organisation [EPFO]"}},
		{"named zh", "，阿波罗医院(Apollo Hospitals)", []string{"|阿波罗医院|Hospital [阿波罗医院]", "|阿波罗医院|Hospital [Apollo Hospitals]"}},
		{"strong alone", "拿下反恐中心", []string{"|Counter-terrorism centre|Counter-terrorism centre [反恐中心]"}},
		{"nato", "北约 and NATO", []string{"INT|NATO| [北约]", "INT|NATO| [NATO]"}},
		{"english paren", "Ministry of Foreign Affairs (Malaysia)", []string{"MY|Ministry of Foreign Affairs|Ministry of Foreign Affairs [Ministry of Foreign Affairs (Malaysia)]"}},
		{"english possessive", "India's Ministry of Finance", []string{"IN|Ministry of Finance|Ministry of Finance [India's Ministry of Finance]"}},
		{"english country first", "the Pakistan Foreign Ministry", []string{"PK|Ministry of Foreign Affairs|Ministry of Foreign Affairs [Pakistan Foreign Ministry]"}},
		{"demonym", "Indian immigration records", []string{"IN|Immigration|Immigration [Indian immigration]"}},
		{"external affairs", "Ministry of External Affairs", []string{"|Ministry of Foreign Affairs|Ministry of Foreign Affairs [Ministry of External Affairs]"}},
		{"air india", "Air India check-in", []string{"IN|Airline|Airline [Air India]"}},
		{"named en", "Apollo Hospitals and Myanmar Police Force", []string{"|Apollo Hospitals|Hospital [Apollo Hospitals]", "MM|Police headquarters|Police headquarters [Myanmar Police Force]"}},
		{"president en", "President's Interior Ministry", []string{"|President's Ministry of Interior|Ministry of Interior [President's Interior Ministry]"}},
		{"generic ministry zh", "越南海岸事务部的数据", []string{"VN|海岸事务部|Ministry [越南海岸事务部]"}},
		{"nested paren alias", "对越南海岸事务部（Ministry of Coastal Affairs (Vietnam)）邮件", []string{"VN|海岸事务部|Ministry [越南海岸事务部]", "VN|海岸事务部|Ministry [Ministry of Coastal Affairs (Vietnam)]"}},
		{"nested paren not a country", "越南海岸事务部（见 (附件)）", []string{"VN|海岸事务部|Ministry [越南海岸事务部]"}},
		{"generic ministry en", "the Ministry of Water and Energy (Nepal) said", []string{"NP|Ministry of Water and Energy|Ministry [Ministry of Water and Energy (Nepal)]"}},
		{"generic ministry word order", "Vietnam's Coastal Affairs Ministry", []string{"VN|Ministry of Coastal Affairs|Ministry [Vietnam's Coastal Affairs Ministry]"}},
		{"country then name", "Kenya Highlands Water Board", []string{"KE|Highlands Water Board|Bureau [Kenya Highlands Water Board]"}},
		{"article not a name", "The Board met. The Ministry of Vietnam", nil},
		{"name word with stop char", "尼泊尔能源事务部被拿下", []string{"NP|能源事务部|Ministry [尼泊尔能源事务部]"}},
		{"no org", "我们去医院 印度那边开始打补丁 驻外交部门", nil},
		{"weak alone", "数据中心 公司", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) {
				got = append(got, fmt.Sprintf("%s [%s]", m.Norm, tt.text[m.Start:m.End]))
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzDetectOrg(f *testing.F) {
	for _, s := range []string{"印度财政部", "巴外交部(MOFA)", "Ministry of Finance (India)", "Air India", "阿波罗医院（", "印度BSNL", "越南海岸事务部（Ministry of Coastal Affairs (Vietnam)）", "Vietnam's Coastal Affairs Ministry", "Ministry of Water and Energy of Nepal", "The Board"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Detector{}.Detect([]byte(s), func(m entity.Match) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Value != s[m.Start:m.End] {
				t.Fatalf("bad match %+v", m)
			}
			if utf8.ValidString(s) && (!utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm)) {
				t.Fatalf("bad value %+v", m)
			}
		})
	})
}

func TestBodyRun(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"two body words end one name", "Nordhavn Power Company was hit", "Nordhavn Power Company"},
		{"legal form after the body", "Acme Holdings Ltd said", "Acme Holdings Ltd"},
		{"a lower-case word ends the name", "Nordhavn Power plans", "Nordhavn Power"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) { got = append(got, m.Value) })
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("Detect(%q) = %q, want [%q]", tt.text, got, tt.want)
			}
		})
	}
}

func TestTransliteratedNames(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"a transliteration longer than four characters", "拿下了卡斯特拉诺航运的邮箱", "卡斯特拉诺航运"},
		{"a long transliteration before a university", "这次瓦尔多里亚理工大学的数据", "瓦尔多里亚理工大学"},
		{"a meaning word before the name stops it", "整理卡斯特拉诺航运", "卡斯特拉诺航运"},
		{"four characters of meaning and no more", "我们整理北方草原大学", "北方草原大学"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detector{}.Detect([]byte(tt.text), func(m entity.Match) { got = append(got, m.Value) })
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("Detect(%q) = %q, want [%q]", tt.text, got, tt.want)
			}
		})
	}
}
