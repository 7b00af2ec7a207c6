package ole_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/ole"
	"github.com/leakscope/leakscope/internal/ole/oletest"
)

func open(t testing.TB, b []byte) *ole.File {
	t.Helper()
	f, err := ole.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return f
}

// listing walks f and returns "path size sha-ish" lines for every stream.
func listing(t testing.TB, f *ole.File) []string {
	t.Helper()
	var out []string
	var walk func(e *ole.Entry, prefix string)
	walk = func(e *ole.Entry, prefix string) {
		kids, err := f.Children(e)
		if err != nil {
			t.Fatalf("children of %q: %v", e.Name, err)
		}
		for _, c := range kids {
			p := prefix + c.Name
			if c.IsStorage() {
				out = append(out, p+"/")
				walk(c, p+"/")
				continue
			}
			b, err := f.ReadStream(c)
			if err != nil {
				t.Fatalf("read %s: %v", p, err)
			}
			out = append(out, fmt.Sprintf("%s %d %x", p, len(b), b[:min(len(b), 8)]))
		}
	}
	walk(f.Root(), "")
	return out
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	many := make([]oletest.Stream, 0, 40)
	for i := range 40 {
		many = append(many, oletest.Stream{Path: fmt.Sprintf("dir/s%02d", i), Data: pattern(i*50, byte(i))})
	}
	tests := []struct {
		name    string
		streams []oletest.Stream
		v4      bool
	}{
		{name: "empty", streams: nil},
		{name: "mini", streams: []oletest.Stream{{Path: "a", Data: []byte("hello")}, {Path: "bb", Data: pattern(4095, 1)}}},
		{name: "regular", streams: []oletest.Stream{{Path: "big", Data: pattern(4096, 2)}, {Path: "bigger", Data: pattern(70000, 3)}}},
		{name: "mixed-nested", streams: []oletest.Stream{
			{Path: "WordDocument", Data: pattern(5000, 4)},
			{Path: "ObjectPool/_1/Ole", Data: pattern(20, 5)},
			{Path: "ObjectPool/_1/CONTENTS", Data: pattern(9000, 6)},
			{Path: "empty/"},
			{Path: "zero", Data: []byte{}},
		}},
		{name: "v4", v4: true, streams: []oletest.Stream{{Path: "x", Data: pattern(100, 7)}, {Path: "y", Data: pattern(10000, 8)}}},
		{name: "many-children", streams: many},
		{name: "unicode-names", streams: []oletest.Stream{{Path: "\x05SummaryInformation", Data: []byte("s")}, {Path: "文件", Data: []byte("中文")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := oletest.Build(tt.streams, oletest.Options{V4: tt.v4})
			f := open(t, b)
			if f.Damaged {
				t.Error("Damaged set on a well-formed file")
			}
			got := map[string][]byte{}
			for _, s := range tt.streams {
				if strings.HasSuffix(s.Path, "/") {
					continue
				}
				d, err := f.ReadPath(strings.Split(s.Path, "/")...)
				if err != nil {
					t.Fatalf("ReadPath(%q): %v", s.Path, err)
				}
				got[s.Path] = d
			}
			want := map[string][]byte{}
			for _, s := range tt.streams {
				if !strings.HasSuffix(s.Path, "/") {
					want[s.Path] = s.Data
					if s.Data == nil {
						want[s.Path] = []byte{}
					}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("streams (-want +got):\n%s", diff)
			}
			// Children are found in tree order, each once.
			if n := len(listing(t, f)); n < len(want) {
				t.Errorf("listing found %d streams, want at least %d", n, len(want))
			}
			seen := map[int]bool{}
			for _, e := range f.Entries() {
				if e.IsStorage() {
					kids, err := f.Children(e)
					if err != nil {
						t.Errorf("children of %q: %v", e.Name, err)
					}
					for _, k := range kids {
						if seen[k.ID] {
							t.Errorf("entry %q listed twice", k.Name)
						}
						seen[k.ID] = true
					}
				}
			}
		})
	}
}

func TestStreamReader(t *testing.T) {
	data := pattern(10000, 9)
	f := open(t, oletest.Build([]oletest.Stream{{Path: "s", Data: data}}, oletest.Options{}))
	e, _ := f.Find("S") // case-insensitive
	if e == nil {
		t.Fatal("Find(S) found nothing")
	}
	s, err := f.Stream(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.LimitReader(s, 20000))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("Read: got %d bytes, want %d equal", len(got), len(data))
	}
	buf := make([]byte, 700)
	n, err := s.ReadAt(buf, 9500)
	if n != 500 || err != io.EOF || !bytes.Equal(buf[:n], data[9500:]) {
		t.Errorf("ReadAt at the end: n=%d err=%v", n, err)
	}
}

// Offsets of the fixed layout of oletest.Build (FAT first).
func fatEntry(b []byte, sec uint32, v uint32) {
	binary.LittleEndian.PutUint32(b[512+4*sec:], v)
}

func TestHostile(t *testing.T) {
	base := func() []byte {
		return oletest.Build([]oletest.Stream{
			{Path: "big", Data: pattern(9000, 1)},
			{Path: "small", Data: pattern(300, 2)},
			{Path: "st/inner", Data: pattern(5000, 3)},
		}, oletest.Options{})
	}
	le := binary.LittleEndian
	dirStart := func(b []byte) uint32 { return le.Uint32(b[48:]) }
	tests := []struct {
		name     string
		mutate   func(b []byte) []byte
		openErr  error // wanted from Open, nil if Open succeeds
		readErr  error // wanted from reading "big", nil if it reads
		children error // wanted from listing the root
	}{
		{name: "bad-signature", mutate: func(b []byte) []byte { b[0] = 0; return b }, openErr: ole.ErrFormat},
		{name: "short", mutate: func(b []byte) []byte { return b[:100] }, openErr: ole.ErrTruncated},
		{name: "bad-sector-shift", mutate: func(b []byte) []byte { le.PutUint16(b[30:], 30); return b }, openErr: ole.ErrFormat},
		{name: "cyclic-stream-chain", mutate: func(b []byte) []byte {
			// "big" starts after FAT, dir, mini FAT and mini stream; make
			// its second sector point back to its first.
			start := findStart(t, b, "big")
			fatEntry(b, start+1, start)
			return b
		}, readErr: ole.ErrLoop},
		{name: "chain-to-free", mutate: func(b []byte) []byte {
			start := findStart(t, b, "big")
			fatEntry(b, start, 0xffffffff)
			return b
		}, readErr: ole.ErrTruncated},
		{name: "huge-fat-count", mutate: func(b []byte) []byte { le.PutUint32(b[44:], 0xfffffff0); return b }},
		{name: "huge-stream-size", mutate: func(b []byte) []byte {
			setSize(t, b, "big", 1<<31) // version 3 keeps 32 bits
			return b
		}, readErr: ole.ErrTooLarge},
		{name: "dir-out-of-range", mutate: func(b []byte) []byte { le.PutUint32(b[48:], 1<<20); return b }, openErr: ole.ErrTruncated},
		{name: "cyclic-directory-chain", mutate: func(b []byte) []byte {
			fatEntry(b, dirStart(b), dirStart(b))
			return b
		}},
		{name: "cyclic-tree", mutate: func(b []byte) []byte {
			// Point the root's child's left and right at the root's child.
			d := 512 * (int(dirStart(b)) + 1)
			child := le.Uint32(b[d+76:])
			le.PutUint32(b[d+128*int(child)+68:], child)
			return b
		}, children: ole.ErrLoop},
		{name: "child-out-of-range", mutate: func(b []byte) []byte {
			d := 512 * (int(dirStart(b)) + 1)
			le.PutUint32(b[d+76:], 5000)
			return b
		}, children: ole.ErrTruncated},
		{name: "truncated-half", mutate: func(b []byte) []byte { return b[:len(b)/2] }, readErr: ole.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.mutate(base())
			f, err := ole.Open(bytes.NewReader(b), int64(len(b)))
			if tt.openErr != nil {
				if !errors.Is(err, tt.openErr) {
					t.Fatalf("Open err = %v, want %v", err, tt.openErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			_, cerr := f.Children(f.Root())
			if tt.children != nil && !errors.Is(cerr, tt.children) {
				t.Errorf("Children err = %v, want %v", cerr, tt.children)
			}
			if e, ok := f.Find("big"); ok {
				_, rerr := f.ReadStream(e)
				if tt.readErr != nil && !errors.Is(rerr, tt.readErr) {
					t.Errorf("ReadStream err = %v, want %v", rerr, tt.readErr)
				}
				if tt.readErr == nil && tt.children == nil && rerr != nil {
					t.Errorf("ReadStream: %v", rerr)
				}
			} else if tt.readErr != nil && tt.children == nil {
				t.Errorf("stream big not found; want read error %v", tt.readErr)
			}
		})
	}
}

// dirEntryOffset finds the directory entry named name in a file built by
// oletest (directory in one run of sectors).
func dirEntryOffset(t testing.TB, b []byte, name string) int {
	t.Helper()
	le := binary.LittleEndian
	d := 512 * (int(le.Uint32(b[48:])) + 1)
	for off := d; off+128 <= len(b); off += 128 {
		n := int(le.Uint16(b[off+64:]))
		if n < 2 || n > 64 {
			continue
		}
		var sb strings.Builder
		for i := 0; i+2 < n; i += 2 {
			sb.WriteRune(rune(le.Uint16(b[off+i:])))
		}
		if sb.String() == name {
			return off
		}
	}
	t.Fatalf("entry %q not found", name)
	return 0
}

func findStart(t testing.TB, b []byte, name string) uint32 {
	return binary.LittleEndian.Uint32(b[dirEntryOffset(t, b, name)+116:])
}

func setSize(t testing.TB, b []byte, name string, size uint64) {
	binary.LittleEndian.PutUint64(b[dirEntryOffset(t, b, name)+120:], size)
}

// TestTruncatedNeverHangs cuts a file at many points; every cut must open
// or fail quickly and every readable stream must read or fail.
func TestTruncatedNeverHangs(t *testing.T) {
	b := oletest.Build([]oletest.Stream{
		{Path: "a", Data: pattern(9000, 1)}, {Path: "b", Data: pattern(100, 2)}, {Path: "c/d", Data: pattern(6000, 3)},
	}, oletest.Options{})
	for n := 0; n <= len(b); n += 97 {
		f, err := ole.Open(bytes.NewReader(b[:n]), int64(n))
		if err != nil {
			continue
		}
		for _, e := range f.Entries() {
			if e.Type == ole.TypeStream {
				got, err := f.ReadStream(e)
				if err == nil && int64(len(got)) != e.Size {
					t.Errorf("cut %d: %q read %d bytes of %d without error", n, e.Name, len(got), e.Size)
				}
			}
		}
	}
}

func FuzzCFB(f *testing.F) {
	f.Add(oletest.Build([]oletest.Stream{{Path: "a", Data: []byte("hello")}, {Path: "s/b", Data: pattern(5000, 1)}}, oletest.Options{}))
	f.Add(oletest.Build([]oletest.Stream{{Path: "x", Data: pattern(100, 2)}}, oletest.Options{V4: true}))
	f.Add(append(append([]byte{}, ole.Signature...), make([]byte, 600)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := ole.OpenLimits(bytes.NewReader(b), int64(len(b)), ole.Limits{MaxStream: 1 << 20, MaxEntries: 1024})
		if err != nil {
			return
		}
		if len(file.Entries()) > 1024 {
			t.Fatalf("%d entries over the limit", len(file.Entries()))
		}
		for _, e := range file.Entries() {
			if e.IsStorage() {
				kids, _ := file.Children(e)
				if len(kids) > len(file.Entries()) {
					t.Fatalf("%d children of %d entries", len(kids), len(file.Entries()))
				}
			}
			if e.Type == ole.TypeStream {
				got, err := file.ReadStream(e)
				if int64(len(got)) > 1<<20 {
					t.Fatalf("read %d bytes over the limit", len(got))
				}
				if err == nil && int64(len(got)) != e.Size {
					t.Fatalf("read %d of %d bytes without error", len(got), e.Size)
				}
			}
		}
		_, _ = file.Summary()
		_ = file.Encrypted()
	})
}
