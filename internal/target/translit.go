package target

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Transliterations.
//
// Chinese writes a foreign proper name by sound (音译): a made-up
// "Castellano Shipping" becomes 卡斯特拉诺航运, ka-si-te-la-nuo plus the
// word for shipping. Those characters come from a small set that Chinese
// keeps for foreign sounds (卡, 斯, 特, 拉, 诺, 尔, 亚 ...), so a run of
// them at the start of a name is a transliteration, and its reading can
// be compared with the Latin names of the case: a consonant skeleton
// (transliterations keep the consonants and change the vowels) of
// ka-si-te-la-nuo is K S T L N, and so is the skeleton of "Castellano".

// phonetic maps the characters Chinese uses to write foreign sounds to
// their toneless pinyin. It is not a dictionary: a character that is as
// often part of a meaning word (海, 理, 高) is left out, so that a run of
// these characters is a transliteration and not a description.
var phonetic = func() map[rune]string {
	m := map[rune]string{}
	for _, e := range strings.Fields(`阿:a 埃:ai 艾:ai 爱:ai 安:an 昂:ang 奥:ao 巴:ba 拜:bai 班:ban 邦:bang 鲍:bao 贝:bei 本:ben 比:bi 彼:bi
		毕:bi 别:bie 宾:bin 波:bo 伯:bo 博:bo 布:bu 查:cha 察:cha 柴:chai 楚:chu 茨:ci 达:da 戴:dai 丹:dan 道:dao 德:de
		登:deng 迪:di 蒂:di 丁:ding 杜:du 多:duo 厄:e 恩:en 尔:er 法:fa 凡:fan 范:fan 菲:fei 费:fei 芬:fen 丰:feng 夫:fu 弗:fu
		伏:fu 福:fu 盖:gai 冈:gang 戈:ge 格:ge 根:gen 贡:gong 古:gu 瓜:gua 圭:gui 哈:ha 汉:han 豪:hao 赫:he 亨:heng 胡:hu
		霍:huo 基:ji 吉:ji 加:jia 贾:jia 杰:jie 捷:jie 金:jin 卡:ka 凯:kai 坎:kan 康:kang 科:ke 克:ke 肯:ken 库:ku 夸:kua
		奎:kui 昆:kun 拉:la 莱:lai 兰:lan 朗:lang 劳:lao 勒:le 雷:lei 蕾:lei 黎:li 里:li 利:li 莉:li 丽:li 理:li 林:lin 琳:lin
		隆:long 龙:long 卢:lu 鲁:lu 路:lu 伦:lun 罗:luo 洛:luo 马:ma 玛:ma 迈:mai 麦:mai 曼:man 芒:mang 梅:mei 门:men 蒙:meng
		孟:meng 米:mi 密:mi 敏:min 明:ming 摩:mo 莫:mo 墨:mo 姆:mu 穆:mu 纳:na 娜:na 乃:nai 奈:nai 南:nan 内:nei 妮:ni
		尼:ni 宁:ning 纽:niu 努:nu 诺:nuo 欧:ou 帕:pa 派:pai 潘:pan 庞:pang 佩:pei 彭:peng 皮:pi 普:pu 齐:qi 奇:qi 恰:qia
		乔:qiao 琼:qiong 丘:qiu 萨:sa 塞:sai 赛:sai 桑:sang 瑟:se 森:sen 沙:sha 莎:sha 尚:shang 舍:she 施:shi 什:shi 舒:shu
		斯:si 松:song 苏:su 索:suo 塔:ta 泰:tai 坦:tan 汤:tang 唐:tang 特:te 提:ti 蒂:di 廷:ting 通:tong 图:tu 托:tuo 瓦:wa
		旺:wang 威:wei 韦:wei 维:wei 温:wen 文:wen 沃:wo 乌:wu 武:wu 西:xi 希:xi 锡:xi 夏:xia 谢:xie 辛:xin 休:xiu 许:xu
		雅:ya 亚:ya 扬:yang 耶:ye 叶:ye 伊:yi 因:yin 英:ying 尤:you 于:yu 约:yue 赞:zan 泽:ze 扎:zha 詹:zhan 兹:zi 宗:zong
		祖:zu 佐:zuo 茲:zi 爾:er 亞:ya 維:wei 拉:la 羅:luo 諾:nuo 馬:ma 瑪:ma 爾:er 蘭:lan 倫:lun 盧:lu 魯:lu 龍:long 圖:tu
		別:bie 凱:kai 納:na 紮:zha 費:fei 貝:bei 烏:wu 賽:sai 薩:sa 雷:lei 麥:mai 邁:mai 蒙:meng 孫:sun 孙:sun 遜:xun 逊:xun
		顿:dun 頓:dun 万:wan 萬:wan 敦:dun 盛:sheng 格:ge 瑙:nao 梭:suo 沙:sha 阿:a 兹:zi 莱:lai 萊:lai 奥:ao 奧:ao 克:ke 斯:si 特:te`) {
		r, reading, _ := strings.Cut(e, ":")
		m[[]rune(r)[0]] = reading
	}
	return m
}()

// phoneticRun returns the leading run of transliteration characters of a
// Chinese name and their readings (卡斯特拉诺航运: 卡斯特拉诺, ka si te la
// nuo), or "" when the name does not start with at least minRun of them.
func phoneticRun(name string, minRun int) (string, []string) {
	var run strings.Builder
	var readings []string
	for _, r := range name {
		p, ok := phonetic[r]
		if !ok {
			break
		}
		run.WriteRune(r)
		readings = append(readings, p)
	}
	if len(readings) < minRun {
		return "", nil
	}
	return run.String(), readings
}

