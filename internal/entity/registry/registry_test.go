package registry

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

func TestRegistry(t *testing.T) {
	emitted := map[leak.Kind]bool{}
	for _, d := range Detectors() {
		for _, k := range d.Kinds() {
			if !slices.Contains(leak.Kinds, k) {
				t.Errorf("%T declares unknown kind %q", d, k)
			}
			emitted[k] = true
		}
		for _, kw := range d.Keywords() {
			if kw != strings.ToLower(kw) {
				t.Errorf("%T keyword %q is not lower case", d, kw)
			}
		}
	}
	for _, k := range leak.Kinds {
		if !emitted[k] {
			t.Errorf("no detector emits %q", k)
		}
	}
}

const sample = "2021-06-03 10:19:35 邵磊: 印度财政部的邮件服务器已经拿到权限，走 203.0.113.77 中转，累计1.3G，" +
	"md5 3a9115d13d35471a67cd097739b8985f ，CVE-2021-26855，联系 kewb@jinfan-tech.example.com，+1 202-555-0147，报价5万元。\n"

func TestScan(t *testing.T) {
	var got []string
	for _, m := range Scan([]byte(sample)) {
		got = append(got, fmt.Sprintf("%s %s", m.Kind, m.Norm))
	}
	want := []string{
		"date 2021-06-03", "person 邵磊", "country IN", "org IN|Ministry of Finance|Ministry of Finance",
		"ipv4 203.0.113.77", "volume bytes:1395864371", "md5 3a9115d13d35471a67cd097739b8985f", "cve CVE-2021-26855",
		"email kewb@jinfan-tech.example.com", "domain jinfan-tech.example.com", "phone +12025550147", "money CNY:50000",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestChunks checks that chunked scanning finds the same matches as one
// pass, at every chunk size, including matches across chunk boundaries.
func TestChunks(t *testing.T) {
	text := []byte(strings.Repeat(sample, 5))
	want := Scan(text)
	if len(want) == 0 {
		t.Fatal("no matches in sample")
	}
	for _, size := range []int{64, 100, 333, 1000} {
		got := Scanner().WithChunk(size, 512).Scan(text)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chunk %d (-want +got)\n%s", size, diff)
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add(sample)
	f.Add("hxxp://a.example[.]com 印方 5.49G 2021年5月")
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		for _, sc := range []*entity.Scanner{Scanner(), Scanner().WithChunk(7, 16)} {
			for _, m := range sc.Scan(text) {
				if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
					t.Fatalf("bad offsets %+v", m)
				}
				if m.Value != string(text[m.Start:m.End]) {
					t.Fatalf("value %q is not text[%d:%d]", m.Value, m.Start, m.End)
				}
				if utf8.ValidString(s) && (!utf8.ValidString(m.Value) || !utf8.ValidString(m.Norm)) {
					t.Fatalf("invalid utf-8 %+v", m)
				}
			}
		}
	})
}

// mixed is about 1 MiB of Chinese chat and English report text with
// indicators sprinkled in.
func mixed() []byte {
	var b bytes.Buffer
	en := "The operator reported access to the mail server; see hxxp://update.example[.]net/v2 and 198.51.100.23 for details. Version 1.2.3.4 was patched.\n"
	zh := "2021-06-04 16:44:17 邵磊: 就是 President's Interior Ministry，印度总统内政部，下面好几个办公室的文件服务器，估计5个G左右\n"
	plain := "今天开会讨论下个月的安排，大家注意休息，周末轮流值班，有问题随时沟通。The weather is fine and nothing happened today.\n"
	for b.Len() < 1<<20 {
		b.WriteString(plain)
		b.WriteString(zh)
		b.WriteString(plain)
		b.WriteString(en)
	}
	return b.Bytes()
}

func BenchmarkScan(b *testing.B) {
	text := mixed()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text)
	}
}

// BenchmarkBaselineIndex is the floor Scan is compared with: one
// bytes.Index pass over the same text.
func BenchmarkBaselineIndex(b *testing.B) {
	text := mixed()
	b.SetBytes(int64(len(text)))
	n := 0
	for b.Loop() {
		for rest := text; ; {
			i := bytes.Index(rest, []byte("财政部"))
			if i < 0 {
				break
			}
			n++
			rest = rest[i+1:]
		}
	}
	_ = n
}

func BenchmarkDetectors(b *testing.B) {
	text := mixed()
	for _, d := range Detectors() {
		b.Run(fmt.Sprintf("%T", d), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				d.Detect(text, func(entity.Match) {})
			}
		})
	}
}

// plain hides a detector's optional interfaces, so that the scanner runs
// it over whole chunks.
type plain struct{ entity.Detector }

// TestDigitWindows checks that scanning digit-anchored detectors only
// around digits finds exactly what scanning whole texts finds.
func TestDigitWindows(t *testing.T) {
	var ds []entity.Detector
	for _, d := range Detectors() {
		ds = append(ds, plain{d})
	}
	whole := entity.NewScanner(ds...)
	texts := []struct{ name, text string }{
		{"mixed", string(mixed()[:8192])},
		{"edges", "5G网络 1.2 million records,2021年5月3日 ¥260,000元 +1 (202) 555-0147 v1.2.3 abc123def 2021-06-03 14:22:10 张三: 5.49G"},
		{"no digits", "今天开会讨论下个月的安排 nothing happened"},
		{"long token", strings.Repeat("x", 700) + "12G" + strings.Repeat("y", 700) + " 3TB"},
	}
	for _, tt := range texts {
		t.Run(tt.name, func(t *testing.T) {
			want := whole.Scan([]byte(tt.text))
			got := Scan([]byte(tt.text))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-whole +windowed)\n%s", diff)
			}
		})
	}
}

// prose is chat-like text where one line in eight carries a figure.
func prose() []byte {
	var b bytes.Buffer
	lines := []string{
		"今天开会讨论下个月的安排，大家注意休息，周末轮流值班，有问题随时沟通。\n",
		"The weather is fine and nothing happened today, the team met the partner.\n",
		"那边的邮箱还在整理，明天再说，先把报告写完，记得备份。\n",
	}
	for i := 0; b.Len() < 1<<20; i++ {
		if i%8 == 7 {
			b.WriteString("2021-06-04 16:44:17 邵磊: 印度总统内政部的文件服务器，估计5个G左右，单价26万元\n")
			continue
		}
		b.WriteString(lines[i%len(lines)])
	}
	return b.Bytes()
}

// BenchmarkScanProse compares the scanner with digit windows (windowed)
// with the same detectors run over whole chunks (whole) on prose, and
// times the detectors but org and geo (owned).
func BenchmarkScanProse(b *testing.B) {
	text := prose()
	var ds []entity.Detector
	for _, d := range Detectors() {
		ds = append(ds, plain{d})
	}
	for _, c := range []struct {
		name string
		s    *entity.Scanner
	}{{"windowed", Scanner()}, {"whole", entity.NewScanner(ds...)}, {"owned", owned()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				c.s.Scan(text)
			}
		})
	}
}
