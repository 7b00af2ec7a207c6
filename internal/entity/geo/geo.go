// Package geo detects countries and international bodies and maps them to
// ISO 3166-1 alpha-2 codes, or "INT" for an international organisation.
//
// # Names
//
// The name table is built at start-up from CLDR region display names
// (golang.org/x/text/language/display) in Chinese (Simplified and
// Traditional), English, French, German, Spanish, Portuguese, Italian,
// Russian, Japanese, Korean and Arabic, plus curated variants CLDR lacks
// (蒙古国, 哈薩克斯坦, Burma, USA), English demonyms (Indian, Pakistani) and
// the international bodies (NATO/北约/北約, EU/欧盟, ASEAN/东盟, UN/联合国,
// SCO/上合组织 ...). A few CLDR names that are also common words are left
// out (中非 "China-Africa", 加纳 in 增加纳税, Chad, Jersey).
//
// # Short forms
//
// Chinese writes a country as one character in context: 印方, 越外交部,
// 菲政府. A short form is read only when the next characters make the
// context clear (方, 方向, 政府, 某部, or a ministry, police or military
// word), never alone. 乌, 土, 尼 and 阿 are left out: each stands for
// several countries (Ukraine/Uzbekistan, Turkey/Turkmenistan, ...) or is a
// common word (土方 is earthwork).
package geo

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/leak"
)

// International is the code of an international body.
const International = "INT"

// Detector finds country and international-body mentions. Norm is the ISO
// 3166-1 alpha-2 code or "INT". It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindCountry} }

// Keywords implements entity.Detector.
func (Detector) Keywords() []string { return nil }

// Detect implements entity.Detector.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	for i := 0; i < len(text); {
		code, n := At(text, i)
		if n == 0 {
			code, n = ShortAt(text, i)
		}
		if n > 0 {
			emit(entity.Match{Kind: leak.KindCountry, Value: string(text[i : i+n]), Norm: code, Start: i, End: i + n})
			i += n
			continue
		}
		_, w := utf8.DecodeRune(text[i:])
		// Skip the rest of a Latin word so that names only match at word starts.
		if isLatin(text[i]) {
			for i < len(text) && isLatin(text[i]) {
				i++
			}
			continue
		}
		i += w
	}
}

// Body is an international organisation.
type Body struct {
	Name  string   // canonical English short name: NATO
	Long  string   // North Atlantic Treaty Organization
	Names []string // every spelling read
}

// Bodies are the international bodies detected, code "INT".
var Bodies = []Body{
	{"NATO", "North Atlantic Treaty Organization", []string{"NATO", "OTAN", "北约", "北約", "北大西洋公约组织", "北大西洋公約組織", "North Atlantic Treaty Organization", "North Atlantic Treaty Organisation"}},
	{"EU", "European Union", []string{"EU", "欧盟", "歐盟", "European Union", "欧洲联盟", "歐洲聯盟"}},
	{"ASEAN", "Association of Southeast Asian Nations", []string{"ASEAN", "东盟", "東盟", "東協", "东南亚国家联盟", "東南亞國家聯盟", "Association of Southeast Asian Nations"}},
	{"UN", "United Nations", []string{"UN", "联合国", "聯合國", "United Nations"}},
	{"SCO", "Shanghai Cooperation Organisation", []string{"SCO", "上合组织", "上合組織", "上海合作组织", "上海合作組織", "Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"}},
	{"AU", "African Union", []string{"非盟", "African Union"}},
	{"WHO", "World Health Organization", []string{"世卫组织", "世界卫生组织", "世界衛生組織", "World Health Organization"}},
	{"OSCE", "Organization for Security and Co-operation in Europe", []string{"OSCE", "欧安组织", "歐安組織"}},
	{"INTERPOL", "International Criminal Police Organization", []string{"INTERPOL", "Interpol", "国际刑警组织", "國際刑警組織"}},
	{"IMF", "International Monetary Fund", []string{"IMF", "国际货币基金组织", "國際貨幣基金組織", "International Monetary Fund"}},
	{"World Bank", "World Bank", []string{"World Bank", "世界银行", "世界銀行"}},
	{"OPEC", "Organization of the Petroleum Exporting Countries", []string{"OPEC", "欧佩克", "石油输出国组织"}},
	{"GCC", "Gulf Cooperation Council", []string{"海合会", "海合會", "Gulf Cooperation Council"}},
	{"SAARC", "South Asian Association for Regional Cooperation", []string{"SAARC", "南盟"}},
	{"APEC", "Asia-Pacific Economic Cooperation", []string{"APEC", "亚太经合组织", "亞太經合組織"}},
}

