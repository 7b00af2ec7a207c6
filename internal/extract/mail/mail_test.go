package mail

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
)

func gbk(s string) string {
	b, _ := simplifiedchinese.GBK.NewEncoder().String(s)
	return b
}

func big5(s string) string {
	b, _ := traditionalchinese.Big5.NewEncoder().String(s)
	return b
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func write(t *testing.T, name, data string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type got struct {
	Text     string
	Meta     map[string]string
	Children []string
	Bodies   map[string]string
	Flags    []string
}

func summarize(r *extracttest.Recorder) got {
	g := got{Text: r.Body(), Meta: map[string]string{}, Bodies: map[string]string{}, Flags: r.Flags}
	for _, kv := range r.MetaKV {
		g.Meta[kv.Key] = kv.Value
	}
	for _, c := range r.Children {
		g.Children = append(g.Children, c.Name)
		g.Bodies[c.Name] = string(c.Data)
	}
	return g
}

func TestEML(t *testing.T) {
	tests := []struct {
		name string
		eml  string
		want got
	}{
		{
			name: "gbk base64 with RFC 2047 subject and attachment",
			eml: "From: =?GB2312?B?" + b64(gbk("张三")) + "?= <zs@example.com>\r\n" +
				"To: li@example.com\r\nDate: Fri, 11 Jun 2021 10:00:00 +0800\r\n" +
				"Subject: =?GB2312?B?" + b64(gbk("数据交付")) + "?=\r\nMessage-ID: <1@example.com>\r\n" +
				"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
				"--b1\r\nContent-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64(gbk("附件是交付清单。")) + "\r\n" +
				"--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''%E4%BA%A4%E4%BB%98.xlsx\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64("PKDATA") + "\r\n--b1--\r\n",
			want: got{
				Text: "From: 张三 <zs@example.com>\nTo: li@example.com\nDate: Fri, 11 Jun 2021 10:00:00 +0800\nSubject: 数据交付\n\n附件是交付清单。",
				Meta: map[string]string{"from": "张三 <zs@example.com>", "to": "li@example.com", "date": "Fri, 11 Jun 2021 10:00:00 +0800",
					"subject": "数据交付", "message-id": "<1@example.com>", "charset": "gb2312"},
				Children: []string{"交付.xlsx"},
				Bodies:   map[string]string{"交付.xlsx": "PKDATA"},
			},
		},
		{
			name: "html only big5 quoted-printable, unnamed inline image",
			eml: "From: a@example.com\nSubject: =?Big5?B?" + b64(big5("合作")) + "?=\nContent-Type: multipart/related; boundary=zz\n\n" +
				"--zz\nContent-Type: text/html; charset=big5\n\n<html><head><style>x{}</style></head><body><p>" + big5("備忘錄") + "</p><script>evil()</script><p>second</p></body></html>\n" +
				"--zz\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n" + b64("PNG") + "\n--zz--\n",
			want: got{
				Text:     "From: a@example.com\nSubject: 合作\n\n備忘錄\n\nsecond",
				Meta:     map[string]string{"from": "a@example.com", "subject": "合作", "charset": "big5"},
				Children: []string{"attachment-1"},
				Bodies:   map[string]string{"attachment-1": "PNG"},
			},
		},
		{
			name: "alternative prefers plain; forwarded message is a child",
			eml: "From: a@example.com\nTo: b@example.com\nCc: c@example.com\nSubject: fwd\nContent-Type: multipart/mixed; boundary=o\n\n" +
				"--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 plain\n--i\nContent-Type: text/html\n\n<p>html</p>\n--i--\n" +
				"--o\nContent-Type: message/rfc822\n\nFrom: x@example.com\nSubject: inner\n\ninner body\n--o--\n",
			want: got{
				Text:     "From: a@example.com\nTo: b@example.com\nCc: c@example.com\nSubject: fwd\n\ncafé plain",
				Meta:     map[string]string{"from": "a@example.com", "to": "b@example.com", "cc": "c@example.com", "subject": "fwd", "charset": "utf-8"},
				Children: []string{"attachment-1"},
				Bodies:   map[string]string{"attachment-1": "From: x@example.com\nSubject: inner\n\ninner body"},
			},
		},
		{
			name: "raw 8-bit GBK headers and body without charset",
			eml:  "From: a@example.com\nSubject: " + gbk("会议通知") + "\n\n" + gbk("明天开会") + "\n",
			want: got{
				Text: "From: a@example.com\nSubject: 会议通知\n\n明天开会",
				Meta: map[string]string{"from": "a@example.com", "subject": "会议通知"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := extracttest.NewInput(t, write(t, "m.eml", tt.eml))
			in.MIME = sniff.EML
			r, err := extracttest.Run(t.Context(), EML{}, in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(r), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, b := range extracttest.Validate(r) {
				t.Error(b)
			}
		})
	}
}

func TestMBOX(t *testing.T) {
	box := "From alice@example.com Mon Jan  4 10:00:00 2021\nFrom: alice@example.com\nSubject: one\n\nbody one\n>From the start\n>>From kept once\n\n" +
		"From bob@example.com Tue Jan  5 10:00:00 2021\nFrom: bob@example.com\nSubject: two\n\nbody two\n"
	in := extracttest.NewInput(t, write(t, "box.mbox", box))
	if in.MIME != sniff.MBOX {
		t.Fatalf("sniffed %s", in.MIME)
	}
	r, err := extracttest.Run(t.Context(), MBOX{}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		// Canonical CRLF, quoting undone, separator blank line dropped.
		"1": "From: alice@example.com\r\nSubject: one\r\n\r\nbody one\r\nFrom the start\r\n>From kept once\r\n",
		"2": "From: bob@example.com\r\nSubject: two\r\n\r\nbody two\r\n",
	}
	g := summarize(r)
	if diff := cmp.Diff([]string{"1", "2"}, g.Children); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, g.Bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
	extracttest.Check(t, MBOX{}, in.File)
}

func TestConformance(t *testing.T) {
	eml := "From: a@example.com\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Disposition: attachment; filename=a.txt\n\nA\n--b\nContent-Disposition: attachment; filename=b.txt\n\nB\n--b--\n"
	extracttest.Check(t, EML{}, write(t, "m.eml", eml))
}

// TestLeakSample checks the mail of the shared leak sample against the
// truth file's members. For an mbox the truth lists messages ("2") and
// their attachments ("2/name"); the latter are found by extracting the
// message child with EML, as the pipeline will.
func TestLeakSample(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	raw, err := os.ReadFile(filepath.Join(corpus, "leak-sample.truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "%v", err)
	}
	var truth struct {
		Files []struct {
			Path    string   `json:"path"`
			MIME    string   `json:"mime"`
			Members []string `json:"members"`
		}
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range truth.Files {
		if (f.MIME != sniff.EML && f.MIME != sniff.MBOX) || strings.Contains(f.Path, "!/") {
			continue
		}
		checked++
		t.Run(f.Path, func(t *testing.T) {
			p := filepath.Join(corpus, "leak-sample", filepath.FromSlash(f.Path))
			in := extracttest.NewInput(t, p)
			var e extract.Extractor = EML{}
			if in.MIME == sniff.MBOX {
				e = MBOX{}
			}
			r, err := extracttest.Run(t.Context(), e, in)
			if err != nil {
				t.Fatal(err)
			}
			names := r.Names()
			if in.MIME == sniff.MBOX {
				for _, c := range r.Children {
					sub := filepath.Join(t.TempDir(), "msg")
					os.WriteFile(sub, c.Data, 0o600)
					mr, err := extracttest.Run(t.Context(), EML{}, extracttest.NewInputMIME(t, sub, sniff.EML))
					if err != nil {
						t.Errorf("message %s: %v", c.Name, err)
					}
					if mr.Body() == "" {
						t.Errorf("message %s: no text", c.Name)
					}
					for _, n := range mr.Names() {
						names = append(names, c.Name+MessageSep+n)
					}
				}
			} else if !strings.Contains(r.Body(), "Subject: ") {
				t.Errorf("no subject line in text %q", r.Body())
			}
			want := slices.Sorted(slices.Values(f.Members))
			slices.Sort(names)
			if diff := cmp.Diff(want, names, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
	if checked == 0 {
		t.Fatal("no mail in the truth file")
	}
}

func FuzzEML(f *testing.F) {
	f.Add("From: a@example.com\nSubject: =?GB2312?B?1dTI/Q==?=\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html; charset=gbk\n\n<p>x</p>\n--b\nContent-Disposition: attachment; filename=\"a.txt\"\nContent-Transfer-Encoding: base64\n\nQUJD\n--b--\n")
	f.Add("Subject: x\n\nbody")
	f.Fuzz(func(t *testing.T, data string) { fuzzRun(t, EML{}, sniff.EML, data) })
}

func FuzzMbox(f *testing.F) {
	f.Add("From a Mon Jan 1 00:00:00 2021\nSubject: x\n\n>From y\nFrom b Mon Jan 1 00:00:00 2021\n\nz")
	f.Add("no from line\n")
	f.Fuzz(func(t *testing.T, data string) { fuzzRun(t, MBOX{}, sniff.MBOX, data) })
}

func fuzzRun(t *testing.T, e extract.Extractor, mime, data string) {
	p := filepath.Join(t.TempDir(), "in")
	os.WriteFile(p, []byte(data), 0o600)
	in := extracttest.NewInputMIME(t, p, mime)
	r := &extracttest.Recorder{MaxChildBytes: 1 << 20, MaxChildren: 1000}
	err := extracttest.RunWith(t.Context(), e, in, r)
	var pe *extracttest.PanicError
	if err != nil && errorsAs(err, &pe) {
		t.Fatal(err)
	}
	for _, b := range extracttest.Validate(r) {
		t.Fatal(b)
	}
	if int64(len(r.Body())) > 2*in.Limits.MaxText+1<<16 {
		t.Fatalf("text %d bytes over the limit", len(r.Body()))
	}
}
