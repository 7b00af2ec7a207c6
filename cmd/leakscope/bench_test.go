package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// scaleCorpus writes (once, then reuses) 100,000 small files and one 2 GiB
// file: the shape the ingest issue asks to measure.
func scaleCorpus(b *testing.B) string {
	dir := os.Getenv("LEAKSCOPE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "leakscope-bench-corpus")
	}
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 100_000 {
		sub := filepath.Join(dir, "small", fmt.Sprintf("%03d", i%1000))
		if i < 1000 {
			os.MkdirAll(sub, 0o755)
		}
		body := fmt.Sprintf("record %d host 192.0.2.%d 数据 %d\n", i, i%250, r.IntN(1<<30))
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%06d.txt", i)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, "big.bin"))
	if err != nil {
		b.Fatal(err)
	}
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = byte(r.Uint32())
	}
	for i := range 2048 {
		block[0] = byte(i)
		if _, err := f.Write(block); err != nil {
			b.Fatal(err)
		}
	}
	f.Close()
	os.WriteFile(marker, nil, 0o644)
	return dir
}

// readAndHash is the baseline: walk, read and hash every file with two
// goroutines, the least any ingest must do.
func readAndHash(dir string) (files, bytes int64) {
	paths := make(chan string, 64)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			buf := make([]byte, 1<<20)
			for p := range paths {
				f, err := os.Open(p)
				if err != nil {
					continue
				}
				h := sha256.New()
				n, _ := io.CopyBuffer(h, f, buf)
				f.Close()
				mu.Lock()
				files++
				bytes += n
				mu.Unlock()
			}
		})
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != ".complete" {
			paths <- p
		}
		return nil
	})
	close(paths)
	wg.Wait()
	return files, bytes
}

// readHashCopy is the second baseline: read, hash and write each file
// into a fresh directory, one file per content, which is what any
// content-addressed store must at least do.
func readHashCopy(dir, dst string) {
	paths := make(chan string, 64)
	var wg sync.WaitGroup
	var n sync.Mutex
	i := 0
	for range 2 {
		wg.Go(func() {
			buf := make([]byte, 1<<20)
			for p := range paths {
				in, err := os.Open(p)
				if err != nil {
					continue
				}
				n.Lock()
				i++
				name := filepath.Join(dst, fmt.Sprintf("%07d", i))
				n.Unlock()
				out, err := os.Create(name)
				if err == nil {
					h := sha256.New()
					io.CopyBuffer(io.MultiWriter(out, h), in, buf)
					out.Close()
				}
				in.Close()
			}
		})
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != ".complete" {
			paths <- p
		}
		return nil
	})
	close(paths)
	wg.Wait()
}

// BenchmarkIngestScale measures ingest of 100,000 small files plus one
// 2 GiB file against the raw read-and-hash rate of the same files in the
// same run, and the ingest process's peak RSS. It takes minutes and needs
// ~6 GB of disk, so it runs only with LEAKSCOPE_BENCH_SCALE=1 (make bench-scale).
func BenchmarkIngestScale(b *testing.B) {
	if os.Getenv("LEAKSCOPE_BENCH_SCALE") == "" {
		b.Skip("set LEAKSCOPE_BENCH_SCALE=1 (make bench-scale)")
	}
	bin := binary(b)
	dir := scaleCorpus(b)
	for b.Loop() {
		t0 := time.Now()
		files, size := readAndHash(dir)
		base := time.Since(t0)

		copyDir := b.TempDir()
		t2 := time.Now()
		readHashCopy(dir, copyDir)
		copyTime := time.Since(t2)
		os.RemoveAll(copyDir)

		caseDir := b.TempDir()
		cmd := exec.Command(bin, "ingest", "-q", "--no-enrich", "--format", "json", "--case", caseDir, dir)
		t1 := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("ingest: %v\n%s", err, out)
		}
		ing := time.Since(t1)
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		mb := float64(size) / 1e6
		b.ReportMetric(float64(files)/ing.Seconds(), "files/s")
		b.ReportMetric(mb/ing.Seconds(), "MB/s")
		b.ReportMetric(float64(files)/base.Seconds(), "baseline-files/s")
		b.ReportMetric(mb/base.Seconds(), "baseline-MB/s")
		b.ReportMetric(ing.Seconds()/base.Seconds(), "x-baseline-time")
		b.ReportMetric(ing.Seconds()/copyTime.Seconds(), "x-copy-baseline-time")
		b.ReportMetric(float64(files)/copyTime.Seconds(), "copy-baseline-files/s")
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
		os.RemoveAll(caseDir)
	}
}