var (
	names = map[string]string{} // spelling -> code
	// cellNames are the names skipped in running text as common words
	// (Jordan, Chad): a country column says they are countries.
	cellNames = map[string]string{}
	byFirst   = map[rune][]int{}    // first rune -> byte lengths, longest first
	english   = map[string]string{} // code -> English name
	bodyOf    = map[string]string{} // spelling -> body short name
	demonyms  = map[string]string{}
)

var tableLangs = []string{"zh", "zh-Hant", "en", "fr", "de", "es", "pt", "it", "ru", "ja", "ko", "ar"}

// skip are CLDR names that are also common words.
var skip = map[string]bool{"中非": true, "加纳": true, "多哥": true, "Chad": true, "Jersey": true, "Guernsey": true, "Man": true, "Jordan": true, "Georgia": false}

var extra = map[string][]string{
	"MN": {"蒙古国", "蒙古國"}, "KZ": {"哈萨克斯坦", "哈薩克斯坦"}, "MM": {"Burma", "Myanmar"}, "US": {"USA", "U.S.", "U.S.A.", "United States of America", "America"},
	"GB": {"UK", "U.K.", "Britain", "Great Britain", "England"}, "KR": {"South Korea", "韩国", "南韩", "韓國", "南韓"}, "KP": {"North Korea", "朝鲜", "北韩", "北韓"},
	"RU": {"Russia", "俄罗斯", "俄羅斯"}, "VN": {"Vietnam", "Viet Nam", "越南"}, "LA": {"Laos", "老挝", "寮國"}, "HK": {"Hong Kong", "香港"}, "MO": {"Macau", "Macao", "澳门", "澳門"},
	"TW": {"Taiwan", "台湾", "臺灣", "台灣"}, "CN": {"China", "PRC", "中国", "中國", "中华人民共和国"}, "AE": {"UAE", "阿联酋", "阿聯酋"}, "CZ": {"Czech Republic"},
	"TR": {"Turkey", "Türkiye"}, "KG": {"Kyrgyzstan", "吉尔吉斯斯坦", "吉爾吉斯斯坦", "吉爾吉斯"}, "TM": {"土库曼斯坦", "土庫曼斯坦", "土庫曼"}, "TJ": {"塔吉克斯坦", "塔吉克"}, "UZ": {"乌兹别克斯坦", "烏茲別克斯坦", "烏茲別克"},
	"PH": {"Philippines", "菲律宾", "菲律賓"}, "CD": {"DR Congo", "DRC"}, "CI": {"Ivory Coast"}, "SZ": {"Swaziland"}, "MK": {"Macedonia"},
}

