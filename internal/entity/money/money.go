// Package money detects amounts of money: ¥/￥/$/€/£ and ISO-code prefixes
// (RMB 50000, USD 1,200, US$3k) and Chinese or English suffixes (5万元,
// 38万, 220000元, 3000美元, 1.2 million dollars). Norm is
// "<ISO 4217 code>:<amount>" with the amount as a decimal integer or with
// up to two decimals; RMB, 元, 块 and ¥ are CNY ("¥" is read as CNY: the
// leaks this tool reads are Chinese; JPY is written 日元/円/JPY).
//
// A bare number is never money; 万 alone (38万) is money only when a
// currency word or sign is attached.
package money

import (
	"math"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Detector finds money amounts. It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindMoney} }

// Reach implements entity.DigitAnchored: every match holds a digit and
// its unit, currency or date words lie within a few dozen bytes of it.
func (Detector) Reach() int { return 96 }

var _ entity.DigitAnchored = Detector{}

// Keywords implements entity.Detector.
func (Detector) Keywords() []string {
	return []string{"元", "¥", "￥", "$", "€", "£", "rmb", "cny", "usd", "eur", "gbp", "jpy", "美金", "块", "円", "dollar", "euro"}
}

const num = `(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`
const mag = `(?:\s?(万|亿|千|百万|千万|(?i:k|m|mn|million|billion|bn)))?`

var (
	prefixRE = entity.MustPattern(`(US\$|HK\$|[¥￥$€£]|(?:RMB|CNY|USD|EUR|GBP|JPY|HKD)\s?)` + num + mag)
	suffixRE = entity.MustPattern(num + mag + `\s?(人民币|美元|美金|欧元|英镑|日元|港元|港币|元|块|円|(?i:RMB|CNY|USD|EUR|GBP|JPY|HKD|dollars|euros))`)
)

var codes = map[string]string{
	"us$": "USD", "$": "USD", "hk$": "HKD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP",
	"rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "hkd": "HKD",
	"人民币": "CNY", "美元": "USD", "美金": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "港元": "HKD",
	"港币": "HKD", "元": "CNY", "块": "CNY", "円": "JPY", "dollars": "USD", "euros": "EUR",
}

var mags = map[string]float64{"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "k": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "billion": 1e9, "bn": 1e9}

// Detect implements entity.Detector.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	var taken [][2]int
	try := func(re *entity.Pattern, cur, n, frac, m int) {
		for _, loc := range re.FindAllSubmatchIndex(text) {
			s, e := loc[0], loc[1]
			if s > 0 && isWord(text[s-1]) && text[s] >= '0' && text[s] <= '9' || e < len(text) && isWord(text[e]) && isWord(text[e-1]) {
				continue
			}
			for _, t := range taken {
				if s < t[1] && t[0] < e {
					s = -1
					break
				}
			}
			if s < 0 {
				continue
			}
			code := codes[strings.ToLower(strings.TrimSpace(string(text[loc[2*cur]:loc[2*cur+1]])))]
			amount, _ := strconv.ParseFloat(strings.ReplaceAll(string(text[loc[2*n]:loc[2*n+1]]), ",", ""), 64)
			if loc[2*frac] >= 0 {
				f, _ := strconv.ParseFloat("0."+string(text[loc[2*frac]:loc[2*frac+1]]), 64)
				amount += f
			}
			if loc[2*m] >= 0 {
				amount *= mags[strings.ToLower(string(text[loc[2*m]:loc[2*m+1]]))]
			}
			if code == "" || amount <= 0 || amount > 1e15 {
				continue
			}
			taken = append(taken, [2]int{s, e})
			emit(entity.Match{Kind: leak.KindMoney, Value: string(text[s:e]), Norm: code + ":" + format(amount), Start: s, End: e})
		}
	}
	try(prefixRE, 1, 2, 3, 4)
	try(suffixRE, 4, 1, 2, 3)
}

func format(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.'
}
