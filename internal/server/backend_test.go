package server

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/leak"
)

// memBackend is a small in-memory Backend over a real Bleve index, for
// tests until the SQLite case implements Backend.
type memBackend struct {
	idx   index.Index
	docs  map[string]Document
	texts map[string]Text
	trans map[string]Text
	blobs map[string][]byte
	tgts  []Target
	convs map[string]Conversation
	chats Chats
	ents  []Entity
	links []TargetLink
	// pending, when set, makes every search say that this many
	// documents are not searchable yet.
	pending int64
}

var _ Backend = (*memBackend)(nil)

func (m *memBackend) Search(ctx context.Context, q index.Query) (index.Result, error) {
	res, err := m.idx.Search(ctx, q)
	res.Partial, res.Pending = m.pending > 0, m.pending
	return res, err
}

func (m *memBackend) Document(_ context.Context, id string) (Document, error) {
	d, ok := m.docs[id]
	if !ok {
		return d, fmt.Errorf("document %s: %w", id[:12], ErrNotFound)
	}
	return d, nil
}

func (m *memBackend) Text(_ context.Context, id string) (Text, error) {
	t, ok := m.texts[id]
	if !ok {
		return t, fmt.Errorf("text %s: %w", id[:12], ErrNotFound)
	}
	return t, nil
}

func (m *memBackend) Translation(_ context.Context, id string) (Text, error) {
	t, ok := m.trans[id]
	if !ok {
		return t, fmt.Errorf("translation %s: %w", id[:12], ErrNotFound)
	}
	return t, nil
}

