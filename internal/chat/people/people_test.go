package people

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/chat"
)

func TestNickOf(t *testing.T) {
	tests := []struct {
		name, nick, full string
		want             bool
	}{
		{"given name", "振洲", "顾振洲", true},
		{"doubled", "宁宁", "贺宁", true},
		{"given plus zi", "磊子", "邵磊", true},
		{"given plus ge", "豪哥", "梁子豪", true},
		{"surname title", "顾总", "顾振洲", true},
		{"surname engineer", "柯工", "柯文斌", true},
		{"little surname", "小钟", "钟晓岚", true},
		{"latin plus surname", "Lan钟", "钟晓岚", true},
		{"name with department", "潘悦-行政", "潘悦", true},
		{"other person", "磊子", "顾振洲", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nickOf(tt.nick, tt.full); got != tt.want {
				t.Errorf("nickOf(%q, %q) = %v, want %v", tt.nick, tt.full, got, tt.want)
			}
		})
	}
}

func TestDirectoryFromTable(t *testing.T) {
	text := "员工通讯录\n姓名\t部门\t邮箱\t微信/QQ\n王大力\t研发\twang@example.com\twxid_wdl / 123456\n李小花\t商务\tli@example.com\tlxh_biz\n"
	d, ok := DirectoryFromTable(text)
	if !ok {
		t.Fatal("no directory")
	}
	want := []Entry{
		{Name: "王大力", Handles: []string{"wxid_wdl", "123456"}, Emails: []string{"wang@example.com"}},
		{Name: "李小花", Handles: []string{"lxh_biz"}, Emails: []string{"li@example.com"}},
	}
	if diff := cmp.Diff(want, d.Entries); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := DirectoryFromTable("just\ttext\nno\theader\n"); ok {
		t.Error("table without a header read as a directory")
	}
}

func TestResolve(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2021, 6, 3, h, 0, 0, 0, chat.DefaultZone) }
	convs := []chat.Conversation{
		{ID: "a", Shape: chat.ShapeText, Messages: []chat.Message{
			{Time: at(9), Sender: "王大力", Text: "早上好，今天开会"},
			{Time: at(10), Sender: "李小花", Text: "收到"},
		}},
		{ID: "b", Shape: chat.ShapeJSON, Group: true, Title: "项目群", Messages: []chat.Message{
			{Time: at(11), Sender: "wxid_wdl", Text: "x"},
			{Time: at(12), Sender: "lxh_biz", Text: "y"},
		}},
		{ID: "c", Shape: chat.ShapeScreenshot, Title: "大力", Messages: []chat.Message{
			{Time: at(9), Sender: "大力", Text: "早上好，今天开会", OCR: true},
			{Time: at(9), Outgoing: true, Text: "好的", OCR: true},
		}},
	}
	dir := Directory{Entries: []Entry{{Name: "王大力", Handles: []string{"wxid_wdl"}}, {Name: "李小花", Handles: []string{"lxh_biz"}}}}
	p := Resolve(convs, dir)
	got := p.Stats()
	want := []ParticipantStats{
		{Name: "王大力", Aliases: []string{"wxid_wdl", "大力"}, Messages: 3},
		{Name: "李小花", Aliases: []string{"lxh_biz"}, Messages: 3},
	}
	if d := cmp.Diff(want, got.Participants); d != "" {
		t.Errorf("participants (-want +got):\n%s", d)
	}
	// The screenshot owner comes from the only one-to-one partner of 大力.
	if d := cmp.Diff("李小花", p.Conversations[2].Owner); d != "" {
		t.Errorf("owner (-want +got):\n%s", d)
	}
	wantEdges := []Edge{{"李小花", "王大力", 2}, {"王大力", "李小花", 2}, {"李小花", "#项目群", 1}, {"王大力", "#项目群", 1}}
	if d := cmp.Diff(wantEdges, p.Edges); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
}

// TestOwnerMark checks that a screenshot's owner is taken from the letter
// on their avatar when exactly one known person carries it.
func TestOwnerMark(t *testing.T) {
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, chat.DefaultZone)
	text := chat.Conversation{Source: "a.md", Shape: chat.ShapeText, Messages: []chat.Message{
		{Time: at, Sender: "王大力", Text: "早"}, {Time: at, Sender: "李小花", Text: "早上好"}, {Time: at, Sender: "kwb_0x1", Text: "在"},
	}}
	tests := []struct {
		name, mark, want string
	}{
		{"han in name", "花", "李小花"},
		{"latin starts handle", "k", "kwb_0x1"},
		{"nobody", "洲", ""},
		{"the other party", "力", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shot := chat.Conversation{Source: "s.png", Shape: chat.ShapeScreenshot, Title: "王大力", OwnerMark: tt.mark,
				Messages: []chat.Message{
					{Time: at, Sender: "王大力", Text: "今天的数据呢", OCR: true},
					{Time: at, Text: "马上发", OCR: true, Outgoing: true},
				}}
			p := Resolve([]chat.Conversation{text, shot}, Directory{})
			if d := cmp.Diff(tt.want, p.Conversations[1].Owner); d != "" {
				t.Errorf("owner (-want +got):\n%s", d)
			}
		})
	}
}
