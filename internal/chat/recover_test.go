package chat

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

// senderCounts reads a JSON export and returns "sender=count" per sender,
// sorted, with the reader's counts.
func senderCounts(t *testing.T, in string) ([]string, Stats) {
	t.Helper()
	n := map[string]int{}
	st, err := ReadJSON(strings.NewReader(in), "r.json", Options{}, func(c *Conversation, m Message) error {
		n[m.Sender]++
		return nil
	})
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	var out []string
	for s, k := range n {
		out = append(out, fmt.Sprintf("%s=%d", s, k))
	}
	sort.Strings(out)
	return out, st
}

// TestReadJSONRecovers checks that one broken record costs one record:
// the reader resyncs at the next record in every container shape and
// counts what it skipped.
func TestReadJSONRecovers(t *testing.T) {
	rec := func(from, body string) string {
		return `{"ts": 1600000000, "from": "` + from + `", "body": "` + body + `"}`
	}
	tests := []struct {
		name     string
		in       string
		want     []string
		wantSkip map[SkipReason]int
	}{
		{
			name: "json lines with a line cut short",
			in:   rec("alice", "one") + "\n" + `{"ts": 1600000001, "from": "bob", "body": "cut` + "\n" + rec("bob", "two") + "\n" + rec("alice", "three") + "\n",
			want: []string{"alice=2", "bob=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
		{
			name: "json lines with an unclosed brace",
			in:   rec("alice", "one") + "\n" + `{"ts": 1600000001, "from": "bob", "body": "x"` + "\n" + rec("bob", "two") + "\n",
			want: []string{"alice=1", "bob=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
		{
			name: "pretty array with a missing comma inside a record",
			in:   "[\n  " + rec("alice", "one") + ",\n  {\"ts\": 2 \"from\": \"bob\", \"body\": \"x\"},\n  " + rec("bob", "two") + "\n]\n",
			want: []string{"alice=1", "bob=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
		{
			name: "minified array with a stray quote",
			in:   "[" + rec("alice", "one") + `,{"ts":2,"from":"bob","body":"x"y"},` + rec("bob", "two") + "," + rec("carol", "three") + "]",
			want: []string{"alice=1", "bob=1", "carol=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
		{
			name: "wrapped export with a broken message",
			in:   `{"name": "Acme ops", "id": 4, "messages": [` + "\n" + rec("alice", "one") + ",\n" + `{"ts": 3, "from": bob, "body": "x"},` + "\n" + rec("bob", "two") + "\n]}",
			want: []string{"alice=1", "bob=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
		{
			name: "concatenated objects",
			in:   rec("alice", "one") + rec("bob", "two") + " " + rec("alice", "three"),
			want: []string{"alice=2", "bob=1"},
		},
		{
			name: "file cut inside the last record",
			in:   "[" + rec("alice", "one") + "," + rec("bob", "two") + `,{"ts": 5, "from": "bob", "bo`,
			want: []string{"alice=1", "bob=1"}, wantSkip: map[SkipReason]int{SkipTruncated: 1},
		},
		{
			name: "garbage between lines",
			in:   rec("alice", "one") + "\n%%%% not json %%%%\n" + rec("bob", "two") + "\n",
			want: []string{"alice=1", "bob=1"}, wantSkip: map[SkipReason]int{SkipSyntax: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := senderCounts(t, tt.in)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("per-sender counts (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantSkip, st.Reasons); d != "" {
				t.Errorf("skip reasons (-want +got):\n%s", d)
			}
			sum := 0
			for _, n := range st.Reasons {
				sum += n
			}
			if st.Skipped != sum {
				t.Errorf("Skipped = %d, reasons sum to %d", st.Skipped, sum)
			}
		})
	}
}

// FuzzReadJSON checks the reader's promises on any input: no panic, counts
// that add up, and, for a JSON-lines file with one line of garbage
// between two good records, both records read: one bad line costs at
// most itself.
func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{"", "{", `{"ts": 2, "from": "x", "body": "y"`, `"\`, "[[[[", `{"a": [1, {"b": "c`, "}]", "nonsense {", "\x00\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, garbage []byte) {
		garbage = bytes.ReplaceAll(garbage, []byte("\n"), []byte(" "))
		in := `{"ts": 1600000000, "from": "alice", "body": "one"}` + "\n" + string(garbage) + "\n" +
			`{"ts": 1600000001, "from": "bob", "body": "two"}` + "\n"
		seen := map[string]bool{}
		st, err := ReadJSON(strings.NewReader(in), "f.jsonl", Options{}, func(c *Conversation, m Message) error {
			seen[m.Sender] = true
			return nil
		})
		if err != nil && !errors.Is(err, leak.ErrNesting) {
			t.Fatalf("ReadJSON: %v", err)
		}
		if !seen["alice"] || !seen["bob"] {
			t.Errorf("senders %v, want alice and bob around the garbage line %q", seen, garbage)
		}
		sum := 0
		for _, n := range st.Reasons {
			sum += n
		}
		if st.Skipped != sum || st.Messages+st.Events > st.Records {
			t.Errorf("inconsistent counts %+v", st)
		}
	})
}
