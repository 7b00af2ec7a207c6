package people

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/chat"
)

// fakePinyin is a small invented reading table, so these tests do not
// depend on CC-CEDICT being installed.
var fakePinyin = map[rune][]string{
	'马': {"ma"}, '俊': {"jun"}, '苏': {"su"}, '静': {"jing"}, '怡': {"yi"},
	'罗': {"luo"}, '小': {"xiao"}, '梅': {"mei"}, '韩': {"han"}, '立': {"li"},
	'伟': {"wei"}, '克': {"ke"}, '林': {"lin"}, '文': {"wen"}, '涛': {"tao"},
	'刘': {"liu"}, '婷': {"ting"}, '单': {"dan", "shan"}, '华': {"hua"},
	'欧': {"ou"}, '阳': {"yang"}, '明': {"ming"}, '李': {"li"}, '娜': {"na"},
	'王': {"wang"}, '涵': {"han"}, '寒': {"han"}, '丽': {"li"}, '薇': {"wei"},
}

func withFakePinyin(t *testing.T) {
	t.Helper()
	oldC, oldS := Pinyin, SurnamePinyin
	Pinyin = func(r rune) []string { return fakePinyin[r] }
	SurnamePinyin = func(s string) []string {
		if s == "单" {
			return []string{"shan"}
		}
		if s == "欧阳" {
			return []string{"ouyang"}
		}
		return nil
	}
	t.Cleanup(func() { Pinyin, SurnamePinyin = oldC, oldS })
}

func TestHandleStems(t *testing.T) {
	tests := []struct {
		name, handle string
		want         []string
	}{
		{"suffix", "majun_0x", []string{"majun"}},
		{"word suffix", "sujy_data", []string{"sujy", "sujydata"}},
		{"wxid prefix and digits", "wxid_hlw1975", []string{"hlw"}},
		{"upper case", "LuoXM_biz", []string{"luoxm", "luoxmbiz"}},
		{"dotted", "ma.jun", []string{"majun"}},
		{"e-mail local part", "jun.ma@example.com", []string{"jun", "junma"}},
		{"random wxid", "wxid_8k2j9x", nil},
		{"too short", "mj", nil},
		{"chinese", "马俊", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, handleStems(tt.handle)); diff != "" {
				t.Errorf("handleStems(%q) (-want +got):\n%s", tt.handle, diff)
			}
		})
	}
}

func TestNameSpellings(t *testing.T) {
	withFakePinyin(t)
	tests := []struct {
		name, full string
		want       []string
	}{
		{"two characters", "马俊", []string{"majun", "junma", "maj"}},
		{"three characters", "苏静怡", []string{"sujingyi", "jingyisu", "sujy", "sjy"}},
		{"surname reading only", "单华", []string{"shanhua", "huashan", "shanh"}},
		{"compound surname", "欧阳明", []string{"ouyangming", "mingouyang", "ouyangm"}},
		{"unknown character", "马琎", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, nameSpellings(tt.full, Pinyin, SurnamePinyin)); diff != "" {
				t.Errorf("nameSpellings(%q) (-want +got):\n%s", tt.full, diff)
			}
		})
	}
}

