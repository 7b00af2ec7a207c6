package archive

import (
	"archive/tar"
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// fuzzExtract runs e over data and checks the properties every input must
// keep: no panic, bounded output, well-formed children.
func fuzzExtract(t *testing.T, e extract.Extractor, mime string, data []byte) {
	p := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	in := extracttest.NewInputMIME(t, p, mime)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := &extracttest.Recorder{MaxChildBytes: 1 << 20, MaxChildren: 1000}
	err := extracttest.RunWith(ctx, e, in, r)
	var pe *extracttest.PanicError
	if errors.As(err, &pe) {
		t.Fatal(err)
	}
	if r.Refused > 0 {
		t.Fatalf("Child called %d times after a limit error", r.Refused)
	}
	for _, c := range r.Children {
		if c.Name == "" {
			t.Fatal("child without a name")
		}
		if c.Link != "" && c.Data != nil {
			t.Fatalf("child %q has a link and a body", c.Name)
		}
	}
}

func FuzzZip(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "a.txt", body: "alpha", method: zip.Deflate}, zipEntry{name: "../b", body: "b"}))
	f.Add(makeZip(f, zipEntry{name: "l", body: "/etc", mode: 0o777 | os.ModeSymlink}))
	full := makeZip(f, zipEntry{name: "a.txt", body: noise(300), method: zip.Deflate}, zipEntry{name: "b.txt", body: "b"})
	f.Add(full[:len(full)/2])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, Zip{}, sniff.Zip, data) })
}

func FuzzTar(f *testing.F) {
	f.Add(makeTar(f, tarEntry{name: "a", body: "x"}, tarEntry{name: "l", typ: tar.TypeSymlink, link: "/tmp"}))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, Tar{}, sniff.Tar, data) })
}

func FuzzCompressed(f *testing.F) {
	tr := makeTar(f, tarEntry{name: "a", body: "x"})
	f.Add(gz(f, "", tr), uint8(0))
	f.Add(gz(f, "n.txt", []byte("hello")), uint8(0))
	f.Add(xzb(f, tr), uint8(2))
	f.Add([]byte("BZh91AY&SY"), uint8(1))
	mimes := []string{sniff.Gzip, sniff.Bzip2, sniff.XZ}
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzExtract(t, Compressed{}, mimes[int(kind)%len(mimes)], data)
	})
}

func FuzzSevenZip(f *testing.F) {
	for _, n := range []string{"sample.7z", "encrypted.7z"} {
		if b, err := os.ReadFile(filepath.Join("testdata", n)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, SevenZip{}, sniff.SevenZip, data) })
}

func FuzzRAR(f *testing.F) {
	f.Add([]byte("Rar!\x1a\x07\x01\x00"))
	f.Add([]byte("Rar!\x1a\x07\x00\xcf\x90\x73\x00\x00\x0d\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzExtract(t, RAR{}, sniff.RAR, data) })
}
