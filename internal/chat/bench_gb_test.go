package chat

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkReadJSONLinesGB reads a generated 1 GiB JSON-lines dump (one
// line in 10,000 cut short) with ReadJSON, tallying messages per sender
// as the chats stage's first pass would, and reports MB/s and the
// process's peak resident set (peak-rss-MB, Linux VmHWM, reset before the
// run so that generating the file does not count). The promise is a peak
// under 300 MB whatever the file's size.
//
//	go test ./internal/chat -run X -bench ReadJSONLinesGB -benchtime 1x
func BenchmarkReadJSONLinesGB(b *testing.B) {
	if testing.Short() {
		b.Skip("writes a 1 GiB file")
	}
	const size = 1 << 30
	path := filepath.Join(b.TempDir(), "dump.jsonl")
	lines, broken := writeLinesDump(b, path, size)
	b.SetBytes(size)
	b.ReportAllocs()
	resetPeakRSS()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		per := map[string]int{}
		st, err := ReadJSON(bufio.NewReaderSize(f, 1<<20), "dump.jsonl", Options{}, func(c *Conversation, m Message) error {
			per[m.Sender]++
			return nil
		})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if st.Messages != lines-broken || st.Skipped != broken {
			b.Fatalf("messages %d skipped %d, want %d and %d", st.Messages, st.Skipped, lines-broken, broken)
		}
	}
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}

// writeLinesDump writes JSON lines until size bytes, every 10,000th line
// cut short, and returns the lines and the broken ones.
func writeLinesDump(b *testing.B, path string, size int64) (lines, broken int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	senders := []string{"kestrel", "heron", "osprey", "Wren Acme", "蓝鲸", "сокол"}
	var n int64
	var line []byte
	for n < size {
		line = line[:0]
		line = append(line, `{"ts": `...)
		line = strconv.AppendInt(line, 1600000000+int64(lines), 10)
		line = append(line, `, "from": "`...)
		line = append(line, senders[lines%len(senders)]...)
		line = append(line, `", "room": "ops-`...)
		line = strconv.AppendInt(line, int64(lines%7), 10)
		line = append(line, `", "body": "shipment `...)
		line = strconv.AppendInt(line, int64(lines), 10)
		line = append(line, ` for Nordhavn is ready, грузим завтра, 明天发货"}`...)
		if lines%10000 == 9999 {
			line = line[:len(line)/2]
			broken++
		}
		line = append(line, '\n')
		if int64(len(line)) > size-n {
			line = append(bytes.Repeat([]byte(" "), int(size-n-1)), '\n')
			lines-- // padding, not a record
		}
		w.Write(line)
		n += int64(len(line))
		lines++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return lines, broken
}

// resetPeakRSS resets the kernel's high-water mark of the resident set
// (Linux: writing 5 to clear_refs); elsewhere it does nothing.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM from /proc/self/status.
func peakRSS() (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		var kb int64
		if _, err := fmt.Sscanf(string(l), "VmHWM: %d kB", &kb); err == nil {
			return kb << 10, true
		}
	}
	return 0, false
}
