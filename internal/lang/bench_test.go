package lang

import (
	"runtime"
	"strings"
	"testing"
)

var benchText = strings.Repeat("2021年6月3日 张三: 印度移民局的内网已经拿下，拖库186万条数据，共95.2G，今晚回传。\n"+
	"The client asked for the full database of the ministry before Friday.\n", 200)

func BenchmarkDetect(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Detect(benchText)
	}
}

func BenchmarkSegments(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Segments(benchText)
	}
}

// BenchmarkFold is the baseline of BenchmarkCut: one pass over the text.
func BenchmarkFold(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Fold(benchText)
	}
}

func BenchmarkCut(b *testing.B) {
	if _, err := Load(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Cut(benchText)
	}
}

// BenchmarkLoadDictionary measures building the segmenter from the embedded
// dictionary: time per load and heap it keeps (MB live after GC).
func BenchmarkLoadDictionary(b *testing.B) {
	var keep any
	var heap float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, _, err := loadSegmenter()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
		keep = s
	}
	runtime.KeepAlive(keep)
	b.ReportMetric(heap, "MB-heap")
}
