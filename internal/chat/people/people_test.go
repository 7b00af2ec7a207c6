package people

import (
	"strings"
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

func TestOCRDistance(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       float64
	}{
		{"equal", "kwb_0x1", "kwb_0x1", 0},
		{"confusable", "kwb_0xl", "kwb_0x1", 0.5},
		{"substitution", "潘悦-行攻", "潘悦-行政", 1},
		{"deletion", "Tina", "Tina唐", 1},
		{"unrelated", "abc", "xyz", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ocrDistance([]rune(tt.a), []rune(tt.b)); got != tt.want {
				t.Errorf("ocrDistance(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestResolveOCRNames checks how names read by OCR are placed: known and
// near-known names join their person, a confident unknown name becomes a
// person, a doubtful unknown one is left unattributed.
func TestResolveOCRNames(t *testing.T) {
	at := time.Date(2021, 6, 3, 10, 0, 0, 0, chat.DefaultZone)
	text := chat.Conversation{Source: "a.md", Shape: chat.ShapeText, Group: true, Messages: []chat.Message{
		{Time: at, Sender: "kwb_0x1", Text: "早"}, {Time: at, Sender: "王大力", Text: "开会"},
	}}
	tests := []struct {
		name string
		read string
		conf float64
		want string // resolved person, "" for none
	}{
		{"exact handle", "kwb_0x1", 0.6, "kwb_0x1"},
		{"nickname form", "大力", 0.6, "王大力"},
		{"near handle", "kwb_0xl", 0.6, "kwb_0x1"},
		{"confident stranger", "Alice", 0.92, "Alice"},
		{"doubtful stranger", "重子", 0.6, ""},
		{"two letters off", "kvv_9x1", 0.6, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shot := chat.Conversation{Source: "s.png", Shape: chat.ShapeScreenshot, Group: true, Title: "群",
				Messages: []chat.Message{{Time: at, Sender: tt.read, SenderConf: tt.conf, Text: "今天的数据呢", OCR: true}}}
			p := Resolve([]chat.Conversation{text, shot}, Directory{})
			got := ""
			if q := p.SenderOf(1, 0); q != nil {
				got = q.Name
			}
			if got != tt.want {
				t.Errorf("sender %q (conf %.2f) resolved to %q, want %q", tt.read, tt.conf, got, tt.want)
			}
		})
	}
}

// TestAvatarsAndDates checks the cross-screenshot evidence: an avatar seen
// beside a known person names an unread sender and an unknown owner
// elsewhere, and a one-to-one screenshot's unread other party is the
// owner's partner in a text chat active at that date.
func TestAvatarsAndDates(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2022, 1, d, 10, 0, 0, 0, chat.DefaultZone) }
	// Keys as chat.ParseScreenshot writes them: letter, colour, mask.
	k := "k#209090~" + strings.Repeat("0", 48) + "00ff00ff00ff00ff"
	lei := "#e06040~" + strings.Repeat("0", 48) + "0f0f0f0f0f0f0f0f"
	convs := []chat.Conversation{
		{Source: "a.md", Shape: chat.ShapeText, Messages: []chat.Message{
			{Time: day(10), Sender: "邵磊", Text: "钓鱼邮件发出去了"}, {Time: day(20), Sender: "柯文斌", Text: "落地了吗"}}},
		{Source: "b.txt", Shape: chat.ShapeText, Messages: []chat.Message{
			{Time: day(28), Sender: "梁子豪", Text: "服务器到期了"}, {Time: day(28), Sender: "柯文斌", Text: "续"}}},
		{Source: "g.md", Shape: chat.ShapeText, Group: true, Title: "组", Messages: []chat.Message{
			{Time: day(1), Sender: "kwb", Text: "在"}}},
		// One-to-one, owner kwb by the avatar letter, the other side unread.
		{Source: "s1.png", Shape: chat.ShapeScreenshot, Title: "aT", OwnerMark: "k", OwnerAvatar: k, Messages: []chat.Message{
			{Time: day(18), Text: "今天又拉了60G", OCR: true, Avatar: lei},
			{Time: day(18), Text: "还要四五天", OCR: true, Outgoing: true, Avatar: k}}},
		// A group where the same unread avatar is the owner's.
		{Source: "s2.png", Shape: chat.ShapeScreenshot, Group: true, Title: "中亚组", OwnerAvatar: lei, Messages: []chat.Message{
			{Time: day(25), Sender: "kwb", SenderConf: 0.9, Text: "没人点", OCR: true, Avatar: k},
			{Time: day(25), Text: "还是没人点？", OCR: true, Outgoing: true, Avatar: lei}}},
	}
	p := Resolve(convs, Directory{Entries: []Entry{{Name: "柯文斌", Nicks: []string{"kwb"}}}})
	var got []string
	for ci := 3; ci < 5; ci++ {
		c := p.Conversations[ci]
		got = append(got, "owner "+c.Owner)
		for mi := range c.Messages {
			name := ""
			if q := p.SenderOf(ci, mi); q != nil {
				name = q.Name
			}
			got = append(got, name)
		}
	}
	want := []string{"owner 柯文斌", "邵磊", "柯文斌", "owner 邵磊", "柯文斌", "邵磊"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
