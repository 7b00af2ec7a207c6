package target

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuild(t *testing.T) {
	docs := []Doc{
		{Path: "list.xlsx", Pages: []Page{{Label: "Sheet1", Text: "序号\t单位\t国家\t行业\t数据类型\t数据量\t时间\n" +
			"1\t越南财政部\t越南\t政府\t邮件\t2.5G\t2021.07\n" +
			"2\t西贡医院(Saigon Hospital)\t越南\t医疗\t病历\t60万条\t2022年3月\n"}}},
		{Path: "stats.csv", Text: "目标,数据类型,数据量(GB),获取时间\n越南财政部,邮件,2.5,2021-07\n"},
		{Path: "chat.md", Text: "2021-07-02 10:00:00 王强: 越南财政部的邮箱权限拿下了，先拉了1.1G\n" +
			"2021-07-03 11:00:00 王强: 老挝外交部那边也拿到shell了\n" +
			"2021-07-04 12:00:00 李明: 今天吃什么\n"},
		{Path: "report.txt", Text: "Saigon Hospital records were dumped.\nThe Ministry of Finance (Vietnam) has a new website.\n"},
	}
	got := Build(slices.Values(docs), Options{Translate: strings.ToUpper})
	type row struct {
		Name, Country, Sector string
		Volume, Records       int64
		First, Last           string
		Paths                 []string
	}
	var rows []row
	for _, tg := range got {
		r := row{tg.Name, tg.Country, tg.Sector, tg.VolumeBytes, tg.Records, tg.FirstSeen, tg.LastSeen, nil}
		for _, e := range tg.Evidence {
			r.Paths = append(r.Paths, e.Path)
			if e.Translation != strings.ToUpper(e.Snippet) {
				t.Errorf("translation %q of %q", e.Translation, e.Snippet)
			}
		}
		if tg.Confidence <= 0 || tg.Confidence > 1 {
			t.Errorf("%s: confidence %v", tg.Name, tg.Confidence)
		}
		rows = append(rows, r)
	}
	want := []row{
		{"Ministry of Finance (Vietnam)", "VN", "government / finance", 2684354560, 0, "2021-07", "2021-07-02", []string{"chat.md", "list.xlsx", "report.txt", "stats.csv"}},
		{"Saigon Hospital", "VN", "healthcare", 0, 600000, "2022-03", "2022-03", []string{"list.xlsx", "report.txt"}},
		{"Ministry of Foreign Affairs (Laos)", "LA", "government / foreign affairs", 0, 0, "2021-07-03", "2021-07-03", []string{"chat.md"}},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestCheck(t *testing.T) {
	docs := []Doc{
		{Path: "a.md", Text: "印度财政部的邮件服务器已经拿到权限"},
		{Path: "b.txt", Text: "BSNL subscriber data; mail to it-helpdesk@mail.gov-in.example.com and https://vpn.example.com/x"},
		{Path: "c.txt", Text: "中转 203.0.113.77 和 198.51.100.9，another bsnl2 token, 外交部"},
	}
	watch, err := ParseWatchList(strings.NewReader("# test list\norg: Ministry of Finance India | MoF India\nBSNL\ndomain: example.com\ncidr: 203.0.113.0/24\nkeyword: subscriber\norg: Ministry of Foreign Affairs (Pakistan)\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := Check(slices.Values(docs), watch, Options{})
	want := []Hit{
		{Watch: "203.0.113.0/24", Type: "cidr", Value: "203.0.113.77", Paths: []string{"c.txt"}},
		{Watch: "BSNL", Type: "org", Value: "BSNL", Paths: []string{"b.txt"}},
		{Watch: "Ministry of Finance India", Type: "org", Value: "印度财政部", Paths: []string{"a.md"}},
		{Watch: "example.com", Type: "domain", Value: "it-helpdesk@mail.gov-in.example.com", Paths: []string{"b.txt"}},
		{Watch: "example.com", Type: "domain", Value: "mail.gov-in.example.com", Paths: []string{"b.txt"}},
		{Watch: "example.com", Type: "domain", Value: "vpn.example.com", Paths: []string{"b.txt"}},
		{Watch: "subscriber", Type: "keyword", Value: "subscriber", Paths: []string{"b.txt"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestParseWatchList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []WatchEntry
		wantErr bool
	}{
		{"text", "org: A | B\n\n# c\ndomain: x.test\n", []WatchEntry{{Name: "A", Aliases: []string{"B"}, Type: "org"}, {Name: "x.test", Type: "domain"}}, false},
		{"json", `[{"name":"NATO","aliases":["北约"]},{"name":"10.0.0.0/8","type":"cidr"}]`, []WatchEntry{{Name: "NATO", Aliases: []string{"北约"}, Type: "org"}, {Name: "10.0.0.0/8", Type: "cidr"}}, false},
		{"bad cidr", "cidr: 10.0.0.0/99\n", nil, true},
		{"bad type", `[{"name":"x","type":"weird"}]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWatchList(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzParseWatchList(f *testing.F) {
	f.Add("org: A | B\ncidr: 10.0.0.0/8\n")
	f.Add(`[{"name":"x"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		ws, err := ParseWatchList(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, w := range ws {
			if w.Name == "" || validate(w) != nil {
				t.Fatalf("invalid entry accepted: %+v", w)
			}
		}
	})
}

func FuzzBuild(f *testing.F) {
	f.Add("单位\t国家\t数据量\n印度财政部\t印度\t1.3G\n", "印度外交部拿下了 2.7G 2021-06")
	f.Add("单位\t英文名称\t国家\t数量\t时间\n老挝湄公港务局\tMekong Port Authority (Laos)\t老挝\t2.5G\t2021-03\n\f日期\t单位\t备注\n", "老挝湄公港务局（Mekong Port Authority (Laos)）数据，\n   delivered in May 2021")
	f.Add("[\n  {\n    \"ts\": \"2021-07-20T11:04:37+08:00\",\n    \"body\": \"蒙古沙漠大学 / Gobi University 860M\"\n  }\n]", "Gobi University (Mongolia): 860M,\n  of records")
	f.Fuzz(func(t *testing.T, table, chat string) {
		ts := Build(slices.Values([]Doc{{Path: "t", Text: table}, {Path: "c", Text: chat}}), Options{})
		for _, tg := range ts {
			if tg.Confidence < 0 || tg.Confidence > 1 {
				t.Fatalf("confidence %v", tg.Confidence)
			}
			for _, e := range tg.Evidence {
				if e.Path != "t" && e.Path != "c" {
					t.Fatalf("evidence path %q", e.Path)
				}
			}
		}
	})
}
