package findings

import (
	"cmp"
	"slices"

	"github.com/leakscope/leakscope/internal/attack"
)

// IOC is one indicator of the case with its decided role.
type IOC struct {
	Kind    string  `json:"kind"`
	Value   string  `json:"value"`
	Role    Role    `json:"role"`
	Purpose Purpose `json:"purpose,omitempty"`
	// Rule names the rule that decided the role ("" for unknown).
	Rule string `json:"rule,omitempty"`
	// FirstSeen and LastSeen are the earliest and latest dates written
	// beside the mentions (YYYY-MM-DD or YYYY-MM), "" when none is.
	FirstSeen string     `json:"first_seen,omitempty"`
	LastSeen  string     `json:"last_seen,omitempty"`
	Mentions  int        `json:"mentions"`
	Evidence  []Evidence `json:"evidence"`
}

// Technique is an ATT&CK technique the leak shows, with its evidence.
type Technique struct {
	attack.Technique
	Rules    []string   `json:"rules"`
	Evidence []Evidence `json:"evidence"`
}

// Tool is an ATT&CK software entry the leak shows in use.
type Tool struct {
	attack.Software
	Evidence []Evidence `json:"evidence"`
}

// Result is the case-wide findings.
type Result struct {
	IOCs       []IOC       `json:"iocs"`
	Techniques []Technique `json:"techniques"`
	Tools      []Tool      `json:"tools"`
}

// IOC returns the indicator of kind and value, if any.
func (r *Result) IOC(kind, value string) (IOC, bool) {
	for _, i := range r.IOCs {
		if i.Kind == kind && i.Value == value {
			return i, true
		}
	}
	return IOC{}, false
}

// freemailDomains are shared mail providers: an address there says
// nothing about the domain's other users, so no role spreads over them.
var freemailDomains = kinds("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
	"icloud.com", "proton.me", "protonmail.com", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net",
	"sina.com", "sina.cn", "sohu.com", "139.com", "aliyun.com", "mail.ru", "yandex.ru")

// spreadRules give an indicator the role of a decided one it shares a
// host with, when that role precedes its own (rolePrecedence): a victim's
// domain makes every address under it a victim asset, even one a note
// calls a jump box, while an attacker's host only claims the undecided.
var spreadRules = []struct {
	name  string
	from  []Role // roles that spread
	kinds map[string]bool
	// sub says whether a subdomain of the decided host inherits too.
	sub bool
}{
	// "ops@acme-sec.example" is the contractor's (staff list), so
	// "hr@acme-sec.example" and "www.acme-sec.example" are too.
	{"domain-of-own", []Role{RoleOwn}, nameKinds, true},
	// "it@mail.nordhavn.example" is a victim's, so "mail.nordhavn.example"
	// and the addresses under it are.
	{"domain-of-victim", []Role{RoleVictim}, nameKinds, true},
	// "198.51.100.9" is a C2, so "http://198.51.100.9:8443/up" is.
	{"host-of-attacker", []Role{RoleAttacker, RolePhishing}, hostKinds, true},
	// "hr@acme-hr.example" sends from the phishing domain "acme-hr.example".
	// Only a phishing domain claims its addresses: a domain a note calls
	// a C2 may still be the company's, and its staff are not indicators.
	{"sender-at-phishing-domain", []Role{RolePhishing}, kinds("email"), true},
}

