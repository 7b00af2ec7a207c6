package bleve

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/index"
)

// benchDocs is the corpus size of BenchmarkIndex100k; LEAKSCOPE_BENCH_DOCS
// overrides it, -short uses 10,000.
func benchDocs(b *testing.B) int {
	if s := os.Getenv("LEAKSCOPE_BENCH_DOCS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

var (
	zhWords = strings.Fields("目标 清单 数据 护照 出入境 记录 服务器 权限 渗透 测试 平台 合同 甲方 乙方 外交部 移民 管理局 电信 运营商 医院 航空 旅客 信息 系统 漏洞 邮箱 账号 密码 下载 上传 打包 交付 客户 项目 报告 季度 总结 技术 支持 内网 外网 数据库 备份 日志 分析 国家 政府 部门 安全 情报 资料 文件 会议 明天 已经 完成 发送 收到")
	twWords = strings.Fields("護照 資料 記錄 伺服器 權限 滲透 測試 郵箱 帳號 報告 項目 會議 數據庫 內網 政府 部門")
	enWords = strings.Fields("target list data passport immigration records server access penetration testing platform contract telecom operator hospital airline passenger information system vulnerability mailbox account password download upload package delivery customer project report quarterly summary technical support intranet database backup logs analysis country government ministry security intelligence meeting tomorrow finished sent received")
)

// hanChars and syllables build a synthetic vocabulary large enough that
// a query is selective, as in a real leak (a few thousand distinct words
// with a Zipf-like spread), with the topic words of benchQueries planted in
// about 2% of the documents each.
const hanChars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"

func genWord(r *rand.Rand, zh bool) string {
	// Zipf-like: low ranks are common.
	rank := int(float64(4000) * r.Float64() * r.Float64() * r.Float64())
	if zh {
		rs := []rune(hanChars)
		return string([]rune{rs[rank%len(rs)], rs[(rank*7+3)%len(rs)]})
	}
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "qu", "dor", "fen", "gal", "hur"}
	return syl[rank%len(syl)] + syl[(rank/15)%len(syl)] + syl[(rank/225)%len(syl)]
}

func genDoc(r *rand.Rand, i int) index.Doc {
	var b strings.Builder
	lang := "zh-Hans"
	switch p := r.IntN(10); {
	case p < 2:
		lang = "en"
	case p < 3:
		lang = "zh-Hant"
	}
	n := 20 + r.IntN(80)
	for k := 0; k < n; k++ {
		switch {
		case r.IntN(50) == 0: // a topic word
			switch {
			case lang == "en" && r.IntN(8) == 0:
				b.WriteString("testing platform ")
			case lang == "en":
				b.WriteString(enWords[r.IntN(len(enWords))])
				b.WriteByte(' ')
			case lang == "zh-Hant":
				b.WriteString(twWords[r.IntN(len(twWords))])
			default:
				b.WriteString(zhWords[r.IntN(len(zhWords))])
			}
		case lang == "en" || r.IntN(10) == 0:
			b.WriteString(genWord(r, false))
			b.WriteByte(' ')
		default:
			b.WriteString(genWord(r, true))
		}
		if r.IntN(12) == 0 {
			b.WriteString("。\n")
		}
	}
	mimes := []string{"application/pdf", "text/plain", "image/png", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "message/rfc822"}
	countries := []string{"IN", "KZ", "PK", "NP", "MM", "MN", "MY", "AF", "FR", "TH", "INT"}
	d := index.Doc{
		ID:        fmt.Sprintf("%064x", i),
		Kind:      index.KindDocument,
		Path:      fmt.Sprintf("dump/%03d/file%06d.txt", i%500, i),
		Text:      b.String(),
		Lang:      lang,
		MIME:      mimes[r.IntN(len(mimes))],
		Date:      time.Date(2018+r.IntN(6), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC),
		Countries: []string{countries[r.IntN(len(countries))]},
		Entities:  []string{fmt.Sprintf("ipv4:198.51.100.%d", r.IntN(256))},
	}
	if r.IntN(10) == 0 {
		d.Kind = index.KindMessage
		d.ID += "#m1"
		d.Sender = []string{"张三", "李四", "王五", "wang.wu"}[r.IntN(4)]
		d.Conversation = "conv-" + strconv.Itoa(r.IntN(50))
	}
	return d
}

var benchQueries = []struct {
	text    string
	needles []string // what the baseline scan looks for (all must occur, or any with anyOf)
	anyOf   bool
	sort    string
}{
	{"外交部护照", []string{"外交部", "护照"}, false, ""},                     // cut into two words, ANDed
	{"passports", []string{"passport"}, false, ""},                  // English stem
	{"penetration zzqx", []string{"penetration", "zzqx"}, true, ""}, // AND finds nothing: the OR fallback
	{"护照", []string{"护照"}, false, index.SortNewest},                 // by date
	{"护照", []string{"护照"}, false, ""},
	{"出入境", []string{"出入境"}, false, ""},
	{"penetration", []string{"penetration"}, false, ""},
	{`"testing platform"`, []string{"testing platform"}, false, ""},
	{"服务器 权限", []string{"服务器", "权限"}, false, ""},
	{"數據庫", []string{"數據庫"}, false, ""},
	{"passport lang:en", []string{"passport"}, false, ""},
	{"外交部 date:>=2021-01-01", []string{"外交部"}, false, ""},
}

// benchWords cuts a query at the topic words of the generated corpus,
// standing in for internal/lang's segmenter (which the index may not
// import) at a similar cost per query.
func benchWords(s string) []string {
	var out []string
	for len(s) > 0 {
		best := 0
		for _, w := range zhWords {
			if strings.HasPrefix(s, w) && len(w) > best {
				best = len(w)
			}
		}
		if best == 0 {
			_, best = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:best])
		s = s[best:]
	}
	return out
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// BenchmarkIndex100k builds an index of a generated mixed Chinese/English
// corpus, then measures search latency. The baseline, measured in the same
// run over the same documents, is a linear strings.Contains scan of the
// lower-cased texts (what grep over the extracted text would cost). Reported:
// build_docs/s and scan_docs/s, search p50/p99 in ms, baseline p50/p99, and
// the ratios p50_speedup = scan p50 / search p50.
//
//	go test ./internal/index/bleve -run '^$' -bench Index100k -benchtime 200x
func BenchmarkIndex100k(b *testing.B) {
	n := benchDocs(b)
	r := rand.New(rand.NewPCG(1, 2))
	docs := make([]index.Doc, n)
	var bytes int64
	for i := range docs {
		docs[i] = genDoc(r, i)
		bytes += int64(len(docs[i].Text))
	}
	x, err := OpenWith(filepath.Join(b.TempDir(), "index"), Options{Words: benchWords})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	start := time.Now()
	for i := 0; i < len(docs); i += 1000 {
		if err := x.Add(b.Context(), docs[i:min(i+1000, len(docs))]...); err != nil {
			b.Fatal(err)
		}
	}
	build := time.Since(start)

	// Baseline: scan every document for every needle.
	lower := make([]string, n)
	for i, d := range docs {
		lower[i] = strings.ToLower(d.Text)
	}
	var scan []time.Duration
	for round := 0; round < 3; round++ {
		for _, q := range benchQueries {
			t0 := time.Now()
			hits := 0
			for _, t := range lower {
				ok := !q.anyOf
				for _, nd := range q.needles {
					if strings.Contains(t, nd) == q.anyOf {
						ok = q.anyOf
						break
					}
				}
				if ok {
					hits++
				}
			}
			scan = append(scan, time.Since(t0))
			_ = hits
		}
	}

	var lat []time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		i++
		t0 := time.Now()
		res, err := x.Search(b.Context(), index.Query{Text: q.text, Highlight: true, Facets: []string{"type", "lang", "year"}, Limit: 20, Sort: q.sort})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		if res.Total == 0 {
			b.Fatalf("query %q found nothing", q.text)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	p50, p99 := percentile(lat, 0.50), percentile(lat, 0.99)
	s50, s99 := percentile(scan, 0.50), percentile(scan, 0.99)
	scanRate := float64(n) / s50.Seconds()
	b.ReportMetric(float64(n)/build.Seconds(), "build_docs/s")
	b.ReportMetric(float64(bytes)/build.Seconds()/1e6, "build_MB/s")
	b.ReportMetric(scanRate, "scan_docs/s")
	b.ReportMetric(ms(p50), "p50_ms")
	b.ReportMetric(ms(p99), "p99_ms")
	b.ReportMetric(ms(s50), "scan_p50_ms")
	b.ReportMetric(ms(s99), "scan_p99_ms")
	b.ReportMetric(ms(s50)/ms(p50), "p50_speedup")
	b.ReportMetric(ms(s99)/ms(p99), "p99_speedup")
	b.ReportMetric(build.Seconds()/s50.Seconds(), "build_cost_in_scans")
}
