// Package person detects people and accounts: chat handles (wxid_...,
// @handles) and Chinese personal names in positions that make them names:
// the speaker of a chat line ("2021-06-03 14:22:10 张三: ...") and the value
// of a field such as 联系人/负责人/姓名 ("联系人：王小明"). Names must start
// with a common surname and be two to four characters long. Precision is
// preferred to recall: names in running text are left to a segmenter.
//
// Kinds: handle (Norm lower-cased, without "@"), person (Norm as written).
package person

import (
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// Detector finds handles and names. It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindHandle, leak.KindPerson} }

// Keywords implements entity.Detector.
func (Detector) Keywords() []string { return nil }

var (
	wxidRE    = entity.MustPattern(`wxid_[a-zA-Z0-9]{6,24}`)
	atRE      = entity.MustPattern(`@[A-Za-z][A-Za-z0-9_.]{2,30}`)
	speakerRE = entity.MustPattern(`(?m)^\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?\]?\s+(\p{Han}{2,4})\s*[:：]`)
	fieldRE   = entity.MustPattern(`(?:联系人|負責人|负责人|姓名|经办人|經辦人|发件人|收件人|对接人|對接人|签字|簽字|作者|审核人|制表人)\s*[:：]\s*(\p{Han}{2,4})`)
)

// surnames are the common Chinese family names (single and double).
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝張劉陳楊黃趙吳鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒龐顏聶魯嚴龔萬錢戴"

var doubleSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "歐陽", "諸葛"}

// isName reports whether s looks like a Chinese personal name.
func isName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 4 {
		return false
	}
	for _, d := range doubleSurnames {
		if strings.HasPrefix(s, d) {
			return n >= 3
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune(surnames, r) && n <= 3
}

// Detect implements entity.Detector.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	for _, loc := range wxidRE.FindAllIndex(text) {
		s, e := loc[0], loc[1]
		if s > 0 && isWord(text[s-1]) || e < len(text) && isWord(text[e]) {
			continue
		}
		v := string(text[s:e])
		emit(entity.Match{Kind: leak.KindHandle, Value: v, Norm: strings.ToLower(v), Start: s, End: e})
	}
	for _, loc := range atRE.FindAllIndex(text) {
		s, e := loc[0], loc[1]
		// Not the @ of an e-mail address, not followed by a domain.
		if s > 0 && (isWord(text[s-1]) || text[s-1] == '.' || text[s-1] == '[') {
			continue
		}
		v := strings.TrimRight(string(text[s:e]), ".")
		e = s + len(v)
		if strings.Contains(v, ".") || e < len(text) && (isWord(text[e]) || text[e] == '@') {
			continue
		}
		emit(entity.Match{Kind: leak.KindHandle, Value: v, Norm: strings.ToLower(v[1:]), Start: s, End: e})
	}
	for _, re := range []*entity.Pattern{speakerRE, fieldRE} {
		for _, loc := range re.FindAllSubmatchIndex(text) {
			s, e := loc[2], loc[3]
			v := string(text[s:e])
			if !isName(v) {
				continue
			}
			emit(entity.Match{Kind: leak.KindPerson, Value: v, Norm: v, Start: s, End: e})
		}
	}
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
