package target

import (
	"testing"
)

// The names below are invented (Castellano Shipping, Nordhavn, Orvanta):
// each rule has an example and a counter-example.

func TestSplitNameCell(t *testing.T) {
	tests := []struct {
		name, cell, wantName, wantAlias string
	}{
		{"latin alias of a chinese name", "卡斯特拉诺航运(Castellano Shipping)", "卡斯特拉诺航运", "Castellano Shipping"},
		{"acronym alias", "诺德哈文港务局（NPA）", "诺德哈文港务局", "NPA"},
		{"city remark in the same script", "卡斯特拉诺航运（热那亚）", "卡斯特拉诺航运", ""},
		{"latin remark in a latin name", "Nordhavn Shipping (Bergen)", "Nordhavn Shipping", ""},
		{"no parenthesis", "Nordhavn Shipping", "Nordhavn Shipping", ""},
		{"unclosed parenthesis is kept whole", "Nordhavn (Bergen", "Nordhavn (Bergen", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, a := splitNameCell(tt.cell)
			if n != tt.wantName || a != tt.wantAlias {
				t.Errorf("splitNameCell(%q) = %q, %q; want %q, %q", tt.cell, n, a, tt.wantName, tt.wantAlias)
			}
		})
	}
}

func TestUnitOf(t *testing.T) {
	tests := []struct{ name, cell, want string }{
		{"terabytes", "TB", "T"},
		{"unit with a remark", "GB (800-900)", "G"},
		{"records", "records", "RECORDS"},
		{"chinese records", "万条", "万条"},
		{"not a unit", "approx", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unitOf(tt.cell); got != tt.want {
				t.Errorf("unitOf(%q) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
}

func TestReadStatus(t *testing.T) {
	tests := []struct {
		name, cell string
		want       Status
	}{
		{"delivered", "已交付", StatusDelivered},
		{"waiting for delivery is taken, not delivered", "待交付", StatusTaken},
		{"not successful is an attempt", "未成功", StatusAttempted},
		{"vpn only is access", "仅VPN，未深入", StatusAccess},
		{"english exfil", "exfil in progress", StatusTaken},
		{"english not delivered", "not delivered yet", StatusTaken},
		{"english failed", "Failed – lure not opened", StatusAttempted},
		{"a name is no status", "Nordhavn Shipping", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadStatus(tt.cell); got != tt.want {
				t.Errorf("ReadStatus(%q) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
	if furthest(StatusAttempted, StatusDelivered) != StatusDelivered || furthest(StatusTaken, "") != StatusTaken {
		t.Error("furthest does not keep the later stage")
	}
}

func TestTransliterates(t *testing.T) {
	tests := []struct {
		name, han, latin string
		want             int // skeleton length, 0 for none
	}{
		{"shipping line", "卡斯特拉诺航运", "Castellano Shipping", 5},
		{"legal form and diacritics ignored", "奥尔万塔电力", "Orvantá Power S.A.", 4},
		{"two words", "瓦迪鲁马大学", "Wadi Ruma University", 4},
		{"generic foreign word skipped", "塞拉诺银行", "Banco Serrano", 3},
		{"other name", "卡斯特拉诺航运", "Nordhavn Shipping", 0},
		{"meaning, not sound", "星空光学", "Starlight Optics", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transliterates(tt.han, tt.latin, DefaultParams); got != tt.want {
				t.Errorf("transliterates(%q, %q) = %d, want %d", tt.han, tt.latin, got, tt.want)
			}
		})
	}
}

func TestTruncationOf(t *testing.T) {
	tests := []struct {
		name, short, long string
		want              bool
	}{
		{"cut at the start", "特拉诺航运公司", "卡斯特拉诺航运公司", true},
		{"without the body word", "卡斯特拉诺航运", "卡斯特拉诺航运公司", true},
		{"only the body left", "航运公司", "卡斯特拉诺航运公司", false},
		{"another name", "诺德航运公司", "卡斯特拉诺航运公司", false},
		{"a longer word after it is not a body", "卡斯特拉诺", "卡斯特拉诺航运集团总部", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := truncationOf(tt.short, tt.long, DefaultParams); got != tt.want {
				t.Errorf("truncationOf(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
			}
		})
	}
}

func TestSpell(t *testing.T) {
	b := &builder{opts: Options{}}
	b.opts.defaults()
	tests := []struct{ name, a, c string }{
		{"diacritics", "Compañía Nordhavn", "Compania Nordhavn"},
		{"legal form", "Nordhavn Shipping GmbH", "Nordhavn Shipping"},
		{"dotted legal form", "Orvanta Power S.A.", "Orvanta Power"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if x, y := b.spell(tt.a), b.spell(tt.c); x != y {
				t.Errorf("spell(%q) = %q, spell(%q) = %q; want equal", tt.a, x, tt.c, y)
			}
		})
	}
	if b.spell("Nordhavn Shipping") == b.spell("Nordhavn Mining") {
		t.Error("different names spell alike")
	}
}

func TestContractorLike(t *testing.T) {
	tests := []struct {
		name    string
		aliases []string
		want    bool
	}{
		{"security contractor", []string{"诺德信息安全技术有限公司", "Nordhavn"}, true},
		{"english infosec firm", []string{"Nordhavn InfoSec Ltd"}, true},
		{"a shipping company", []string{"卡斯特拉诺航运", "Castellano Shipping"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &group{aliases: map[string]bool{}}
			for _, a := range tt.aliases {
				g.aliases[a] = true
			}
			if got := contractorLike(g); got != tt.want {
				t.Errorf("contractorLike(%q) = %v, want %v", tt.aliases, got, tt.want)
			}
		})
	}
}

func TestShortFormOf(t *testing.T) {
	tests := []struct {
		name, short, long string
		want              bool
	}{
		{"initials", "NSL", "Nordhavn Shipping Lines", true},
		{"initials with a legal form", "NSLC", "Nordhavn Shipping Lines", true},
		{"hyphenated words", "NBSC", "Nordhavn–Bergen Shipping Commission", true},
		{"first distinctive word", "Castellano", "Castellano Shipping", true},
		{"other initials", "OPC", "Nordhavn Shipping Lines", false},
		{"a short word is no name", "Acme", "Acme Shipping", false},
		{"the same spelling", "Castellano Shipping", "Castellano Shipping", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shortFormOf(tt.short, tt.long); got != tt.want {
				t.Errorf("shortFormOf(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
			}
		})
	}
}

func TestLatinTruncationOf(t *testing.T) {
	tests := []struct {
		name, short, long string
		want              bool
	}{
		{"cut at a dash", "Bergen Strait Commission", "Nordhavn–Bergen Strait Commission", true},
		{"cut at a space", "Bergen Strait Commission", "Nordhavn Bergen Strait Commission", true},
		{"only body words left", "Shipping Commission", "Nordhavn Shipping Commission", false},
		{"cut inside a word", "ergen Shipping Commission", "Nordhavn Bergen Shipping Commission", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := latinTruncationOf(tt.short, tt.long); got != tt.want {
				t.Errorf("latinTruncationOf(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
			}
		})
	}
}

func TestDescribedOnly(t *testing.T) {
	tests := []struct {
		name  string
		latin []string
		han   []string
		want  bool
	}{
		{"body and descriptor words", []string{"Marine Engineering (Korea)"}, nil, true},
		{"a name", []string{"Nordhavn Marine Engineering"}, nil, false},
		{"a chinese spelling names it", []string{"Marine Engineering"}, []string{"诺德海洋工程"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describedOnly(&rootInfo{latin: tt.latin, han: tt.han}); got != tt.want {
				t.Errorf("describedOnly(%q, %q) = %v, want %v", tt.latin, tt.han, got, tt.want)
			}
		})
	}
}

func TestDisplayWordRules(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) bool
		in   string
		want bool
	}{
		{"described", onlyDescribes, "Marine Engineering", true},
		{"named", onlyDescribes, "Nordhavn Marine Engineering", false},
		{"a national airline's name is no description", onlyDescribes, "Air", false},
		{"informal order", informalOrder, "Foreign Ministry", true},
		{"formal order", informalOrder, "Ministry of Foreign Affairs", false},
		{"one word", informalOrder, "Ministry", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(tt.in); got != tt.want {
				t.Errorf("(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
