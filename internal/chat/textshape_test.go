package chat

import (
	"fmt"
	"strings"
	"testing"
)

// TestDetectShapeWholeFile checks that the line shape is found from lines
// spread over the whole file: a chat after a long preamble is a chat, and
// a document with a few chat-like lines at its head is not.
func TestDetectShapeWholeFile(t *testing.T) {
	chatLines := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "2021-06-03 14:%02d:%02d %s: shipment %d\n", i/60%60, i%60, []string{"Wren", "Finch"}[i%2], i)
		}
		return b.String()
	}
	prose := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Nordhavn Shipping contact sheet, entry %d, no colon here\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name string
		text string
		want bool
	}{
		{name: "chat after a 2000-line preamble", text: prose(2000) + chatLines(1500), want: true},
		{name: "chat only", text: chatLines(50), want: true},
		{name: "prose with a chat-like head", text: chatLines(20) + prose(3000), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectShape(splitLines([]byte(tt.text))) >= 0; got != tt.want {
				t.Errorf("detected a chat = %v, want %v", got, tt.want)
			}
		})
	}
}
