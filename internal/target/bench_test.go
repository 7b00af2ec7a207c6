package target

import (
	"fmt"
	"strconv"
	"testing"
)

// benchObservations generates the observations of n documents about
// orgs organisations: every tenth document a target-table row (a
// transliterated Chinese name with its Latin name in parentheses), the
// others chat lines naming an organisation in Chinese or in Latin letters
// next to targeting language. Names are built from syllables, so that
// they are distinct and transliteration-like, as a real case's are.
func benchObservations(n, orgs int) []DocObservation {
	han := []string{"卡", "斯", "特", "拉", "诺", "维", "尔", "达", "马", "尼", "科", "塔", "伊", "兹", "沃", "贝"}
	lat := []string{"ka", "s", "te", "la", "no", "vi", "r", "da", "ma", "ni", "ko", "ta", "i", "z", "vo", "be"}
	name := func(i int) (string, string) {
		h, l := "", ""
		for k, x := 0, i+orgs; k < 4; k, x = k+1, x/len(han) {
			h += han[x%len(han)]
			l += lat[x%len(lat)]
		}
		return h + "航运", l[:1] + "" + l[1:] + " Shipping"
	}
	opts := Options{}
	cache := map[string]Observation{}
	out := make([]DocObservation, 0, n)
	for d := range n {
		o := d % orgs
		h, l := name(o)
		var text string
		switch {
		case d%10 == 0:
			text = "单位\t国家\t数据量\t时间\n" + h + "(" + l + ")\t意大利\t" + strconv.Itoa(1+o%9) + ".5G\t2022-0" + strconv.Itoa(1+o%9) + "\n"
		case d%2 == 0:
			text = "2022-03-02 10:00:00 王强: " + h + "的邮箱拿到了\n"
		default:
			text = "2022-03-02 10:00:00 Wang: got into the " + l + " mailbox, dump next\n"
		}
		ob, ok := cache[text]
		if !ok {
			ob = Observe(Doc{Text: text}, opts)
			cache[text] = ob
		}
		out = append(out, DocObservation{Doc: fmt.Sprintf("%064d", d), Paths: []string{"docs/" + strconv.Itoa(d) + ".txt"}, Observation: ob})
	}
	return out
}

// BenchmarkCombine builds the register of 100,000 generated documents
// about 5,000 organisations from their stored observations (no text is
// read; the evidence finder is nil), as `leakscope analyse` does.
func BenchmarkCombine(b *testing.B) {
	docs := benchObservations(100_000, 5_000)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Combine(docs, nil, Options{}))
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(n), "targets")
}