var demonymList = map[string][]string{
	"IN": {"Indian"}, "PK": {"Pakistani"}, "NP": {"Nepalese", "Nepali"}, "MM": {"Burmese", "Myanmar's"}, "MN": {"Mongolian"}, "MY": {"Malaysian"},
	"AF": {"Afghan"}, "FR": {"French"}, "TH": {"Thai"}, "KZ": {"Kazakh", "Kazakhstani"}, "TM": {"Turkmen"}, "KH": {"Cambodian"}, "PH": {"Philippine", "Filipino"},
	"VN": {"Vietnamese"}, "CN": {"Chinese"}, "JP": {"Japanese"}, "KR": {"Korean", "South Korean"}, "KP": {"North Korean"}, "US": {"American"}, "GB": {"British"},
	"RU": {"Russian"}, "DE": {"German"}, "ID": {"Indonesian"}, "BD": {"Bangladeshi"}, "LK": {"Sri Lankan"}, "UZ": {"Uzbek"}, "KG": {"Kyrgyz"}, "TJ": {"Tajik"},
	"IR": {"Iranian"}, "TR": {"Turkish"}, "IL": {"Israeli"}, "SA": {"Saudi"}, "AE": {"Emirati"}, "EG": {"Egyptian"}, "NG": {"Nigerian"},
	"AU": {"Australian"}, "CA": {"Canadian"}, "BR": {"Brazilian"}, "MX": {"Mexican"}, "UA": {"Ukrainian"}, "BY": {"Belarusian"}, "LA": {"Lao", "Laotian"},
	"SG": {"Singaporean"}, "TW": {"Taiwanese"}, "IT": {"Italian"}, "ES": {"Spanish"}, "NL": {"Dutch"}, "PL": {"Polish"}, "SE": {"Swedish"}, "NO": {"Norwegian"},
	"DK": {"Danish"}, "FI": {"Finnish"}, "GR": {"Greek"}, "PT": {"Portuguese"}, "CZ": {"Czech"}, "HU": {"Hungarian"}, "RO": {"Romanian"}, "BE": {"Belgian"},
	"CH": {"Swiss"}, "AT": {"Austrian"}, "IE": {"Irish"}, "QA": {"Qatari"}, "KW": {"Kuwaiti"}, "OM": {"Omani"}, "YE": {"Yemeni"}, "IQ": {"Iraqi"},
	"SY": {"Syrian"}, "JO": {"Jordanian"}, "LB": {"Lebanese"}, "ET": {"Ethiopian"}, "ZA": {"South African"}, "AR": {"Argentine", "Argentinian"},
	"CL": {"Chilean"}, "CO": {"Colombian"}, "PE": {"Peruvian"}, "VE": {"Venezuelan"}, "CU": {"Cuban"}, "BT": {"Bhutanese"}, "MV": {"Maldivian"},
	"UY": {"Uruguayan"}, "PY": {"Paraguayan"}, "BO": {"Bolivian"}, "EC": {"Ecuadorian"}, "PA": {"Panamanian"}, "CR": {"Costa Rican"},
	"NI": {"Nicaraguan"}, "HN": {"Honduran"}, "GT": {"Guatemalan"}, "SV": {"Salvadoran"}, "DO": {"Dominican"}, "HT": {"Haitian"},
	"JM": {"Jamaican"}, "GY": {"Guyanese"}, "SR": {"Surinamese"}, "TZ": {"Tanzanian"}, "UG": {"Ugandan"}, "RW": {"Rwandan"},
	"GH": {"Ghanaian"}, "SN": {"Senegalese"}, "ML": {"Malian"}, "TN": {"Tunisian"}, "LY": {"Libyan"}, "ZM": {"Zambian"},
	"ZW": {"Zimbabwean"}, "MZ": {"Mozambican"}, "AO": {"Angolan"}, "NA": {"Namibian"}, "BW": {"Botswanan"}, "SO": {"Somali"},
	"ER": {"Eritrean"}, "CM": {"Cameroonian"}, "CI": {"Ivorian"}, "IS": {"Icelandic"}, "EE": {"Estonian"}, "LV": {"Latvian"},
	"LT": {"Lithuanian"}, "SK": {"Slovak"}, "SI": {"Slovenian"}, "HR": {"Croatian"}, "RS": {"Serbian"}, "BA": {"Bosnian"},
	"AL": {"Albanian"}, "MK": {"Macedonian"}, "BG": {"Bulgarian"}, "MD": {"Moldovan"}, "MT": {"Maltese"}, "CY": {"Cypriot"},
	"BH": {"Bahraini"}, "NZ": {"New Zealander"}, "FJ": {"Fijian"}, "PG": {"Papua New Guinean"}, "KE": {"Kenyan"},
	"BN": {"Bruneian"}, "TL": {"Timorese"}, "AZ": {"Azerbaijani"}, "AM": {"Armenian"}, "GE": {"Georgian"}, "SD": {"Sudanese"}, "DZ": {"Algerian"}, "MA": {"Moroccan"},
}

