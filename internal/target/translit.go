package target

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/leakscope/leakscope/internal/entity/org"
)

// Transliterations.
//
// Chinese writes a foreign proper name by sound (音译): a made-up
// "Castellano Shipping" becomes 卡斯特拉诺航运, ka-si-te-la-nuo plus the
// word for shipping. Those characters come from a small set that Chinese
// keeps for foreign sounds (卡, 斯, 特, 拉, 诺, 尔, 亚 ...: org.Phonetic), so a run of
// them at the start of a name is a transliteration, and its reading can
// be compared with the Latin names of the case: a consonant skeleton
// (transliterations keep the consonants and change the vowels) of
// ka-si-te-la-nuo is K S T L N, and so is the skeleton of "Castellano".

// phoneticRun returns the leading run of transliteration characters of a
// Chinese name and their readings (卡斯特拉诺航运: 卡斯特拉诺, ka si te la
// nuo), or "" when the name does not start with at least minRun of them.
func phoneticRun(name string, minRun int) (string, []string) {
	var run strings.Builder
	var readings []string
	for _, r := range name {
		p, ok := org.Phonetic(r)
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