func (m *memBackend) Entities(_ context.Context, f EntityFilter) ([]Entity, error) {
	var out []Entity
	for _, e := range m.ents {
		if (f.Type == "" || e.Type == f.Type) && strings.Contains(e.Value, f.Value) {
			out = append(out, e)
		}
	}
	if f.Offset >= len(out) {
		return nil, nil
	}
	out = out[f.Offset:]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func (m *memBackend) Targets(context.Context) ([]Target, error) { return slices.Clone(m.tgts), nil }
func (m *memBackend) Chats(context.Context) (Chats, error)      { return m.chats, nil }

func (m *memBackend) Conversation(_ context.Context, id string) (Conversation, error) {
	c, ok := m.convs[id]
	if !ok {
		return c, fmt.Errorf("conversation %q: %w", id, ErrNotFound)
	}
	return c, nil
}

func (m *memBackend) Stats(context.Context) (Stats, error) {
	st := Stats{Documents: len(m.docs), Targets: len(m.tgts), Conversations: len(m.convs), Languages: map[string]int{}, Types: map[string]int{}}
	for _, d := range m.docs {
		st.Bytes += d.Size
		st.Occurrences += len(d.Paths)
		st.Languages[d.Language]++
		st.Types[index.TypeOf(d.MIME, index.KindDocument)]++
		if d.OCR {
			st.OCR++
		}
	}
	for _, c := range m.convs {
		st.Messages += len(c.Messages)
	}
	st.Entities = len(m.ents)
	return st, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func (m *memBackend) Blob(_ context.Context, id string) (Blob, error) {
	b, ok := m.blobs[id]
	if !ok {
		return Blob{}, fmt.Errorf("blob %s: %w", id[:12], ErrNotFound)
	}
	d := m.docs[id]
	return Blob{ReadSeekCloser: nopCloser{bytes.NewReader(b)}, MIME: d.MIME, Size: int64(len(b)), Name: filepath.Base(d.Paths[0])}, nil
}

// Preview renders page 1 of the fixture PDF as the fixture PNG; the
// renderer is faked, the server's handling of its output is not.
func (m *memBackend) Preview(_ context.Context, id string, page int) ([]byte, error) {
	d, ok := m.docs[id]
	if !ok || d.MIME != "application/pdf" {
		return nil, fmt.Errorf("preview %s: %w", id[:12], ErrNotFound)
	}
	if page != 1 {
		return nil, fmt.Errorf("page %d of %s: %w", page, id[:12], ErrNotFound)
	}
	return pngBytes(), nil
}

func (m *memBackend) TargetLinks(context.Context) ([]TargetLink, error) { return m.links, nil }

func (m *memBackend) Timeline(context.Context) (Timeline, error) {
	var tl Timeline
	for id, d := range m.docs {
		switch {
		case !d.Date.IsZero():
			tl.Documents = append(tl.Documents, DatedDocument{ID: id, Path: d.Paths[0], Date: d.Date, Source: DateMeta})
		case len(d.Occurrences) > 0 && !d.Occurrences[0].ModTime.IsZero():
			tl.Documents = append(tl.Documents, DatedDocument{ID: id, Path: d.Paths[0], Date: d.Occurrences[0].ModTime, Source: DateMTime})
		default:
			tl.Undated++
		}
	}
	slices.SortFunc(tl.Documents, func(a, b DatedDocument) int { return a.Date.Compare(b.Date) })
	days := map[string]map[string]bool{}
	counts := map[string]int{}
	for id, c := range m.convs {
		for _, msg := range c.Messages {
			day := msg.Time.Format("2006-01-02")
			if days[day] == nil {
				days[day] = map[string]bool{}
			}
			days[day][id] = true
			counts[day]++
		}
	}
	for day, n := range counts {
		tl.Messages = append(tl.Messages, DayCount{Day: day, Count: n, Conversations: len(days[day])})
	}
	slices.SortFunc(tl.Messages, func(a, b DayCount) int { return strings.Compare(a.Day, b.Day) })
	return tl, nil
}

// probeHTML is an XSS probe in the manner of the corpus's misc/preview.html
// (written here, not copied): each payload would set document.title to
// XSS-PROBE-EXECUTED-n and window.__xss_probe if it ever ran.
const probeHTML = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe 预览</title>
<script>document.title = "XSS-PROBE-EXECUTED-1"; window.__xss_probe = 1;</script></head>
<body onload="document.title='XSS-PROBE-EXECUTED-2'; window.__xss_probe = 2">
<h1>季度报告预览 probe</h1>
<img src="x-missing.png" onerror="document.title='XSS-PROBE-EXECUTED-3'; window.__xss_probe = 3">
<svg onload="document.title='XSS-PROBE-EXECUTED-4'"><text y="15">svg</text></svg>
<a id="jslink" href="javascript:document.title='XSS-PROBE-EXECUTED-5'">details</a>
<iframe srcdoc="&lt;script&gt;parent.document.title='XSS-PROBE-EXECUTED-6'&lt;/script&gt;"></iframe>
<div>"&gt;&lt;script&gt;document.title='XSS-PROBE-EXECUTED-7'&lt;/script&gt;</div>
<form action="javascript:void(0)"><input name="q" value="&quot; autofocus onfocus=&quot;document.title='XSS-PROBE-EXECUTED-8'"></form>
</body></html>`

// fixture IDs.
var (
	idZH    = leak.Hash([]byte("zh target list")).String()
	idEN    = leak.Hash([]byte("en catalogue")).String()
	idProbe = leak.Hash([]byte(probeHTML)).String()
	idPNG   string
	idBidi  = leak.Hash([]byte("bidi")).String()
)

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := 0; x < 40; x++ {
		for y := 0; y < 20; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 6), 90, 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// newMemBackend builds the fixture case.
func newMemBackend(t testing.TB) *memBackend {
	t.Helper()
	x, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	pngb := pngBytes()
	idPNG = leak.Hash(pngb).String()
	zhText := "2021年境外目标清单\n序号 目标单位 国家 数据量\n1 总统府内政部 哈萨克斯坦 5.49G\n服务器 192.0.2.14"
	ipStart := strings.Index(zhText, "192.0.2.14")
	volStart := strings.Index(zhText, "5.49G")
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, time.UTC) }
	m := &memBackend{
		idx: x,
		docs: map[string]Document{
			idZH: {ID: idZH, SHA256: idZH, MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Size: 9000, Language: "zh-Hans", Status: "ok",
				Paths:       []string{"业务/2021年境外目标清单.xlsx", "misc/目标清单 - 副本.xlsx"},
				Occurrences: []Occurrence{{Path: "业务/2021年境外目标清单.xlsx"}, {Path: "archives/x.tar.gz!/d/a.zip!/目标清单.xlsx", Containers: []string{"archives/x.tar.gz", "archives/x.tar.gz!/d/a.zip"}}, {Path: "repo.bundle!/abc123/list.xlsx", Commit: "abc123"}},
				Entities:    []DocEntity{{Type: "ipv4", Value: "192.0.2.14", Start: ipStart, End: ipStart + 10}, {Type: "volume", Value: "5.49G", Start: volStart, End: volStart + 5}},
				Translated:  true, Date: day(2021, 3, 1)},
			idEN: {ID: idEN, SHA256: idEN, MIME: "application/pdf", Size: 4000, Language: "en", Status: "ok", Paths: []string{"业务/catalogue.pdf"},
				Occurrences: []Occurrence{{Path: "业务/catalogue.pdf", ModTime: day(2020, 11, 5)}}},
			idProbe: {ID: idProbe, SHA256: idProbe, MIME: "text/html", Size: int64(len(probeHTML)), Language: "zh-Hans", Status: "ok",
				Paths: []string{"misc/preview.html"}, Flags: []string{"active-content"}},
			idPNG: {ID: idPNG, SHA256: idPNG, MIME: "image/png", Size: int64(len(pngb)), Language: "zh-Hans", OCR: true, Status: "ok", Paths: []string{"screenshots/shot.png"}},
			idBidi: {ID: idBidi, SHA256: idBidi, MIME: "application/octet-stream", Size: 4, Status: "unsupported type", Error: "no extractor for application/octet-stream",
				Paths: []string{"misc/报告\u202efdp.exe"}},
		},
		texts: map[string]Text{
			idZH:    {ID: idZH, Language: "zh-Hans", Text: zhText, Source: "ooxml"},
			idEN:    {ID: idEN, Language: "en", Text: "Penetration Testing Platform catalogue. Contact sales@example.com.", Source: "pdf", Pages: []Page{{N: 1, Start: 0, End: 66}}},
			idProbe: {ID: idProbe, Language: "zh-Hans", Text: "季度报告预览 probe\n<script>document.title='XSS-PROBE-EXECUTED-9'</script>\n\"><img src=x onerror=\"document.title='XSS-PROBE-EXECUTED-10'\">", Source: "html"},
			idPNG:   {ID: idPNG, Language: "zh-Hans", Text: "截图 目标清单 已完成", Source: "ocr"},
		},
		trans: map[string]Text{
			idZH: {ID: idZH, Language: "en", Text: "2021 overseas target list\nNo. Target unit Country Volume\n1 Presidential Interior Ministry Kazakhstan 5.49G", Source: "gloss"},
		},
		blobs: map[string][]byte{idProbe: []byte(probeHTML), idPNG: pngb, idEN: []byte("%PDF-1.4 fake"), idBidi: []byte("MZ\x00\x00")},
		tgts: []Target{
			{Name: "Presidential Interior Ministry", Aliases: []string{"总统府内政部"}, Country: "KZ", Sector: "government", DataTypes: []string{"citizen records"}, VolumeBytes: 5894946365, FirstSeen: "2021", LastSeen: "2021", Confidence: 0.9,
				Evidence: []Evidence{{Path: "业务/2021年境外目标清单.xlsx", Snippet: "总统府内政部 哈萨克斯坦 5.49G", Translation: "Presidential Interior Ministry Kazakhstan 5.49G", DocID: idZH}}},
			{Name: "Immigration Bureau", Country: "IN", Sector: "government", VolumeBytes: 102220120064, FirstSeen: "2020", LastSeen: "2020", Confidence: 0.8},
			{Name: "Apollo Hospitals", Country: "IN", Sector: "health", Records: 1860000, FirstSeen: "2021-05", LastSeen: "2021-06", Confidence: 0.7},
			{Name: "=HYPERLINK(\"x\")", Aliases: []string{"NATO"}, Country: "INT", Sector: "other", FirstSeen: "2019", Confidence: 0.2},
		},
		ents: []Entity{{Type: "ipv4", Value: "192.0.2.14", Count: 2, Paths: []string{"业务/2021年境外目标清单.xlsx"}}, {Type: "email", Value: "sales@example.com", Count: 1, Paths: []string{"业务/catalogue.pdf"}}},
	}
	conv := Conversation{
		ConversationSummary: ConversationSummary{ID: "conv-1", Source: "chats/2021-06 group.md", Title: "项目群", Participants: []string{"张三", "李四", "王五"}, Messages: 3, First: day(2021, 6, 3), Last: day(2021, 6, 4)},
		Owner:               "李四",
		Messages: []Message{
			{ID: idZH + "#m1", Time: day(2021, 6, 3), Sender: "张三", Text: "明天把护照数据发过来", Translation: "Send the passport data tomorrow"},
			{ID: idZH + "#m2", Time: day(2021, 6, 3).Add(time.Minute), Sender: "李四", Text: "好的，已经打包。<b>bold?</b>", Translation: "OK, already packed."},
			{ID: idZH + "#m3", Time: day(2021, 6, 4), Sender: "王五", Text: "NATO 的资料呢？", Translation: "What about the NATO material?"},
		},
	}
	conv2 := Conversation{ConversationSummary: ConversationSummary{ID: "conv-2", Source: "chats/dm.json", Participants: []string{"张三", "王五"}, Messages: 0}}
	m.convs = map[string]Conversation{"conv-1": conv, "conv-2": conv2}
	m.links = []TargetLink{{Person: "王五", Target: `=HYPERLINK("x")`, Country: "INT", Messages: 1}}
	m.chats = Chats{Conversations: []ConversationSummary{conv.ConversationSummary, conv2.ConversationSummary},
		Participants: []Participant{{Name: "张三", Aliases: []string{"zhangsan", "老张"}, Messages: 1}, {Name: "李四", Messages: 1}, {Name: "王五", Messages: 1}}}

	var docs []index.Doc
	for id, d := range m.docs {
		docs = append(docs, index.Doc{ID: id, Kind: index.KindDocument, Path: d.Paths[0], Paths: d.Paths, Text: m.texts[id].Text, Translation: m.trans[id].Text,
			Lang: d.Language, MIME: d.MIME, Date: d.Date})
	}
	for _, msg := range conv.Messages {
		docs = append(docs, index.Doc{ID: msg.ID, Kind: index.KindMessage, Path: conv.Source, Text: msg.Text, Translation: msg.Translation,
			Lang: "zh-Hans", MIME: "text/markdown", Date: msg.Time, Sender: msg.Sender, Conversation: conv.ID})
	}
	if err := x.Add(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	return m
}

var _ io.ReadSeekCloser = nopCloser{}