// shortForms are the one-character Chinese forms and the context that
// must follow them.
var shortForms = map[string]string{
	"印": "IN", "巴": "PK", "菲": "PH", "越": "VN", "马": "MY", "馬": "MY", "缅": "MM", "緬": "MM", "哈": "KZ", "吉": "KG", "塔": "TJ",
	"蒙": "MN", "柬": "KH", "老": "LA", "泰": "TH", "孟": "BD", "俄": "RU", "美": "US", "英": "GB", "日": "JP", "韩": "KR", "韓": "KR", "朝": "KP",
}

// shortContext follows a short form; a body-type word (外交部, 警方 ...) is
// checked by the org package, which calls ShortAt with its own test.
var shortContext = []string{"方向", "方", "政府", "某部", "外交部", "外長", "外长", "国防部", "國防部", "内政部", "內政部", "财政部", "財政部", "军方", "軍方", "警方", "大使馆", "大使館", "使馆", "总统府", "總統府", "总理府"}

// noSide are short forms whose 方 reading is ambiguous (老方 is not Laos,
// 日方 is fine).
var noSide = map[string]bool{"老": true, "吉": true, "塔": true, "朝": true}

func init() {
	add := func(name, code string) {
		if name == "" {
			return
		}
		if skip[name] {
			cellNames[name] = code
			return
		}
		if _, ok := names[name]; ok {
			return
		}
		names[name] = code
	}
	for _, tag := range tableLangs {
		namer := display.Regions(language.MustParse(tag))
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				code := string([]rune{a, b})
				r, err := language.ParseRegion(code)
				if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize().String() != code {
					continue
				}
				n := namer.Name(r)
				if n == "" {
					continue
				}
				if tag == "en" {
					english[code] = n
				}
				for _, v := range variants(n) {
					add(v, code)
				}
			}
		}
	}
	for code, ns := range extra {
		for _, n := range ns {
			add(n, code)
			if code == "US" || code == "GB" || code == "CN" {
				continue
			}
			english[code] = cmpOr(english[code], n)
		}
	}
	for code, ns := range demonymList {
		for _, n := range ns {
			demonyms[n] = code
		}
	}
	for _, b := range Bodies {
		for _, n := range b.Names {
			names[n] = International
			bodyOf[n] = b.Name
		}
	}
	// Latin names also in upper case (INDIA), if long enough to be safe.
	for n, code := range names {
		if isLatin(n[0]) && len(n) >= 5 {
			if u := strings.ToUpper(n); u != n {
				if _, ok := names[u]; !ok {
					names[u] = code
					if b, ok := bodyOf[n]; ok {
						bodyOf[u] = b
					}
				}
			}
		}
	}
	for n := range names {
		r, _ := utf8.DecodeRuneInString(n)
		byFirst[r] = append(byFirst[r], len(n))
	}
	for r, ls := range byFirst {
		slices.Sort(ls)
		ls = slices.Compact(ls)
		slices.Reverse(ls)
		byFirst[r] = ls
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// variants splits CLDR names such as "Myanmar (Burma)" and "Hong Kong SAR
// China" into the spellings people write.
func variants(n string) []string {
	out := []string{n}
	if i := strings.Index(n, " ("); i > 0 && strings.HasSuffix(n, ")") {
		out = append(out, n[:i], n[i+2:len(n)-1])
	}
	if i := strings.Index(n, "（"); i > 0 {
		out = append(out, n[:i])
	}
	return out
}

// At returns the code of the country or international body whose name
// starts at text[i], and the byte length of the name, or ("", 0). The
// longest name wins; a Latin name must start and end at word boundaries.
func At(text []byte, i int) (string, int) {
	if i < 0 || i >= len(text) {
		return "", 0
	}
	r, _ := utf8.DecodeRune(text[i:])
	if isLatin(text[i]) && i > 0 && isLatin(text[i-1]) {
		return "", 0
	}
	for _, l := range byFirst[r] {
		if i+l > len(text) {
			continue
		}
		code, ok := names[string(text[i:i+l])]
		if !ok {
			continue
		}
		if isLatin(text[i]) && i+l < len(text) && (isLatin(text[i+l]) || text[i+l] >= '0' && text[i+l] <= '9') {
			continue
		}
		return code, l
	}
	return "", 0
}

// ShortAt returns the code of a one-character short form at text[i] that is
// followed by a context that makes it clear (印方, 越外交部), or ("", 0).
// The length returned covers the short form only.
func ShortAt(text []byte, i int) (string, int) {
	if i < 0 || i >= len(text) {
		return "", 0
	}
	r, w := utf8.DecodeRune(text[i:])
	if r < 0x3400 {
		return "", 0
	}
	code, ok := shortForms[string(r)]
	if !ok {
		return "", 0
	}
	// The character before must not make it part of a word (马来 is not
	// 马; 越南 handled by At; 东印 ...): it must not be a Han character
	// that forms a name with it.
	if i > 0 {
		pr, _ := utf8.DecodeLastRune(text[:i])
		if unicode.Is(unicode.Han, pr) && !strings.ContainsRune("对和与向在从把被给同跟、及或的是将往赴", pr) {
			return "", 0
		}
	}
	rest := text[i+w:]
	for _, c := range shortContext {
		if strings.HasPrefix(string(rest[:min(len(rest), len(c))]), c) {
			if (c == "方" || c == "方向") && noSide[string(r)] {
				return "", 0
			}
			return code, w
		}
	}
	return "", 0
}

// ShortCode returns the code of the one-character short form r, if any,
// without checking context.
func ShortCode(r rune) (string, bool) {
	c, ok := shortForms[string(r)]
	return c, ok
}

// English returns the English name of a code ("IN" -> "India"), the body
// name for INT spellings is returned by BodyName.
func English(code string) string {
	n := english[code]
	if i := strings.Index(n, " ("); i > 0 {
		n = n[:i]
	}
	return n
}

// BodyName returns the canonical short name of the international body
// spelled name ("北约" -> "NATO"), or "".
func BodyName(name string) string { return bodyOf[name] }

// Demonym returns the code of an English demonym ("Indian" -> "IN").
func Demonym(word string) (string, bool) {
	c, ok := demonyms[word]
	return c, ok
}

// Lookup returns the code of an exact name ("印度", "India", "NATO").
func Lookup(name string) (string, bool) {
	c, ok := names[name]
	return c, ok
}

func isLatin(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// internationalCells are what a country column writes for an
// international organisation instead of a country.
var internationalCells = map[string]bool{"int": true, "intl": true, "intl.": true, "international": true,
	"international organisation": true, "international organization": true, "intl. organisation": true,
	"intl. organization": true, "国际组织": true, "國際組織": true, "国际": true, "國際": true, "国际机构": true, "國際機構": true}

// Cell reads the cell of a table's country column: an ISO 3166-1 code
// (alpha-2 or alpha-3: "KE", "KEN"), a country name in any language of the
// name table (also one that running text skips as a common word: a
// "Jordan" under "Country" is the country), a demonym ("Kenyan"), or an
// international organisation ("INT", 国际组织, "International") as INT. A
// cell that only starts with a country name ("Kenya (Mombasa)", 肯尼亚
// 蒙巴萨) gives that country; a cell that says something else gives
// false.
func Cell(cell string) (string, bool) {
	c := strings.TrimSpace(strings.Trim(strings.TrimSpace(cell), "*:："))
	if c == "" {
		return "", false
	}
	if internationalCells[strings.ToLower(c)] {
		return International, true
	}
	if isISOCode(c) {
		r, err := language.ParseRegion(c)
		if err == nil && r.IsCountry() {
			return r.Canonicalize().String(), true
		}
	}
	if code, ok := names[c]; ok {
		return code, true
	}
	if code, ok := cellNames[c]; ok {
		return code, true
	}
	if code, ok := demonyms[c]; ok {
		return code, true
	}
	if code, n := At([]byte(c), 0); n > 0 {
		return code, true
	}
	return "", false
}

// isISOCode reports whether s is two or three upper-case ASCII letters.
func isISOCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
