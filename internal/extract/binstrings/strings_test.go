package binstrings

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{name: "ascii runs", in: []byte("\x00\x01hello world\x00ab\x00mail@example.com\x02"), want: []string{"hello world", "mail@example.com"}},
		{name: "short runs dropped", in: []byte("\x00abc\x00de\x00"), want: nil},
		{name: "utf16 chinese", in: append([]byte{0, 0}, utf16le("印度财政部数据")...), want: []string{"印度财政部数据"}},
		{name: "utf16 latin", in: append([]byte{1, 2}, utf16le("Subject: report")...), want: []string{"Subject: report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Scan(context.Background(), bytes.NewReader(tt.in), 1<<20, func(s string) { got = append(got, s) })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRandomIsNotText checks random bytes stay below MinShare, so they are
// reported as unrecognised instead of indexed as noise.
func TestRandomIsNotText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	covered, _ := Scan(context.Background(), bytes.NewReader(b), 1<<20, func(string) {})
	if share := float64(covered) / float64(len(b)); share >= MinShare {
		t.Fatalf("random bytes: %.3f printable share, want < %.3f", share, MinShare)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("hello world\x00\x01"))
	f.Add(utf16le("印度财政部"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var total int
		covered, err := Scan(context.Background(), bytes.NewReader(b), 1000, func(s string) {
			if !utf8.ValidString(s) || len([]rune(s)) < MinRun || strings.ContainsRune(s, 0) {
				t.Fatalf("bad run %q", s)
			}
			total += len(s)
		})
		if err != nil || covered > int64(len(b)) {
			t.Fatalf("covered %d of %d, %v", covered, len(b), err)
		}
	})
}

// TestLargeNoiseStopsEarly checks a big non-text file is given up after
// 16 MiB instead of being read to the end.
func TestLargeNoiseStopsEarly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 40<<20)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	rd := bytes.NewReader(b)
	_, err := Scan(context.Background(), rd, 1<<20, func(string) {})
	if !errors.Is(err, errNoText) {
		t.Fatalf("err = %v, want errNoText", err)
	}
	if read := int64(len(b)) - int64(rd.Len()); read > 17<<20 {
		t.Fatalf("read %d bytes before giving up", read)
	}
}

// TestCoveredOnce checks that bytes read both as an ASCII run and as a
// UTF-16 run count once: the fuzzer found "0000000\x8d00\xe8\x90" covering
// 19 of its 12 bytes, which let such noise pass MinShare.
func TestCoveredOnce(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
	}{
		{name: "fuzz crasher", in: "0000000\x8d00\xe8\x90", want: 12},
		{name: "ascii only", in: "\x00\x01hello world\x00", want: 11},
		{name: "utf16 only", in: string(utf16le("机密文件内部资料")), want: 16},
		{name: "ascii read at the wrong width", in: "\x00" + strings.Repeat("00", 40) + "\x01\x02", want: 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Scan(context.Background(), strings.NewReader(tt.in), 1<<20, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || got > int64(len(tt.in)) {
				t.Errorf("covered %d of %d bytes, want %d", got, len(tt.in), tt.want)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	tests := []struct {
		name  string
		spans [][2]int64
		want  []int64
	}{
		{name: "disjoint", spans: [][2]int64{{0, 5}, {10, 12}}, want: []int64{5, 2}},
		{name: "narrow inside wide", spans: [][2]int64{{2, 8}, {0, 10}}, want: []int64{6, 4}},
		{name: "overlap at the end", spans: [][2]int64{{0, 7}, {0, 12}, {11, 13}}, want: []int64{7, 5, 1}},
		{name: "earlier range between spans", spans: [][2]int64{{0, 2}, {8, 10}, {3, 5}}, want: []int64{2, 2, 2}},
		{name: "empty", spans: [][2]int64{{4, 4}}, want: []int64{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c coverage
			for i, s := range tt.spans {
				if got := c.add(s[0], s[1]); got != tt.want[i] {
					t.Errorf("add(%d, %d) = %d, want %d", s[0], s[1], got, tt.want[i])
				}
			}
		})
	}
}
