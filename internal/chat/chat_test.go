package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	lsgolden "github.com/leakscope/leakscope/internal/golden"
)

// render is the readable golden form of parsed conversations.
func render(convs []Conversation) string {
	var b strings.Builder
	for _, c := range convs {
		fmt.Fprintf(&b, "conversation shape=%s title=%q group=%v owner=%q participants=%q\n",
			c.Shape, c.Title, c.Group, c.Owner, c.Participants)
		for _, m := range c.Messages {
			fmt.Fprintf(&b, "  %s\n", m)
			if m.SenderID != "" {
				fmt.Fprintf(&b, "    sender_id=%q\n", m.SenderID)
			}
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	lsgolden.Check(t, filepath.Join("testdata", "golden", t.Name(), name+".golden"), []byte(got))
}

func fixtures(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures match %s", pattern)
	}
	return files
}

func TestParseGolden(t *testing.T) {
	var files []string
	for _, p := range []string{"*.md", "*.txt", "*.json", "*.jsonl"} {
		files = append(files, fixtures(t, p)...)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			convs, ok := Parse(name, data, Options{})
			if !ok {
				t.Fatalf("%s not recognised as a chat", name)
			}
			checkGolden(t, "out", render(convs))
		})
	}
}

func TestScreenshotGolden(t *testing.T) {
	for _, f := range fixtures(t, "*.tsv") {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c, ok, err := ParseScreenshot(Screenshot{Source: name, TSV: data, Width: 1080, Height: 1600}, Options{})
			if err != nil || !ok {
				t.Fatalf("not a chat screenshot: ok=%v err=%v", ok, err)
			}
			checkGolden(t, "out", render([]Conversation{c}))
		})
	}
}

func TestNotChat(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"prose", "这是一份普通的工作笔记。\n今天开会讨论了预算。\n明天继续。\n"},
		{"program log", "2021-06-03 14:22:10 INFO main: started\n2021-06-03 14:22:11 INFO main: listening\n2021-06-03 14:22:12 ERROR db: timeout\n"},
		{"empty", ""},
		{"windows dir listing", " Volume in drive E is ARCHIVE\n\n Directory of E:\\share\\2019\n\n" +
			"2019/03/02  11:40    <DIR>          .\n2019/03/02  11:40    <DIR>          ..\n" +
			"2019/01/17  08:12        12,884,901 Quarterly_Report_Q4.pdf\n2019/02/21  17:03           734,002 budget draft.xlsx\n" +
			"2019/02/27  09:55     2,147,483,648 backup_full.bak\n2019/03/01  23:59            18,344 notes.txt\n" +
			"               4 File(s)  2,160,652,895 bytes\n"},
		{"windows dir listing dashes", "03-02-2019  11:40 AM    <DIR>          Projects\n03-02-2019  11:41 AM    <DIR>          Scans\n" +
			"01-17-2019  08:12 AM        12,884,901 report.pdf\n02-21-2019  05:03 PM           734,002 Plan.docx\n"},
		{"ls long iso", "2021-01-08 00:09 4096 docs\n2021-01-08 00:10 88123 report.pdf\n2021-01-09 13:00 12 a.txt\n2021-01-09 13:05 5120 b.log\n"},
		{"tab separated table", "2021-01-08 00:09:01\talice\tlogin\tok\n2021-01-08 00:09:05\tbob\tlogin\tfail\n2021-01-08 00:10:00\talice\tlogout\tok\n"},
		{"access log", "2021-01-08 00:09:01 192.0.2.1 GET /index.html 200\n2021-01-08 00:09:02 192.0.2.1 GET /a.css 200\n2021-01-08 00:09:03 192.0.2.7 POST /login 302\n"},
		{"bracketed levels", "[2021-01-08 00:09:01] WARN: disk low\n[2021-01-08 00:09:05] ERROR: disk full\n[2021-01-08 00:10:00] INFO: cleanup\n"},
		{"csv with timestamps", "time,user,action\n2021-01-08 00:09:01,alice,login\n2021-01-08 00:09:05,bob,login\n2021-01-08 00:10:00,alice,logout\n"},
		{"syslog", "Jan  8 00:09:01 gw sshd[812]: Accepted publickey for root\nJan  8 00:09:05 gw sshd[812]: session opened\nJan  8 00:10:00 gw CRON[900]: (root) CMD (run-parts)\n"},
		{"one sender per line", "2021-01-08 00:09 Alpha: x\n2021-01-08 00:10 Bravo: x\n2021-01-08 00:11 Charlie: x\n2021-01-08 00:12 Delta: x\n" +
			"2021-01-08 00:13 Echo: x\n2021-01-08 00:14 Foxtrot: x\n2021-01-08 00:15 Golf: x\n2021-01-08 00:16 Hotel: x\n2021-01-08 00:17 India: x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if convs, ok := Parse(tt.name, []byte(tt.text), Options{}); ok {
				t.Errorf("parsed as chat: %s", render(convs))
			}
		})
	}
}

