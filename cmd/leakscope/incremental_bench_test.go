package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mixedCorpus writes n small files of the shapes a leak is made of, from
// made-up vocabulary with a fixed seed: Chinese notes naming organisations
// with volumes and dates, English notes, target tables as CSV, chat logs
// as Markdown and chat exports as JSON lines. It returns the total size.
func mixedCorpus(tb testing.TB, dir string, n int) int64 {
	tb.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	countries := []string{"越南", "秘鲁", "蒙古", "埃及", "肯尼亚", "智利", "老挝", "尼泊尔"}
	bodies := []string{"外交部", "财政部", "国家电力公司", "海关总署", "电信公司", "大学", "航运公司", "警察总部"}
	names := []string{"北港", "明湖", "青川", "南岭", "远山", "白塔", "金沙", "长河"}
	people := []string{"陈默", "林晓", "周航", "吴桐", "赵岩", "孙悦"}
	words := []string{"数据", "已经", "打包", "明天", "发过来", "权限", "还在", "跟进", "服务器", "邮箱", "整理", "目标"}
	en := []string{"the", "report", "server", "mailbox", "ministry", "access", "was", "exported", "records", "tomorrow", "files", "team"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var total int64
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i%97))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		var b strings.Builder
		var name string
		switch i % 10 {
		case 0, 1, 2, 3: // Chinese note
			name = fmt.Sprintf("note-%05d.txt", i)
			for range 3 + r.IntN(20) {
				fmt.Fprintf(&b, "%s%s%s的%s%s，%d.%dG，2021年%d月%d日。\n", pick(countries), pick(names), pick(bodies),
					pick(words), pick(words), r.IntN(90)+1, r.IntN(10), r.IntN(12)+1, r.IntN(28)+1)
			}
		case 4, 5: // English note
			name = fmt.Sprintf("memo-%05d.txt", i)
			for range 5 + r.IntN(30) {
				for range 12 {
					b.WriteString(pick(en) + " ")
				}
				b.WriteString(".\n")
			}
		case 6: // target table
			name = fmt.Sprintf("list-%05d.csv", i)
			b.WriteString("序号,目标单位,国家,数据量,时间\n")
			for k := range 5 + r.IntN(10) {
				fmt.Fprintf(&b, "%d,%s%s,%s,%d.%dG,2021-%02d-%02d\n", k+1, pick(names), pick(bodies), pick(countries),
					r.IntN(90)+1, r.IntN(10), r.IntN(12)+1, r.IntN(28)+1)
			}
		case 7, 8: // chat log
			name = fmt.Sprintf("chat-%05d.md", i)
			for k := range 5 + r.IntN(30) {
				fmt.Fprintf(&b, "**%s** 2021-%02d-%02d %02d:%02d\n%s%s%s\n\n", pick(people), r.IntN(12)+1, r.IntN(28)+1,
					9+k%10, r.IntN(60), pick(words), pick(words), pick(words))
			}
		default: // chat export, JSON lines
			name = fmt.Sprintf("export-%05d.jsonl", i)
			for k := range 5 + r.IntN(30) {
				fmt.Fprintf(&b, `{"time":"2021-%02d-%02dT%02d:%02d:00+08:00","from":"%s","text":"%s%s"}`+"\n",
					r.IntN(12)+1, r.IntN(28)+1, 9+k%10, r.IntN(60), pick(people), pick(words), pick(words))
			}
		}
		if err := os.WriteFile(filepath.Join(sub, name), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(b.Len())
	}
	return total
}

// measured runs a command and returns its wall time, CPU time (user +
// system, children included) and peak RSS.
func measured(tb testing.TB, name string, args ...string) (wall, cpu time.Duration, rssMiB float64) {
	tb.Helper()
	cmd := exec.Command(name, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall = time.Since(start)
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, float64(ru.Maxrss) / 1024
}

// BenchmarkIncremental builds a case of N mixed documents
// (LEAKSCOPE_BENCH_INCREMENTAL=N, e.g. 20000) and measures, in the same
// run: the full ingest (wall, CPU, peak RSS) against recollindex on the
// same files when it is installed (Debian package recollcmd), then adding
// one 45-byte file end to end (extraction, stages, analyses), and the
// readers `targets` and `chats` on the grown case. LEAKSCOPE_BENCH_WORK=DIR
// keeps the corpus and the case in DIR.
func BenchmarkIncremental(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("LEAKSCOPE_BENCH_INCREMENTAL"))
	if n <= 0 {
		b.Skip("set LEAKSCOPE_BENCH_INCREMENTAL=N (documents in the case, e.g. 20000)")
	}
	bin := binary(b)
	// LEAKSCOPE_BENCH_WORK keeps the corpus and the case for a look
	// afterwards (a profile of the add, say).
	work := os.Getenv("LEAKSCOPE_BENCH_WORK")
	if work == "" {
		work = b.TempDir()
	}
	leakDir := filepath.Join(work, "leak")
	size := mixedCorpus(b, leakDir, n)
	for b.Loop() {
		caseDir := filepath.Join(work, "case")
		os.RemoveAll(caseDir)
		wall, cpu, rss := measured(b, bin, "ingest", "-q", "--format", "json", "--case", caseDir, leakDir)
		b.ReportMetric(float64(n), "docs")
		b.ReportMetric(float64(size)/1e6, "corpus-MB")
		b.ReportMetric(wall.Seconds(), "ingest-wall-s")
		b.ReportMetric(cpu.Seconds(), "ingest-cpu-s")
		b.ReportMetric(rss, "ingest-peak-RSS-MiB")
		if recoll, err := exec.LookPath("recollindex"); err == nil {
			conf := filepath.Join(work, "recoll")
			os.RemoveAll(conf)
			os.MkdirAll(conf, 0o755)
			os.WriteFile(filepath.Join(conf, "recoll.conf"), []byte("topdirs = "+leakDir+"\n"), 0o644)
			_, rcpu, rrss := measured(b, recoll, "-c", conf, "-z")
			b.ReportMetric(rcpu.Seconds(), "recoll-cpu-s")
			b.ReportMetric(rrss, "recoll-peak-RSS-MiB")
			b.ReportMetric(cpu.Seconds()/rcpu.Seconds(), "x-recoll-cpu")
		}
		add := filepath.Join(work, fmt.Sprintf("add-%d", time.Now().UnixNano()))
		os.MkdirAll(add, 0o755)
		os.WriteFile(filepath.Join(add, "new.txt"), []byte("北港航运公司邮箱数据已打包 3.2G\n"), 0o644)
		addWall, _, _ := measured(b, bin, "ingest", "-q", "--format", "json", "--case", caseDir, add)
		b.ReportMetric(addWall.Seconds(), "add-1-file-s")
		tWall, _, _ := measured(b, bin, "targets", "--format", "json", "--case", caseDir)
		b.ReportMetric(tWall.Seconds(), "targets-s")
		cWall, _, _ := measured(b, bin, "chats", "--format", "json", "--case", caseDir)
		b.ReportMetric(cWall.Seconds(), "chats-s")
	}
}
