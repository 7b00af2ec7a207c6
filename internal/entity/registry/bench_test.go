package registry

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/leakscope/leakscope/internal/entity"
)

// notes generates about size bytes of the mixed material an ingest sees:
// Chinese notes with organisations, volumes, money and dates, English
// notes with indicators, CSV target tables and chat logs. All names and
// indicators are invented or from documentation ranges.
func notes(seed uint64, size int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b9))
	orgs := []string{"印度财政部", "阿克米电信公司", "北约", "诺德港航运", "Acme Telecom", "Nordhavn Shipping Ltd", "外交部", "反恐中心"}
	zh := []string{
		"%d年%d月%d日，%s的数据库已经拿下，累计%d.%dG，约%d万条记录，报价%d万元。\n",
		"会议纪要：%d年%d月讨论%s项目，大家注意休息，周末轮流值班，有问题随时沟通，预算￥%d,000。\n",
		"今天开会讨论下个月的安排，%s那边的邮箱还在整理，明天再说，先把报告写完，记得备份%d个G。\n",
		"联系人：王小明，电话 138 %04d %04d，%d-%02d-%02d 前交付 %s 的资料。\n",
	}
	en := []string{
		"On %d May %d the operator reported access to %s; see hxxp://update%d.example[.]net/v2 and 198.51.100.%d.\n",
		"The team met the partner from %s and nothing happened today, %d.%dTB were copied before %d/%d/%d.\n",
		"md5 3a9115d13d35471a67cd097739b8985f, CVE-2021-%05d, mail ops%d@acme.example, +1 202-555-01%02d, $%d,200 paid.\n",
	}
	var b bytes.Buffer
	for b.Len() < size {
		o := orgs[rng.IntN(len(orgs))]
		y, m, d := 2015+rng.IntN(10), 1+rng.IntN(12), 1+rng.IntN(28)
		switch rng.IntN(6) {
		case 0:
			fmt.Fprintf(&b, zh[0], y, m, d, o, rng.IntN(100), rng.IntN(10), rng.IntN(900), rng.IntN(50))
		case 1:
			fmt.Fprintf(&b, zh[1], y, m, o, rng.IntN(900))
			fmt.Fprintf(&b, zh[2], o, rng.IntN(10))
		case 2:
			fmt.Fprintf(&b, zh[3], rng.IntN(10000), rng.IntN(10000), y, m, d, o)
		case 3:
			fmt.Fprintf(&b, en[0], d, y, o, rng.IntN(9), rng.IntN(255))
			fmt.Fprintf(&b, en[1], o, rng.IntN(10), rng.IntN(10), m, d, y)
		case 4:
			fmt.Fprintf(&b, en[2], rng.IntN(99999), rng.IntN(99), rng.IntN(100), rng.IntN(99))
		default:
			fmt.Fprintf(&b, "id,name,ip,size,date\n%d,%s,203.0.113.%d,%dM,%d-%02d-%02d\n", rng.IntN(999), o, rng.IntN(255), rng.IntN(900), y, m, d)
			fmt.Fprintf(&b, "[%d-%02d-%02d %02d:%02d:%02d] 张伟: 收到，%s那边%d号之前给结果\n", y, m, d, rng.IntN(24), rng.IntN(60), rng.IntN(60), o, d)
		}
	}
	return b.Bytes()
}

// BenchmarkScanNotes measures Scan on generated mixed notes (all
// detectors, and all but org and geo) next to its floor, one bytes.Index
// pass over the same text, in the same run: compare the MB/s figures (per
// core, the benchmark is single-threaded).
func BenchmarkScanNotes(b *testing.B) {
	text := notes(1, 1<<20)
	for _, c := range []struct {
		name string
		s    *entity.Scanner
	}{{"scan", Scanner()}, {"owned", owned()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				c.s.Scan(text)
			}
		})
	}
	b.Run("index", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		n := 0
		for b.Loop() {
			n += bytes.Count(text, []byte("财政部"))
		}
		_ = n
	})
}