// TestStillChat guards the log and listing filters against rejecting real
// chats whose senders look unusual.
func TestStillChat(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // participants
	}{
		{"email senders", "2021-06-03 14:22:10 a.li@example.com: 好\n2021-06-03 14:22:30 b.wang@example.com: 收到\n2021-06-03 14:23:00 a.li@example.com: ok\n",
			[]string{"a.li@example.com", "b.wang@example.com"}},
		{"digit nickname", "2021-06-03 14:22:10 007: 在吗\n2021-06-03 14:22:30 老王: 在\n2021-06-03 14:23:00 007: 文件发你了\n",
			[]string{"007", "老王"}},
		{"qq id senders", "2021-06-03 14:22:10 磊子(10001)\n在吗\n\n2021-06-03 14:22:30 kwb(10002)\n在\n",
			[]string{"磊子", "kwb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, ok := Parse(tt.name, []byte(tt.text), Options{})
			if !ok {
				t.Fatal("not recognised as a chat")
			}
			if d := cmp.Diff(tt.want, convs[0].Participants); d != "" {
				t.Errorf("participants (-want +got):\n%s", d)
			}
		})
	}
}

func TestPlausibleSender(t *testing.T) {
	tests := []struct {
		name, sender string
		want         bool
	}{
		{"chinese name", "张三", true},
		{"nick with dash", "潘悦-行政", true},
		{"latin name", "Maria de la Cruz", true},
		{"email", "x.y@example.com", true},
		{"digits alone", "007", true},
		{"dir tag", "<DIR>          .", false},
		{"size and file", "486,324,515 Report_2021.pdf", false},
		{"size alone", "1,024", false},
		{"count then word", "4096 docs", false},
		{"file name", "budget.xlsx", false},
		{"dot", ".", false},
		{"tabs", "alice\tlogin", false},
		{"log level", "ERROR db", false},
		{"path", "GET /index.html", false},
		{"many fields", "a b c d e f", false},
		{"syslog date", "Jan  8", false},
		{"ctime date", "Mon Jan 18 2021", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plausibleSender(tt.sender); got != tt.want {
				t.Errorf("plausibleSender(%q) = %v, want %v", tt.sender, got, tt.want)
			}
		})
	}
}

func TestZoneOption(t *testing.T) {
	zone := time.FixedZone("X", -5*3600)
	convs, ok := ParseText("z", []byte("2021-06-03 14:22:10 A: x\n2021-06-03 14:23:10 B: y\n"), Options{Zone: zone})
	if !ok {
		t.Fatal("not parsed")
	}
	got := convs[0].Messages[0].Time.Format(time.RFC3339)
	if d := cmp.Diff("2021-06-03T14:22:10-05:00", got); d != "" {
		t.Errorf("zone (-want +got):\n%s", d)
	}
}

