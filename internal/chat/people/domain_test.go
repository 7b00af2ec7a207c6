package people

import (
	"testing"

	"github.com/leakscope/leakscope/internal/chat"
)

// TestSameLocalPartOtherDomain checks that addresses sharing a local part
// on two domains stay two people, while a bare handle still joins its
// address.
func TestSameLocalPartOtherDomain(t *testing.T) {
	conv := func(id string, senders ...string) chat.Conversation {
		c := chat.Conversation{ID: id, Source: id, Shape: chat.ShapeJSON}
		for _, s := range senders {
			c.Messages = append(c.Messages, chat.Message{Sender: s, Text: "hello", Confidence: 1})
		}
		return c
	}
	tests := []struct {
		name    string
		convs   []chat.Conversation
		persons int
	}{
		{
			name:    "same local part, two servers",
			convs:   []chat.Conversation{conv("a", "kestrel@acme.example", "heron@acme.example"), conv("b", "kestrel@nordhavn.example", "heron@acme.example")},
			persons: 3,
		},
		{
			name:    "same address twice",
			convs:   []chat.Conversation{conv("a", "kestrel@acme.example", "heron@acme.example"), conv("b", "kestrel@acme.example")},
			persons: 2,
		},
		{
			name:    "bare handle joins its address",
			convs:   []chat.Conversation{conv("a", "kestrel", "heron"), conv("b", "kestrel@acme.example")},
			persons: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Resolve(tt.convs, Directory{})
			if len(p.Persons) != tt.persons {
				var names []string
				for _, q := range p.Persons {
					names = append(names, q.Name)
				}
				t.Errorf("persons %q, want %d", names, tt.persons)
			}
		})
	}
}
