package ingest_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkHostileRSS ingests a generated hostile corpus with the
// leakscope binary under /usr/bin/time -v, default workers, and reports
// the peak resident set of the ingest and of its largest child tool
// (GNU time reports the maximum over the process and the children it
// waited for). The goal is under 1 GB. It builds the binary and writes
// ~250 MB, so it runs only with LEAKSCOPE_BENCH_HOSTILE=1 (make
// bench-hostile). LEAKSCOPE_BENCH_ENRICH=0 measures extraction alone;
// LEAKSCOPE_BENCH_BIN names a binary to measure instead of this tree's.
func BenchmarkHostileRSS(b *testing.B) {
	if os.Getenv("LEAKSCOPE_BENCH_HOSTILE") == "" {
		b.Skip("set LEAKSCOPE_BENCH_HOSTILE=1 (make bench-hostile)")
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		b.Skip("/usr/bin/time missing: scripts/setup.sh installs the Debian package time")
	}
	// LEAKSCOPE_BENCH_BIN measures another build (an older commit) on the
	// same corpus, for a before/after ratio.
	bin := os.Getenv("LEAKSCOPE_BENCH_BIN")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "leakscope")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/leakscope/leakscope/cmd/leakscope").CombinedOutput(); err != nil {
			b.Fatalf("build: %v\n%s", err, out)
		}
	}
	src := hostileCorpus(b)
	args := []string{"-v", bin, "-q", "--format", "json", "ingest"}
	if os.Getenv("LEAKSCOPE_BENCH_ENRICH") == "0" {
		args = append(args, "--no-enrich")
	}
	for b.Loop() {
		caseDir := filepath.Join(b.TempDir(), "case")
		cmd := exec.Command("/usr/bin/time", append(args[:2:2], append([]string{"--case", caseDir}, append(args[2:], src)...)...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("ingest: %v\n%s\n%s", err, out, stderr.Bytes())
		}
		kb, err := maxRSS(stderr.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
		var sum bytes.Buffer
		if json.Compact(&sum, out) != nil {
			sum.Write(out)
		}
		b.Logf("summary %s", sum.Bytes())
		if kb > 1<<20 {
			b.Logf("peak RSS %d MiB is over the 1 GiB goal", kb>>10)
		}
		os.RemoveAll(caseDir)
	}
}

var maxRSSLine = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

// maxRSS reads GNU time's peak resident set, in KiB.
func maxRSS(timeOut []byte) (int64, error) {
	m := maxRSSLine.FindSubmatch(timeOut)
	if m == nil {
		return 0, fmt.Errorf("no peak RSS in /usr/bin/time output:\n%s", timeOut)
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}

// hostileCorpus writes the inputs that once drove leakscope's memory up:
// a PNG whose few hundred kilobytes declare 7000 x 7000 16-bit RGBA, a
// header-only PNG of 60000 x 60000, a PDF whose page is 200 inches
// square, a 200 MB text of one line, a zip bomb (1 GiB of zeros in one
// member) and a zip nested 40 deep.
//
// LEAKSCOPE_BENCH_DIR keeps the corpus in that directory, to ingest it by
// hand (with a profiler, or another build).
func hostileCorpus(b *testing.B) string {
	dir := os.Getenv("LEAKSCOPE_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var img bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&img, image.NewNRGBA64(image.Rect(0, 0, 7000, 7000))); err != nil {
		b.Fatal(err)
	}
	write("huge-dimensions.png", img.Bytes())
	write("header-bomb.png", pngHeader(60000, 60000))
	write("huge-mediabox.pdf", hugePagePDF(14400))

	f, err := os.Create(filepath.Join(dir, "one-line.txt"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	word := []byte(strings.Repeat("Nordhavn Shipping 10.0.0.1 ", 40))
	for n := 0; n < 200<<20; n += len(word) {
		w.Write(word)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	m, _ := zw.Create("zeros.bin")
	zero := make([]byte, 1<<20)
	for range 1024 {
		m.Write(zero)
	}
	zw.Close()
	write("bomb.zip", bomb.Bytes())

	inner := []byte("Acme Telecom core router 192.0.2.1\n")
	name := "leaf.txt"
	for i := range 40 {
		var z bytes.Buffer
		zw := zip.NewWriter(&z)
		m, _ := zw.Create(name)
		m.Write(inner)
		zw.Close()
		inner, name = z.Bytes(), fmt.Sprintf("level%02d.zip", i)
	}
	write("nested.zip", inner)
	return dir
}

// pngHeader is a PNG signature and an 8-bit gray IHDR of w x h with no
// pixel data.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 0, 0, 0, 0}
	b.Write([]byte{0, 0, 0, 13})
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	c := crc32.ChecksumIEEE(chunk)
	b.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	return b.Bytes()
}

// hugePagePDF is a one-page PDF without text whose page is side points
// square: a few hundred bytes.
func hugePagePDF(side int) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>", side, side),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