func TestResolvePinyinHandles(t *testing.T) {
	withFakePinyin(t)
	at := func(h int) time.Time { return time.Date(2021, 6, 3, h, 0, 0, 0, chat.DefaultZone) }
	conv := func(id string, shape string, senders ...string) chat.Conversation {
		c := chat.Conversation{ID: id, Shape: shape, Group: true, Title: id}
		for i, s := range senders {
			c.Messages = append(c.Messages, chat.Message{Time: at(9 + i), Sender: s, Text: "消息" + id})
		}
		return c
	}
	tests := []struct {
		name  string
		convs []chat.Conversation
		dir   Directory
		// want maps each person's name to its aliases, sorted.
		want map[string][]string
	}{
		{
			name: "all four forms",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "马俊", "苏静怡", "罗小梅", "韩立伟"),
				conv("j", chat.ShapeJSON, "majun_0x", "sujy_data", "luoxm_biz", "wxid_hlw1975"),
			},
			want: map[string][]string{"马俊": {"majun_0x"}, "苏静怡": {"sujy_data"}, "罗小梅": {"luoxm_biz"}, "韩立伟": {"wxid_hlw1975"}},
		},
		{
			name: "handle seen before the name",
			convs: []chat.Conversation{
				conv("j", chat.ShapeJSON, "junma", "liwei.wang"),
				conv("t", chat.ShapeText, "马俊", "王立伟"),
			},
			want: map[string][]string{"马俊": {"junma"}, "王立伟": {"liwei.wang"}},
		},
		{
			name: "two people with the same initials",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "韩立伟", "韩丽薇"),
				conv("j", chat.ShapeJSON, "wxid_hlw1975"),
			},
			want: map[string][]string{"韩立伟": nil, "韩丽薇": nil, "wxid_hlw1975": nil},
		},
		{
			name: "same spelling, different characters",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "王涵", "王寒"),
				conv("j", chat.ShapeJSON, "wanghan"),
			},
			want: map[string][]string{"王涵": nil, "王寒": nil, "wanghan": nil},
		},
		{
			name: "english handle near a name",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "马克"),
				conv("j", chat.ShapeJSON, "mark", "make_2020"),
			},
			want: map[string][]string{"马克": {"make_2020"}, "mark": nil},
		},
		{
			name: "no chinese names",
			convs: []chat.Conversation{
				conv("j", chat.ShapeJSON, "majun_0x", "Mark Chen", "kwb_0x1"),
			},
			want: map[string][]string{"majun_0x": nil, "Mark Chen": nil, "kwb_0x1": nil},
		},
		{
			name: "handle and name in one conversation",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "马俊", "majun_0x"),
			},
			want: map[string][]string{"马俊": nil, "majun_0x": nil},
		},
		{
			name: "handle already resolved by the directory",
			dir:  Directory{Entries: []Entry{{Name: "林文涛", Handles: []string{"majun_0x"}}}},
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "马俊"),
				conv("j", chat.ShapeJSON, "majun_0x"),
			},
			want: map[string][]string{"马俊": nil, "林文涛": {"majun_0x"}},
		},
		{
			name: "polyphonic surname",
			convs: []chat.Conversation{
				conv("t", chat.ShapeText, "单华"),
				conv("j", chat.ShapeJSON, "shanh_1"),
			},
			want: map[string][]string{"单华": {"shanh_1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string][]string{}
			for _, p := range Resolve(tt.convs, tt.dir).Persons {
				got[p.Name] = p.Aliases
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("persons (-want +got):\n%s", diff)
			}
		})
	}
}

// TestResolvePinyinDisabled checks that a nil hook turns the rule off.
func TestResolvePinyinDisabled(t *testing.T) {
	old := Pinyin
	Pinyin = nil
	t.Cleanup(func() { Pinyin = old })
	convs := []chat.Conversation{
		{ID: "t", Shape: chat.ShapeText, Messages: []chat.Message{{Sender: "马俊", Text: "a"}}},
		{ID: "j", Shape: chat.ShapeJSON, Messages: []chat.Message{{Sender: "majun_0x", Text: "b"}}},
	}
	if n := len(Resolve(convs, Directory{}).Persons); n != 2 {
		t.Errorf("%d persons, want 2", n)
	}
}

func FuzzHandleStems(f *testing.F) {
	for _, s := range []string{"majun_0x", "wxid_hlw1975", "jun.ma@x.org", "马俊", "", "@@__..", "a_b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range handleStems(s) {
			if !utf8.ValidString(st) || len(st) < minStem || len(st) > len(s) {
				t.Fatalf("handleStems(%q): bad stem %q", s, st)
			}
			if strings.Trim(st, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Fatalf("handleStems(%q): stem %q not lowercase letters", s, st)
			}
		}
	})
}