// skeleton is the consonant skeleton of a spelling, the part of a name a
// transliteration keeps: consonants in classes that sound alike across
// languages (b/p, d/t, g/k/c/q, l/r, f/v/w, s/z/j/x and their digraphs,
// m, n), vowels, h and y dropped, repeated classes once. pinyin reads x
// and j as sibilants and c as ts; a Latin spelling reads c as k (s before
// e and i) and x as ks. "Castellano" and ka-si-te-la-nuo are both KSTLN.
func skeleton(s string, pinyin bool) string {
	s = foldLatin(s)
	var out []byte
	add := func(c byte) {
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case (c == 'z' || c == 'c' || c == 's') && next == 'h':
			add('S')
			i++
		case c == 'n' && next == 'g':
			add('N')
			i++
		case c == 'p' && next == 'h':
			add('W')
			i++
		case c == 't' && next == 'h':
			add('T')
			i++
		case c == 'c' && next == 'k':
			add('K')
			i++
		case c == 'b' || c == 'p':
			add('P')
		case c == 'd' || c == 't':
			add('T')
		case c == 'g' || c == 'k' || c == 'q' && !pinyin:
			add('K')
		case c == 'q':
			add('S')
		case c == 'c':
			if pinyin || next == 'e' || next == 'i' || next == 'y' {
				add('S')
			} else {
				add('K')
			}
		case c == 'x':
			if !pinyin {
				add('K')
			}
			add('S')
		case c == 's' || c == 'z' || c == 'j':
			add('S')
		case c == 'l' || c == 'r':
			add('L')
		case c == 'f' || c == 'v' || c == 'w':
			add('W')
		case c == 'm':
			add('M')
		case c == 'n':
			add('N')
		}
	}
	return string(out)
}

// foldLatin lower-cases s and removes its diacritics (Serranía ->
// serrania), keeping only ASCII letters, digits and spaces.
func foldLatin(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' '):
			b.WriteRune(unicode.ToLower(r))
		case r == 'ø' || r == 'Ø':
			b.WriteByte('o')
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ł' || r == 'Ł':
			b.WriteByte('l')
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// transliterates reports whether the Chinese name han starts with a
// transliteration of the first distinctive word, or first two, of the
// Latin name latin (卡斯特拉诺航运 and "Castellano Shipping"; 瓦迪鲁马
// and "Wadi Ruma Ltd"). It returns the length of the skeleton that
// matched, 0 for none: a short skeleton (two consonants: 塔纳 and
// "Tana") is weak evidence the caller must back with more.
func transliterates(han, latin string, p Params) int {
	_, readings := phoneticRun(han, p.MinPhoneticRun)
	if readings == nil {
		return 0
	}
	hs := skeleton(strings.Join(readings, ""), true)
	if len(hs) < 2 {
		return 0
	}
	words := nameWords(latin)
	for k := 1; k <= min(2, len(words)); k++ {
		if skeleton(strings.Join(words[:k], ""), false) == hs {
			return len(hs)
		}
	}
	return 0
}

// nameWords returns the words of a Latin name that tell it from others,
// in order: without body words, legal forms, generic words in other
// languages (Banco, Grupo, Universidad) and small words.
func nameWords(latin string) []string {
	var out []string
	for _, w := range strings.Fields(foldLatin(latin)) {
		if smallWords[w] || kindWord[w] || legalForms[w] || foreignGeneric[w] || descriptors[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// legalForms are the legal-form words of company names in many
// languages, lower-case and without dots (S.A. is "s a" after folding, so
// single letters are listed too): a spelling with or without them names
// the same organisation (Nordhavn Shipping AS, Nordhavn Shipping).
var legalForms = setOf(`ltd limited inc incorporated corp corporation co company llc llp plc lp gmbh ag kg ohg ug se sa sas sarl srl spa
	sro as asa ab oy oyj nv bv bhd sdn pte pvt pty jsc ojsc cjsc pjsc oao zao pao ooo tov kft zrt sp zoo doo dd ad eood kk
	holding holdings group s a o r l p c v b j`)

// foreignGeneric are words that say what kind of organisation a name is
// in languages other than English (Banco Nordhavn, Universidad de X,
// Grupo Y): like the English body words they do not tell two names apart.
var foreignGeneric = setOf(`banco banca banque bank universidad universidade universite universitat universita instituto institut istituto
	grupo gruppo groupe gruppe compania companhia compagnie empresa empresas sociedad societe societa corporacion
	ministerio ministere ministerium agencia agence autoridad autorite comision commissione hospital hopital ospedale
	telecomunicaciones telecomunicacoes telecommunications telecom telekom servicios services industrias industries
	de del la las los el do da dos das di du des le et y e und der die das van von`)

// descriptors are English words that say what an organisation does or
// where, not which one it is: "Marine Engineering (Korea)" describes a
// shipyard, "Nordhavn Marine Engineering" names one by Nordhavn.
var descriptors = setOf(`marine ocean offshore national state public private regional municipal provincial federal general global
	international technical technology technologies scientific industrial commercial mobile digital electric electrical power
	water gas oil precision heavy light advanced applied medical health financial`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