func TestSeparatorTime(t *testing.T) {
	ref := time.Date(2021, 6, 5, 22, 15, 0, 0, DefaultZone)
	tests := []struct {
		name, text, want string
	}{
		{"full date", "2021年6月5日 21:29", "2021-06-05T21:29:00+08:00"},
		{"yesterday", "昨天 14:20", "2021-06-04T14:20:00+08:00"},
		{"clock only", "14:20", "2021-06-05T14:20:00+08:00"},
		{"clock after ref", "23:50", "2021-06-04T23:50:00+08:00"},
		{"month day pm", "6月5日 下午3:20", "2021-06-05T15:20:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := separatorTime(tt.text, ref, DefaultZone)
			if !ok {
				t.Fatal("not a separator")
			}
			if d := cmp.Diff(tt.want, got.Format(time.RFC3339)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestTimeFromFileName(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"wechat", "微信图片_20210605221530.png", "2021-06-05T22:15:30+08:00"},
		{"qq", "QQ截图20220118113205.png", "2022-01-18T11:32:05+08:00"},
		{"android", "Screenshot_2021-09-02-21-13-40.png", "2021-09-02T21:13:40+08:00"},
		{"mmexport ms", "mmexport1625467312845.png", "2021-07-05T14:41:52+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := TimeFromFileName(tt.file, nil)
			if !ok {
				t.Fatal("no time")
			}
			if d := cmp.Diff(tt.want, got.Format(time.RFC3339)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestKeyMap(t *testing.T) {
	data := `{"sent_at": "2021-01-01 10:00:00", "nickname": "A", "content": "x"}
{"sent_at": "2021-01-01 10:01:00", "nickname": "B", "content": "y"}`
	convs, err := ParseJSON("k", strings.NewReader(data), Options{KeyMap: map[string]string{"time": "sent_at"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range convs[0].Messages {
		got = append(got, m.Time.Format(time.RFC3339)+" "+m.Sender+" "+m.Text)
	}
	want := []string{"2021-01-01T10:00:00+08:00 A x", "2021-01-01T10:01:00+08:00 B y"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// checkConvs asserts the fuzz properties: valid UTF-8, positions in range,
// no more messages than lines or bytes.
func checkConvs(t *testing.T, convs []Conversation, maxPos int) {
	for _, c := range convs {
		for _, m := range c.Messages {
			if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Sender) {
				t.Fatalf("invalid UTF-8 in %q / %q", m.Sender, m.Text)
			}
			if m.Position < 0 || m.Position > maxPos {
				t.Fatalf("position %d out of range %d", m.Position, maxPos)
			}
		}
	}
}

func seeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	if len(files) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzLineLog(f *testing.F) {
	seeds(f, "*.md")
	seeds(f, "*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		convs, _ := ParseText("f", data, Options{})
		checkConvs(t, convs, bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte("\r"))+1)
	})
}

func FuzzJSON(f *testing.F) {
	seeds(f, "*.json")
	seeds(f, "*.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		convs, _ := ParseJSON("f", bytes.NewReader(data), Options{})
		checkConvs(t, convs, len(data))
	})
}

func FuzzTSV(f *testing.F) {
	seeds(f, "*.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ok, _ := ParseScreenshot(Screenshot{Source: "f", TSV: data, Ref: time.Unix(1600000000, 0)}, Options{})
		if ok {
			checkConvs(t, []Conversation{c}, bytes.Count(data, []byte("\n"))+1)
			if len(c.Messages) > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("%d messages from %d rows", len(c.Messages), bytes.Count(data, []byte("\n")))
			}
		}
	})
}

// genDump writes n JSON messages as an array or as JSON lines.
func genDump(n int, array bool) []byte {
	var b bytes.Buffer
	if array {
		b.WriteString("[\n")
	}
	for i := 0; i < n; i++ {
		m := map[string]any{
			"ts":   1600000000 + i,
			"from": fmt.Sprintf("user%d@jabber.example.org", i%50),
			"to":   fmt.Sprintf("user%d@jabber.example.org", (i+1)%50),
			"body": fmt.Sprintf("消息 %d: the quick brown fox jumps over the lazy dog 数据已经回传", i),
		}
		j, _ := json.Marshal(m)
		b.Write(j)
		if array && i < n-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	if array {
		b.WriteString("]\n")
	}
	return b.Bytes()
}
