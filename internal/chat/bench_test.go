package chat

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// The benchmarks read a generated dump of about 100 MB from a file;
// compare the streaming parser with the baseline that reads the same
// array whole and json.Unmarshals it into []map[string]any (what a naive
// importer does): MB/s from SetBytes, and peak-heap-MB, the largest heap
// in use during the run beyond what was in use before it.
//
//	go test ./internal/chat -run X -bench 'Stream|Baseline' -benchtime 3x

const benchMessages = 600_000 // ~100 MB

// peakHeap runs f and returns the largest HeapInuse seen during it (sampled
// every 2 ms) minus HeapInuse before it.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	f()
	runtime.ReadMemStats(&ms)
	close(stop)
	<-done
	p := max(peak.Load(), ms.HeapInuse)
	if p < base {
		return 0
	}
	return p - base
}

func BenchmarkStreamJSONLines(b *testing.B) { benchStream(b, false) }
func BenchmarkStreamJSONArray(b *testing.B) { benchStream(b, true) }

// dumpFile writes a generated dump into a temporary file.
func dumpFile(b *testing.B, array bool) (string, int64) {
	data := genDump(benchMessages, array)
	path := filepath.Join(b.TempDir(), "dump.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return path, int64(len(data))
}

func benchStream(b *testing.B, array bool) {
	path, size := dumpFile(b, array)
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			n := 0
			err = StreamJSON(f, "bench", Options{}, func(c *Conversation, m Message) error {
				n++
				return nil
			})
			if err != nil || n != benchMessages {
				b.Fatalf("n=%d err=%v", n, err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkBaselineDecodeAll is the baseline: read the whole array dump
// and decode it into []map[string]any.
func BenchmarkBaselineDecodeAll(b *testing.B) {
	path, size := dumpFile(b, true)
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			var v []map[string]any
			if err := json.Unmarshal(data, &v); err != nil || len(v) != benchMessages {
				b.Fatal(err)
			}
			runtime.KeepAlive(v)
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func BenchmarkParseText(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; i < 100_000; i++ {
		buf.WriteString("2021-06-03 14:22:10 张三: 印度那边的数据今天晚上开始打包回传\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseText("bench", data, Options{}); !ok {
			b.Fatal("not parsed")
		}
	}
}
