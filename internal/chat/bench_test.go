package chat

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"
)

// The benchmarks stream a generated dump; compare the streaming parser
// with the baseline that json-decodes the same bytes into map[string]any
// (what a naive importer does): MB/s from SetBytes, peak-heap-MB from
// runtime.MemStats sampled after the run (HeapInuse high-water mark is
// approximated by the largest of before/after samples per iteration).

const benchMessages = 200_000 // ~25 MB

func peakHeap(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	// TotalAlloc - freed is not peak; HeapSys growth bounds the peak the
	// run needed from the OS.
	return after.HeapInuse + (after.HeapSys - before.HeapSys)
}

func BenchmarkStreamJSONLines(b *testing.B) { benchStream(b, false) }
func BenchmarkStreamJSONArray(b *testing.B) { benchStream(b, true) }

func benchStream(b *testing.B, array bool) {
	data := genDump(benchMessages, array)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			n := 0
			err := StreamJSON(bytes.NewReader(data), "bench", Options{}, func(c *Conversation, m Message) error {
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

// BenchmarkBaselineDecodeAll is the baseline: decode the whole dump into
// []any / map[string]any.
func BenchmarkBaselineDecodeAll(b *testing.B) {
	data := genDump(benchMessages, true)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
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
