package org

import "strings"

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
		奎:kui 昆:kun 拉:la 莱:lai 兰:lan 朗:lang 劳:lao 勒:le 雷:lei 蕾:lei 黎:li 里:li 利:li 莉:li 丽:li 林:lin 琳:lin
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

// Phonetic returns the toneless pinyin of r when r is one of the
// characters Chinese writes foreign sounds with (卡 ka, 斯 si, 特 te).
func Phonetic(r rune) (string, bool) {
	p, ok := phonetic[r]
	return p, ok
}
