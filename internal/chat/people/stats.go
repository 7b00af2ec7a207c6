package people

import (
	"time"
)

// Stats is the `chats` JSON of the contract in DESIGN.md:
// {"conversations":[{"id","source","participants":[...],"messages","first","last"}],
// "participants":[{"name","aliases":[...],"messages"}]}.
type Stats struct {
	Conversations []ConversationStats `json:"conversations"`
	Participants  []ParticipantStats  `json:"participants"`
}

// ConversationStats is one conversation in Stats. Participants are
// resolved person names; first and last are RFC 3339 ("" when unknown).
type ConversationStats struct {
	ID           string   `json:"id"`
	Source       string   `json:"source"`
	Participants []string `json:"participants"`
	Messages     int      `json:"messages"`
	First        string   `json:"first"`
	Last         string   `json:"last"`
}

// ParticipantStats is one person in Stats.
type ParticipantStats struct {
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases"`
	Messages int      `json:"messages"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// Stats renders p in the contract's form. Messages counts exclude system
// lines; a conversation's participants are the resolved senders.
func (p *People) Stats() Stats {
	s := Stats{Conversations: []ConversationStats{}, Participants: []ParticipantStats{}}
	for ci, c := range p.Conversations {
		cs := ConversationStats{ID: c.ID, Source: c.Source, Participants: []string{}}
		seen := map[string]bool{}
		var first, last time.Time
		for mi, m := range c.Messages {
			if m.System {
				continue
			}
			cs.Messages++
			if q := p.sender[ci][mi]; q != nil && !seen[q.Name] {
				seen[q.Name] = true
				cs.Participants = append(cs.Participants, q.Name)
			}
			if !m.Time.IsZero() {
				if first.IsZero() || m.Time.Before(first) {
					first = m.Time
				}
				if m.Time.After(last) {
					last = m.Time
				}
			}
		}
		cs.First, cs.Last = rfc3339(first), rfc3339(last)
		s.Conversations = append(s.Conversations, cs)
	}
	for _, q := range p.Persons {
		a := q.Aliases
		if a == nil {
			a = []string{}
		}
		s.Participants = append(s.Participants, ParticipantStats{Name: q.Name, Aliases: a, Messages: q.Messages})
	}
	return s
}

// PerParticipant returns the non-system message count per resolved person
// name of conversation i; unresolved senders count under "".
func (p *People) PerParticipant(i int) map[string]int {
	out := map[string]int{}
	for mi, m := range p.Conversations[i].Messages {
		if m.System {
			continue
		}
		name := ""
		if q := p.sender[i][mi]; q != nil {
			name = q.Name
		}
		out[name]++
	}
	return out
}
