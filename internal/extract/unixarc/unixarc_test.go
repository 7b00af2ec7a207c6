package unixarc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

type file struct {
	name, body, link string
	dir              bool
}

// arGNU writes a GNU ar archive with a symbol table, a long-name table
// for names over 15 bytes, and odd-sized members padded with "\n".
func arGNU(files []file) []byte {
	var b strings.Builder
	b.WriteString("!<arch>\n")
	hdr := func(name string, size int) {
		fmt.Fprintf(&b, "%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "100644", size)
	}
	hdr("/", 4)
	b.WriteString("\x00\x00\x00\x00")
	var table strings.Builder
	names := map[string]string{}
	for _, f := range files {
		if len(f.name) > 15 {
			names[f.name] = fmt.Sprintf("/%d", table.Len())
			table.WriteString(f.name + "/\n")
		}
	}
	if table.Len() > 0 {
		hdr("//", table.Len())
		b.WriteString(table.String())
		if table.Len()%2 == 1 {
			b.WriteString("\n")
		}
	}
	for _, f := range files {
		n, ok := names[f.name]
		if !ok {
			n = f.name + "/"
		}
		hdr(n, len(f.body))
		b.WriteString(f.body)
		if len(f.body)%2 == 1 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// arBSD writes a BSD ar archive whose names follow "#1/<len>".
func arBSD(files []file) []byte {
	var b strings.Builder
	b.WriteString("!<arch>\n")
	for _, f := range files {
		fmt.Fprintf(&b, "%-16s%-12s%-6s%-6s%-8s%-10d`\n", fmt.Sprintf("#1/%d", len(f.name)), "0", "0", "0", "100644", len(f.name)+len(f.body))
		b.WriteString(f.name + f.body)
		if (len(f.name)+len(f.body))%2 == 1 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// cpioNewc writes a cpio archive in the new ASCII format, with a trailer.
func cpioNewc(files []file) []byte {
	var b strings.Builder
	pad := func(n int) { b.WriteString(strings.Repeat("\x00", (4-n%4)%4)) }
	entry := func(name string, mode int, body string) {
		fmt.Fprintf(&b, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name)+1, 0)
		b.WriteString(name + "\x00")
		pad(110 + len(name) + 1)
		b.WriteString(body)
		pad(len(body))
	}
	for _, f := range files {
		switch {
		case f.dir:
			entry(f.name, 0o040755, "")
		case f.link != "":
			entry(f.name, 0o120777, f.link)
		default:
			entry(f.name, 0o100644, f.body)
		}
	}
	entry("TRAILER!!!", 0, "")
	return []byte(b.String())
}

// cpioOdc writes a cpio archive in the old portable ASCII format.
func cpioOdc(files []file) []byte {
	var b strings.Builder
	entry := func(name string, mode int, body string) {
		fmt.Fprintf(&b, "070707%06o%06o%06o%06o%06o%06o%06o%011o%06o%011o", 0, 1, mode, 0, 0, 1, 0, 0, len(name)+1, len(body))
		b.WriteString(name + "\x00" + body)
	}
	for _, f := range files {
		entry(f.name, 0o100644, f.body)
	}
	entry("TRAILER!!!", 0, "")
	return []byte(b.String())
}

var members = []file{
	{name: "etc", dir: true},
	{name: "etc/acme-telecom.conf", body: "host = 192.0.2.7\n"},
	{name: "a", body: "odd"},
	{name: "../escape.txt", body: "hostile name kept byte for byte"},
	{name: "etc/current", link: "acme-telecom.conf"},
}

func fixtures() map[string][]byte {
	var regular []file
	for _, f := range members {
		if !f.dir && f.link == "" {
			regular = append(regular, f)
		}
	}
	return map[string][]byte{
		"gnu.a":      arGNU(regular),
		"bsd.a":      arBSD(regular),
		"newc.cpio":  cpioNewc(members),
		"odc.cpio":   cpioOdc(regular),
		"empty.cpio": cpioNewc(nil),
	}
}

func write(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for n, b := range fixtures() {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out[n] = p
	}
	return out
}

func TestExtract(t *testing.T) {
	for name, p := range write(t, t.TempDir()) {
		t.Run(name, func(t *testing.T) {
			in := extracttest.NewInput(t, p)
			if in.MIME != sniff.Ar && in.MIME != sniff.Cpio {
				t.Fatalf("sniffed %s", in.MIME)
			}
			r, err := extracttest.Run(t.Context(), Extractor{}, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range extracttest.Validate(r) {
				t.Error(v)
			}
			extracttest.Golden(t, filepath.Join("testdata", "golden", "TestExtract", name+".golden"), r.Summary(1024).JSON())
		})
	}
}

func TestDamaged(t *testing.T) {
	newc := cpioNewc(members)
	tests := []struct {
		name       string
		data       []byte
		mime       string
		maxEntries int
		wantLimit  bool
		wantErr    bool
	}{
		{name: "cpio cut in a body", data: newc[:200], mime: sniff.Cpio, wantErr: true},
		{name: "cpio huge name", data: []byte("070701" + strings.Repeat("0", 88) + "FFFFFFFF" + "00000000"), mime: sniff.Cpio, wantErr: true},
		{name: "ar bad size", data: []byte("!<arch>\nx/              0           0     0     100644  -5        `\n"), mime: sniff.Ar, wantErr: true},
		{name: "entries", data: newc, mime: sniff.Cpio, maxEntries: 1, wantLimit: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x")
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			in := extracttest.NewInputMIME(t, p, tt.mime)
			if tt.maxEntries > 0 {
				in.Limits.MaxEntries = tt.maxEntries
			}
			_, err := extracttest.Run(t.Context(), Extractor{}, in)
			if (err != nil) != tt.wantErr || extract.IsLimit(err) != tt.wantLimit {
				t.Errorf("err = %v, want error %v, limit %v", err, tt.wantErr, tt.wantLimit)
			}
		})
	}
}

func TestConformance(t *testing.T) {
	var paths []string
	for _, p := range write(t, t.TempDir()) {
		paths = append(paths, p)
	}
	extracttest.Check(t, Extractor{}, paths...)
}

func FuzzExtract(f *testing.F) {
	for _, b := range fixtures() {
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{sniff.Ar, sniff.Cpio} {
			in := extracttest.NewInputMIME(t, p, m)
			r := &extracttest.Recorder{MaxChildBytes: 1 << 20}
			err := extracttest.RunWith(t.Context(), Extractor{}, in, r)
			var pe *extracttest.PanicError
			if errors.As(err, &pe) {
				t.Fatal(err)
			}
			for _, c := range r.Children {
				if int64(len(c.Data)) > int64(len(b)) {
					t.Fatalf("member %q of %d bytes from %d input bytes", c.Name, len(c.Data), len(b))
				}
			}
		}
	})
}