// Combine folds the observations of every document into one IOC per
// value, one Technique per ATT&CK id and one Tool per software entry,
// in a stable order. It reads no text.
func Combine(obs []Observation, p Params) Result {
	p = p.withDefaults()
	type key struct{ kind, value string }
	byKey := map[key]*IOC{}
	var order []key
	for _, o := range obs {
		for _, v := range o.Votes {
			k := key{v.Kind, v.Value}
			i := byKey[k]
			if i == nil {
				i = &IOC{Kind: v.Kind, Value: v.Value, Role: RoleUnknown}
				byKey[k] = i
				order = append(order, k)
			}
			i.Mentions++
			if v.Rule != "" && (i.Rule == "" || precedence(v.Role) < precedence(i.Role)) {
				i.Role, i.Purpose, i.Rule = v.Role, v.Purpose, v.Rule
			}
			seen(i, v.Evidence.Date)
		}
	}
	// Evidence: the votes for the decided role first, then the others.
	for _, o := range obs {
		for _, v := range o.Votes {
			i := byKey[key{v.Kind, v.Value}]
			if v.Role == i.Role {
				addEvidence(&i.Evidence, v.Evidence, p.MaxEvidence)
			}
		}
	}
	for _, o := range obs {
		for _, v := range o.Votes {
			addEvidence(&byKey[key{v.Kind, v.Value}].Evidence, v.Evidence, p.MaxEvidence)
		}
	}
	iocs := make([]IOC, 0, len(order))
	for _, k := range order {
		iocs = append(iocs, *byKey[k])
	}
	spread(iocs)
	slices.SortFunc(iocs, func(a, b IOC) int {
		return cmp.Or(cmp.Compare(slices.Index(Roles, a.Role), slices.Index(Roles, b.Role)),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	return Result{IOCs: iocs, Techniques: combineTechniques(obs, p), Tools: combineTools(obs, p)}
}

// spread applies spreadRules to the undecided indicators.
func spread(iocs []IOC) {
	for _, r := range spreadRules {
		type decided struct {
			host    string
			role    Role
			purpose Purpose
		}
		var from []decided
		for _, i := range iocs {
			h := host(i.Kind, i.Value)
			if i.Rule != "" && slices.Contains(r.from, i.Role) && h != "" && !freemailDomains[h] {
				from = append(from, decided{h, i.Role, i.Purpose})
			}
		}
		for n := range iocs {
			i := &iocs[n]
			if !r.kinds[i.Kind] {
				continue
			}
			h := host(i.Kind, i.Value)
			for _, d := range from {
				if precedence(d.role) < precedence(i.Role) && (h == d.host || r.sub && under(h, d.host)) {
					i.Role, i.Purpose, i.Rule = d.role, d.purpose, r.name
					break
				}
			}
		}
	}
}

// seen widens the IOC's first and last seen by date.
func seen(i *IOC, date string) {
	if date == "" {
		return
	}
	if i.FirstSeen == "" || date < i.FirstSeen {
		i.FirstSeen = date
	}
	if date > i.LastSeen {
		i.LastSeen = date
	}
}

func addEvidence(list *[]Evidence, e Evidence, limit int) {
	if len(*list) >= limit || slices.Contains(*list, e) {
		return
	}
	*list = append(*list, e)
}

func combineTechniques(obs []Observation, p Params) []Technique {
	byID := map[string]*Technique{}
	for _, o := range obs {
		for _, h := range o.Techniques {
			t := byID[h.ID]
			if t == nil {
				at, ok := attack.LookupTechnique(h.ID)
				if !ok {
					continue
				}
				t = &Technique{Technique: at}
				byID[h.ID] = t
			}
			if !slices.Contains(t.Rules, h.Rule) {
				t.Rules = append(t.Rules, h.Rule)
			}
			addEvidence(&t.Evidence, h.Evidence, p.MaxEvidence)
		}
	}
	out := make([]Technique, 0, len(byID))
	for _, t := range byID {
		slices.Sort(t.Rules)
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Technique) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func combineTools(obs []Observation, p Params) []Tool {
	byID := map[string]*Tool{}
	for _, o := range obs {
		for _, h := range o.Tools {
			t := byID[h.ID]
			if t == nil {
				s, ok := softwareByID(h.ID)
				if !ok {
					continue
				}
				t = &Tool{Software: s}
				byID[h.ID] = t
			}
			addEvidence(&t.Evidence, h.Evidence, p.MaxEvidence)
		}
	}
	out := make([]Tool, 0, len(byID))
	for _, t := range byID {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tool) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func softwareByID(id string) (attack.Software, bool) {
	for _, s := range attack.AllSoftware() {
		if s.ID == id {
			return s, true
		}
	}
	return attack.Software{}, false
}
