package target

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRegisterCases builds registers from small invented documents (other
// names, countries and figures than the demo and the shared corpus) for
// the table and merge rules: header rows, name columns, volume columns,
// and when two spellings are one organisation and when they are not.
func TestRegisterCases(t *testing.T) {
	// A stand-in translator: word by word, as the gloss translator does.
	words := map[string]string{"湄公": "Mekong", "南方": "southern", "港务局": "port authority", "电力公司": "electric power company",
		"河口": "estuary", "科技": "technology", "大学": "university", "沙漠": "desert", "银行": "bank", "绿洲": "oasis"}
	translate := func(s string) string {
		var out []string
		for rs := []rune(s); len(rs) > 0; {
			n := 0
			for l := min(len(rs), 4); l > 0; l-- {
				if e, ok := words[string(rs[:l])]; ok {
					out = append(out, e)
					n = l
					break
				}
			}
			if n == 0 {
				return ""
			}
			rs = rs[n:]
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name    string
		docs    []Doc
		aliases [][]string // the case's alias memory
		want    []string   // "name | country | volume | records | first..last"
	}{
		{
			name: "the alias memory joins what no rule joins",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n北极星港务局\t挪威\t2.5G\t2021-05\n"},
				{Path: "r.txt", Text: "Mail of the Nordhavn Harbour Board was exfiltrated in 2021-06.\n"},
			},
			aliases: [][]string{{"北极星港务局", "Nordhavn Harbour Board"}},
			want:    []string{"Nordhavn Harbour Board | NO | 2684354560 | 0 | 2021-05..2021-06"},
		},
		{
			name: "without the alias memory they stay apart",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n北极星港务局\t挪威\t2.5G\t2021-05\n"},
				{Path: "r.txt", Text: "Mail of the Nordhavn Harbour Board was exfiltrated in 2021-06.\n"},
			},
			want: []string{"Nordhavn Harbour Board |  | 0 | 0 | 2021-06..2021-06", "北极星港务局 (Port Authority, Norway) | NO | 2684354560 | 0 | 2021-05..2021-05"},
		},
		{
			name: "a transliteration joins its Latin name across documents",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n卡斯特拉诺航运\t意大利\t3.2G\t2021-05\n"},
				{Path: "s.tsv", Text: "Victim\tCountry (ISO)\tSize\tUnit\tObtained\nCastellano Shipping S.p.A.\tIT\t3.2\tGB\t2021-05\n"},
			},
			want: []string{"Castellano Shipping S.p.A. | IT | 3435973836 | 0 | 2021-05..2021-05"},
		},
		{
			name: "a transliteration of another name stays apart",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n卡斯特拉诺航运\t意大利\t3.2G\t2021-05\n"},
				{Path: "s.tsv", Text: "Victim\tCountry (ISO)\tSize\tUnit\tObtained\nNordhavn Shipping\tIT\t7\tGB\t2021-08\n"},
			},
			want: []string{"Nordhavn Shipping | IT | 7516192768 | 0 | 2021-08..2021-08", "卡斯特拉诺航运 (Shipping Company, Italy) | IT | 3435973836 | 0 | 2021-05..2021-05"},
		},
		{
			name: "an international body in a country column, named in English",
			docs: []Doc{{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n诺德海峡航运委员会(Nordhavn Strait Shipping Commission)\t国际组织\t1.5G\t2022-02\n"}},
			want: []string{"Nordhavn Strait Shipping Commission | INT | 1610612736 | 0 | 2022-02..2022-02"},
		},
		{
			name: "a name glossary joins the two spellings and is evidence",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n诺德哈文港务局\t挪威\t2.5G\t2021-05\n"},
				{Path: "g.tsv", Text: "原文\t中文译名\t国家\t备注\nNordhavn Harbour Board\t诺德哈文港务局\t挪威\t\n"},
				{Path: "r.txt", Text: "Mail of the Nordhavn Harbour Board was exfiltrated.\n"},
			},
			want: []string{"Nordhavn Harbour Board | NO | 2684354560 | 0 | 2021-05..2021-05"},
		},
		{
			name: "a glossary alone makes no target",
			docs: []Doc{{Path: "g.tsv", Text: "原文\t中文译名\t国家\nNordhavn Harbour Board\t诺德哈文港务局\t挪威\n"}},
			want: nil,
		},
		{
			name: "header rows of every sheet are no targets",
			docs: []Doc{{Path: "w.xlsx", Text: "序号\t单位\t国家\t行业\t数量\t时间\n1\t老挝湄公港务局\t老挝\t交通\t2.5G\t2021-03\n" +
				"\f日期\t单位\t数量\t接收人\t备注\n2021-04-01\t老挝湄公港务局\t2.5G\t张三\t全量\n"}},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | 2021-03..2021-04-01"},
		},
		{
			name: "a header row inside a table starts a new table",
			docs: []Doc{{Path: "t.tsv", Text: "单位\t国家\t数据量\t时间\n老挝湄公港务局\t老挝\t2.5G\t2021-03\nUnit\tCountry\tRemark\tStatus\n"}},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | 2021-03..2021-03"},
		},
		{
			name: "quantity column gives the volume",
			docs: []Doc{{Path: "t.csv", Text: "单位,国家,行业,数量,时间\n老挝湄公港务局,老挝,交通,45万条,2021-03\n"}},
			want: []string{"Mekong Port Authority (Laos) | LA | 0 | 450000 | 2021-03..2021-03"},
		},
		{
			name: "an English-name column joins the two names",
			docs: []Doc{
				{Path: "t.tsv", Text: "单位\t英文名称\t国家\t数量\t时间\n老挝湄公港务局\tMekong Port Authority (Laos)\t老挝\t2.5G\t2021-03\n"},
				{Path: "r.txt", Text: "Mekong Port Authority (Laos): 2.5G of shipping records were exfiltrated.\n"},
			},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | 2021-03..2021-03"},
		},
		{
			name: "a second organisation column that is no name column gives no alias",
			docs: []Doc{{Path: "t.tsv", Text: "目标单位\t数据来源\t国家\t数量\n老挝湄公港务局\t邮件服务器\t老挝\t2.5G\n"}},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | .."},
		},
		{
			name: "a parenthesis with its own country is an alias",
			docs: []Doc{
				{Path: "r.md", Text: "- 老挝湄公港务局（Mekong Port Authority (Laos)）数据已拿下，2.5G，2021-03\n"},
				{Path: "e.txt", Text: "Mekong Port Authority (Laos) mail was dumped.\n"},
			},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | 2021-03..2021-03"},
		},
		{
			name: "names that translate to each other merge",
			docs: []Doc{
				{Path: "c.md", Text: "2021-03-02 10:00:00 王强: 智利南方电力公司的邮箱拿下了\n"},
				{Path: "r.txt", Text: "Mail of the Southern Electric Power Company (Chile) was exfiltrated.\n"},
			},
			want: []string{"Southern Electric Power Company (Chile) | CL | 0 | 0 | 2021-03-02..2021-03-02"},
		},
		{
			name: "the same precise volume in two scripts merges",
			docs: []Doc{
				{Path: "c.md", Text: "2021-03-02 10:00:00 王强: 蒙古绿洲科技大学的学生数据拿到了，860M\n"},
				{Path: "r.txt", Text: "Gobi Highland University (Mongolia): 860M of student records exfiltrated.\n"},
			},
			want: []string{"Gobi Highland University (Mongolia) | MN | 901775360 | 0 | 2021-03-02..2021-03-02"},
		},
		{
			name: "country and body type alone never merge",
			docs: []Doc{
				{Path: "c.md", Text: "2021-03-02 10:00:00 王强: 蒙古沙漠科技大学的学生数据拿到了，860M\n"},
				{Path: "r.txt", Text: "Gobi Highland University (Mongolia): 2.1G of student records exfiltrated.\n"},
			},
			want: []string{"Desert Technology University (Mongolia) | MN | 901775360 | 0 | 2021-03-02..2021-03-02", "Gobi Highland University (Mongolia) | MN | 2254857830 | 0 | .."},
		},
		{
			name: "a round volume is no evidence",
			docs: []Doc{
				{Path: "c.md", Text: "2021-03-02 10:00:00 王强: 蒙古沙漠科技大学的学生数据拿到了，1G\n"},
				{Path: "r.txt", Text: "Gobi Highland University (Mongolia): 1G of student records exfiltrated in May 2020.\n"},
			},
			want: []string{"Desert Technology University (Mongolia) | MN | 1073741824 | 0 | 2021-03-02..2021-03-02", "Gobi Highland University (Mongolia) | MN | 1073741824 | 0 | 2020-05..2020-05"},
		},
		{
			name: "two spellings side by side on one line",
			docs: []Doc{{Path: "l.txt", Text: "已交付：蒙古沙漠科技大学 / Gobi Highland University，学生档案 2.1G\n"}},
			want: []string{"Gobi Highland University | MN | 2254857830 | 0 | .."},
		},
		{
			name: "a wrapped PDF line keeps its date",
			docs: []Doc{{Path: "q.pdf", Text: "3. Gobi Highland University (Mongolia): 860M of student records,\n   delivered in December 2020.\n"}},
			want: []string{"Gobi Highland University (Mongolia) | MN | 901775360 | 0 | 2020-12..2020-12"},
		},
		{
			name: "a JSON chat message takes the time of its object",
			docs: []Doc{{Path: "c.json", Text: "[\n  {\n    \"ts\": \"2021-07-20T11:04:37+08:00\",\n    \"from\": \"majun\",\n    \"body\": \"进去了，老挝湄公港务局邮箱，2.5G\"\n  }\n]\n"}},
			want: []string{"Mekong Port Authority (Laos) | LA | 2684354560 | 0 | 2021-07-20..2021-07-20"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tg := range Build(slices.Values(tt.docs), Options{Translate: translate, Aliases: tt.aliases}) {
				got = append(got, strings.Join([]string{tg.Name, tg.Country, itoa(tg.VolumeBytes), itoa(tg.Records), tg.FirstSeen + ".." + tg.LastSeen}, " | "))
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestMergeHelpers(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"header row", headerLike([]string{"日期", "单位", "数量", "接收人", "备注"}), true},
		{"data row", headerLike([]string{"2021-04-01", "老挝湄公港务局", "2.5G", "张三", "全量"}), false},
		{"header cell with unit", headerCell("数据量(GB)"), true},
		{"name cell", headerCell("Unit 8200"), false},
		{"significant bytes", significant(901775360, true), 2},
		{"significant round bytes", significant(1<<30, true), 1},
		{"significant records", significant(1200000, false), 2},
		{"english name drops the article and infinitive", englishName("the Andes mountain chain to move"), "Andes Mountain Chain Move"},
		{"english name turns a ministry round", englishName("coastal affairs ministry"), "Ministry of Coastal Affairs"},
		{"english name drops dictionary remarks", englishName("highland (geography) water authority CL:个"), "Highland Water Authority"},
		{"english name needs Latin", englishName("安第斯 mobile"), ""},
		{"distinctive words", slices.Sorted(func(y func(string) bool) {
			for w := range distinctiveWords("Kenya Highlands Water Board of the Interior") {
				if !y(w) {
					return
				}
			}
		}), []string{"highland", "water"}},
		{"continued over a comma", continued("a,\nb\nc", 2, 100), 4},
		{"not continued over a tab cell", continued("Apollo Hospitals\n\t3.2 GB\n", 16, 100), 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
