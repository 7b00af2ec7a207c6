package lang

import (
	"slices"
	"strings"
)

// stopwords are the most frequent function words of each Latin-script
// language the detector knows. A word may belong to several languages; it
// then scores for each of them, and the words that are not shared decide.
var stopwords = map[string][]string{
	"en": strs(`the of and to in is that for it as was with be by on not he this are or his from at which but have an
		they you were her she there been one all we their has would when if so no will what can more about into out our
		your them than then these some could other its may only should those such any also after before because our
		please thanks dear regards attached following here were been do does did how who why where`),
	"fr": strs(`le la les de des du un une et est que qui dans pour pas sur au aux avec ce ces cette il elle ils sont
		nous vous par plus ne se son sa ses leur mais ou donc où été être avoir fait comme tout très aussi sans entre
		chez je tu mon ton notre votre bonjour merci cordialement`),
	"es": strs(`el la los las de del y en que es un una por con para no se su sus al lo como más pero este esta estos
		fue son está muy sin sobre entre también hay ya ser ha han hola gracias saludos usted nosotros ellos cuando donde`),
	"de": strs(`der die das und ist nicht ein eine einen dem den des zu mit von sich auf für im ist auch es als wir ihr
		sie er ich bei aus nach wird werden wurde sind war hat haben oder aber noch nur wie zum zur über durch dass kein
		diese dieser unter vom mfg grüße danke`),
	"pt": strs(`o a os as de do da dos das e em que um uma para com não por se na no nas nos ao mais como mas foi ser
		são está ele ela eles isso este esta pelo pela também muito já obrigado você vocês sobre entre quando onde`),
	"it": strs(`il lo la i gli le di del della dei delle e che è un una per con non si da al alla nel nella sono come
		ma più anche questo questa essere ha hanno perché quando dove grazie molto tra fra sul sulla degli`),
	"nl": strs(`de het een en van in is dat op te zijn met voor niet aan er die maar om ook als bij door naar uit dan
		nog wel wordt worden werd kan zal hij zij wij jullie deze dit geen over onder tot`),
	"id": strs(`yang dan di ini itu dengan untuk dari dalam tidak ke pada akan ada adalah juga oleh karena saya kami
		kita mereka anda sudah bisa atau tersebut lebih seperti telah harus sangat terima kasih`),
	"vi": strs(`của và là không có được những người trong cho các một này với đã để khi thì ra về như từ cũng sẽ
		đến theo nhưng hoặc vì tại bạn tôi chúng làm năm nhiều`),
	"tr": strs(`ve bir bu da de için ile olarak çok daha gibi ama en ne var mı değil olan sonra kadar ben sen biz
		siz onlar şu teşekkür ederim`),
}

func strs(s string) []string { return strings.Fields(s) }

var stopwordSet = func() map[string][]string {
	m := make(map[string][]string)
	for lang, ws := range stopwords {
		for _, w := range ws {
			if !slices.Contains(m[w], lang) {
				m[w] = append(m[w], lang)
			}
		}
	}
	return m
}()

// latinHints are letters that (nearly) only one language writes, weighted as
// strongly as a stopword each.
var latinHints = map[rune]string{
	'ñ': "es", '¿': "es", '¡': "es",
	'ß': "de",
	'œ': "fr", 'æ': "fr",
	'ã': "pt", 'õ': "pt",
	'ğ': "tr", 'ı': "tr", 'ş': "tr",
	'ơ': "vi", 'ư': "vi", 'đ': "vi", 'ă': "vi", 'ạ': "vi", 'ả': "vi", 'ấ': "vi", 'ầ': "vi", 'ẩ': "vi",
	'ẫ': "vi", 'ậ': "vi", 'ắ': "vi", 'ằ': "vi", 'ẳ': "vi", 'ẵ': "vi", 'ặ': "vi", 'ẹ': "vi", 'ẻ': "vi",
	'ẽ': "vi", 'ế': "vi", 'ề': "vi", 'ể': "vi", 'ễ': "vi", 'ệ': "vi", 'ỉ': "vi", 'ị': "vi", 'ọ': "vi",
	'ỏ': "vi", 'ố': "vi", 'ồ': "vi", 'ổ': "vi", 'ỗ': "vi", 'ộ': "vi", 'ớ': "vi", 'ờ': "vi", 'ở': "vi",
	'ỡ': "vi", 'ợ': "vi", 'ụ': "vi", 'ủ': "vi", 'ứ': "vi", 'ừ': "vi", 'ử': "vi", 'ữ': "vi", 'ự': "vi",
	'ỳ': "vi", 'ỵ': "vi", 'ỷ': "vi", 'ỹ': "vi",
}

// latinScores accumulates evidence for the Latin-script languages.
type latinScores struct {
	score   map[string]int
	letters int // Latin letters counted (outside technical tokens)
}

func (ls *latinScores) addWord(w string) {
	if w == "" {
		return
	}
	lw := strings.ToLower(w)
	for _, l := range stopwordSet[lw] {
		ls.score[l]++
	}
	for _, r := range lw {
		if r > 0x7F {
			if l, ok := latinHints[r]; ok {
				ls.score[l]++
			}
		}
	}
}

// best returns the winning language, or "en" as a weak default for Latin text
// without function words (logs, tables, names), or "" when too little is known.
func (ls *latinScores) best() string {
	bestLang, bestScore := "", 0
	for _, l := range latinOrder {
		if s := ls.score[l]; s > bestScore {
			bestLang, bestScore = l, s
		}
	}
	if bestScore > 0 {
		return bestLang
	}
	if ls.letters >= 12 {
		return "en"
	}
	return ""
}

// latinOrder breaks ties in favour of the more likely language of a leak.
var latinOrder = []string{"en", "fr", "es", "de", "pt", "it", "nl", "vi", "id", "tr"}
