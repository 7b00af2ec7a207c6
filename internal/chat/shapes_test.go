package chat

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// shapeSummary is what an analyst checks first on an export: per
// conversation, each sender's message count, the events, and the first
// and last message times.
func shapeSummary(convs []Conversation) []string {
	var out []string
	for _, c := range convs {
		n := map[string]int{}
		events := 0
		for _, m := range c.Messages {
			if m.System {
				events++
				continue
			}
			n[m.Sender]++
		}
		var per []string
		for s, k := range n {
			per = append(per, fmt.Sprintf("%s=%d", s, k))
		}
		sort.Strings(per)
		out = append(out, fmt.Sprintf("%q group=%v %v events=%d %s..%s", c.Title, c.Group, per, events,
			c.First().UTC().Format(time.DateTime), c.Last().UTC().Format(time.DateTime)))
	}
	return out
}

// TestJSONShapeCounts checks, on an invented fixture of each export shape,
// the exact per-sender counts, events and first/last times: nested sender
// objects (u.username, author.name with author.id), party, rooms split by
// rid, Matrix ids with their server, events kept but not counted, file
// posts kept.
func TestJSONShapeCounts(t *testing.T) {
	tests := []struct {
		name string
		file string
		zone *time.Location
		want []string
	}{
		{
			name: "rocket.chat lines split by rid", file: "rocketchat.jsonl",
			want: []string{
				`"GENERAL" group=false [heron=1 kestrel=2] events=2 2020-10-15 08:00:00..2020-10-15 08:05:00`,
				`"u1u3" group=false [kestrel=1 osprey=1] events=0 2020-10-15 09:00:00..2020-10-15 09:10:00`,
			},
		},
		{
			name: "discord wrapped export", file: "discord.json",
			want: []string{`"general" group=false [finch=2 wren=2] events=1 2021-02-01 10:00:00..2021-02-01 10:30:00`},
		},
		{
			name: "matrix room events", file: "matrix.json",
			want: []string{`"Acme logistics" group=false [@lark:example.org=2 @pipit:matrix.example.net=1] events=2 2021-01-07 06:14:20..2021-01-07 06:16:20`},
		},
		{
			name: "negotiation by party in the case zone", file: "negotiation.json", zone: time.FixedZone("MSK", 3*3600),
			want: []string{`"" group=false [client=2 support=2] events=0 2022-05-02 11:00:00..2022-05-03 06:00:00`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			convs, st, err := ParseJSONStats(tt.file, f, Options{Zone: tt.zone})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, shapeSummary(convs)); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
			if st.Skipped != 0 {
				t.Errorf("skipped %d records: %v", st.Skipped, st.Reasons)
			}
		})
	}
}
