package pinyin

import "strings"

// surnameList holds common Chinese surnames, simplified and traditional,
// with the reading used as a surname. Polyphonic characters carry only
// their surname reading here (单 shan, 曾 zeng, 区 ou, 解 xie, 朴 piao);
// Of adds the everyday readings from CC-CEDICT.
const surnameList = `
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou
徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo
郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao
彭peng 曾zeng 肖xiao 萧xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai
余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv,lu 丁ding 任ren 沈shen
姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin
石shi 廖liao 贾jia 夏xia 韦wei 付fu 傅fu 方fang 白bai 邹zou 孟meng
熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 阎yan 段duan 雷lei 侯hou
龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao
万wan 钱qian 严yan 覃qin 武wu 戴dai 莫mo 孔kong 向xiang 汤tang
常chang 温wen 康kang 施shi 文wen 牛niu 樊fan 葛ge 邢xing 安an
齐qi 易yi 乔qiao 伍wu 庞pang 颜yan 倪ni 庄zhuang 聂nie 章zhang
鲁lu 岳yue 翟zhai 殷yin 詹zhan 申shen 欧ou 耿geng 关guan 兰lan
焦jiao 俞yu 左zuo 柳liu 甘gan 祝zhu 包bao 宁ning 尚shang 符fu
舒shu 阮ruan 柯ke 纪ji 梅mei 童tong 凌ling 毕bi 单shan 季ji
裴pei 霍huo 涂tu 成cheng 苗miao 谷gu 盛sheng 曲qu 翁weng 冉ran
骆luo 蓝lan 路lu 游you 辛xin 靳jin 管guan 柴chai 蒙meng 鲍bao
华hua 喻yu 祁qi 蒲pu 房fang 滕teng 屈qu 饶rao 解xie 牟mou
艾ai 尤you 阳yang 时shi 穆mu 农nong 司si 卓zhuo 古gu 吉ji
缪miao 简jian 车che 项xiang 连lian 麦mai 褚chu 娄lou 窦dou 戚qi
岑cen 景jing 党dang 宫gong 费fei 卜bu 冷leng 晏yan 席xi 卫wei
米mi 柏bai 宗zong 瞿qu 桂gui 全quan 佟tong 应ying 臧zang 闵min
苟gou 邬wu 边bian 卞bian 姬ji 师shi 和he 仇qiu 栾luan 隋sui
商shang 刁diao 沙sha 荣rong 巫wu 寇kou 桑sang 郎lang 甄zhen 丛cong
仲zhong 虞yu 敖ao 巩gong 明ming 佘she 池chi 查zha 麻ma 苑yuan
迟chi 邝kuang 区ou 朴piao 盖ge 乐yue,le 尉wei 繁po 过guo 召shao
陳chen 張zhang 劉liu 楊yang 黃huang 趙zhao 吳wu 孫sun 馬ma 鄭zheng
羅luo 謝xie 許xu 韓han 馮feng 鄧deng 蕭xiao 蔣jiang 葉ye 蘇su
呂lv,lu 盧lu 鍾zhong 鐘zhong 譚tan 陸lu 賈jia 韋wei 鄒zou 閻yan
龍long 賀he 顧gu 龔gong 萬wan 錢qian 嚴yan 戴dai 湯tang 溫wen
龐pang 顏yan 聶nie 魯lu 歐ou 關guan 蘭lan 紀ji 畢bi 單shan
駱luo 藍lan 鮑bao 華hua 饒rao 鄔wu 邊bian 師shi 欒luan 劉liu
`

// compound lists two-character surnames read as one.
var compound = map[string]string{
	"欧阳": "ouyang", "歐陽": "ouyang", "司马": "sima", "司馬": "sima", "诸葛": "zhuge", "諸葛": "zhuge",
	"上官": "shangguan", "东方": "dongfang", "東方": "dongfang", "皇甫": "huangfu", "慕容": "murong",
	"令狐": "linghu", "长孙": "zhangsun", "長孫": "zhangsun", "宇文": "yuwen", "司徒": "situ",
	"夏侯": "xiahou", "尉迟": "yuchi", "尉遲": "yuchi", "公孙": "gongsun", "公孫": "gongsun",
	"端木": "duanmu", "独孤": "dugu", "獨孤": "dugu", "南宫": "nangong", "南宮": "nangong",
	"西门": "ximen", "西門": "ximen", "申屠": "shentu", "轩辕": "xuanyuan", "軒轅": "xuanyuan",
}

// surnames is surnameList parsed.
var surnames = func() Table {
	t := Table{}
	for _, f := range strings.Fields(surnameList) {
		for i, r := range f {
			if r < 0x80 {
				t.add([]rune(f[:i])[0], strings.Split(f[i:], ",")...)
				break
			}
		}
	}
	return t
}()
