package enrich

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/target"
)

func TestLinkTargets(t *testing.T) {
	ts := []target.Target{
		{Name: "Nordhavn Shipping", Aliases: []string{"北港航运公司"}, Country: "VN", Evidence: []target.Evidence{{Path: "chats/a.md"}}},
		{Name: "Quiet Ministry", Country: "KZ", Evidence: []target.Evidence{{Path: "chats/b.md"}}},
		{Name: "X", Country: "MN"}, // a one-letter name names nothing
	}
	ch := &Chats{Conversations: []ChatView{
		{Source: "chats/a.md", Participants: []string{"陈默", "林晓"}, Messages: []MessageView{
			{Sender: "陈默", Text: "北港航运公司的邮箱拿下了"},
			{Sender: "陈默", Text: "nordhavn shipping 的数据明天打包"},
			{Sender: "林晓", Text: "好的"},
			{Sender: "", Text: "北港航运公司 系统消息", System: true},
			{Sender: "林晓", Text: "X 是谁"},
		}},
		{Source: "chats/b.md", Participants: []string{"周航", "吴桐"}, Messages: []MessageView{
			{Sender: "周航", Text: "收到"},
		}},
	}}
	want := []TargetLink{
		{Person: "吴桐", Target: "Quiet Ministry", Country: "KZ", Messages: 1, Dashed: true},
		{Person: "周航", Target: "Quiet Ministry", Country: "KZ", Messages: 1, Dashed: true},
		{Person: "陈默", Target: "Nordhavn Shipping", Country: "VN", Messages: 2},
	}
	if diff := cmp.Diff(want, linkTargets(ts, ch)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func TestPlausibleTime(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"dos epoch", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"unix epoch", time.Unix(0, 0), false},
		{"zero", time.Time{}, false},
		{"ordinary", time.Date(2021, 6, 3, 0, 0, 0, 0, time.UTC), true},
		{"next year", time.Now().AddDate(1, 0, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlausibleTime(tt.t); got != tt.want {
				t.Errorf("PlausibleTime(%v) = %v", tt.t, got)
			}
		})
	}
}
