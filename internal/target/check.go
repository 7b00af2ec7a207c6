package target

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/netip"
	"slices"
	"strings"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/leak"
)

// Watch entry types.
const (
	WatchOrg     = "org"
	WatchDomain  = "domain"
	WatchCIDR    = "cidr"
	WatchIP      = "ip"
	WatchEmail   = "email"
	WatchKeyword = "keyword"
)

// WatchEntry is one thing a defender looks for.
type WatchEntry struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Type    string   `json:"type"`
}

// Hit is every place one watch entry matched one value (DESIGN.md `check`).
type Hit struct {
	Watch string   `json:"watch"`
	Type  string   `json:"type"`
	Value string   `json:"value"`
	Paths []string `json:"paths"`
}

// ParseWatchList reads a watch list. Two formats are accepted:
//
//   - JSON: an array of {"name", "aliases", "type"} objects;
//   - text: one entry per line, "type: value | alias | alias", where type
//     is org, domain, cidr, ip, email or keyword; blank lines and lines
//     starting with # are ignored; a line without "type:" is an org.
//
// Example:
//
//	org: Ministry of Finance Chile | 智利财政部 | MoF Chile
//	org: NVTL
//	domain: example.com
//	cidr: 203.0.113.0/24
func ParseWatchList(r io.Reader) ([]WatchEntry, error) {
	b, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read watch list: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var ws []WatchEntry
		if err := json.Unmarshal(t, &ws); err != nil {
			return nil, fmt.Errorf("parse watch list: %w", err)
		}
		for i := range ws {
			if ws[i].Type == "" {
				ws[i].Type = WatchOrg
			}
			if err := validate(ws[i]); err != nil {
				return nil, fmt.Errorf("parse watch list: entry %d: %w", i+1, err)
			}
		}
		return ws, nil
	}
	var ws []WatchEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		typ := WatchOrg
		if i := strings.Index(line, ":"); i > 0 {
			t := strings.ToLower(strings.TrimSpace(line[:i]))
			if slices.Contains([]string{WatchOrg, WatchDomain, WatchCIDR, WatchIP, WatchEmail, WatchKeyword}, t) {
				typ, line = t, line[i+1:]
			}
		}
		parts := strings.Split(line, "|")
		w := WatchEntry{Name: strings.TrimSpace(parts[0]), Type: typ}
		for _, a := range parts[1:] {
			if a = strings.TrimSpace(a); a != "" {
				w.Aliases = append(w.Aliases, a)
			}
		}
		if err := validate(w); err != nil {
			return nil, fmt.Errorf("parse watch list: line %d: %w", n, err)
		}
		ws = append(ws, w)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read watch list: %w", err)
	}
	return ws, nil
}

func validate(w WatchEntry) error {
	if w.Name == "" {
		return fmt.Errorf("empty name")
	}
	switch w.Type {
	case WatchOrg, WatchDomain, WatchEmail, WatchKeyword:
	case WatchCIDR:
		if _, err := netip.ParsePrefix(w.Name); err != nil {
			return fmt.Errorf("cidr %q: %w", w.Name, err)
		}
	case WatchIP:
		if _, err := netip.ParseAddr(w.Name); err != nil {
			return fmt.Errorf("ip %q: %w", w.Name, err)
		}
	default:
		return fmt.Errorf("unknown type %q", w.Type)
	}
	return nil
}

// orgKeys returns the organisation keys a watch name stands for: the org
// detector's keys, with a country named anywhere in the name filled in
// ("Ministry of Finance Chile").
func orgKeys(name string, fold func(string) string) []string {
	text := []byte(name)
	country := ""
	for i := 0; i < len(text); i++ {
		if c, n := geo.At(text, i); n > 0 && c != geo.International {
			country = c
			break
		}
	}
	var keys []string
	org.Detector{}.Detect(text, func(m entity.Match) {
		k := org.Key(m.Norm)
		if k.Country == "" {
			k.Country = country
		}
		if k.Country == "" && k.Name == k.Body {
			return // a bare body names nothing
		}
		k.Name = fold(k.Name)
		if isLatinString(k.Name) {
			k.Name = strings.ToLower(k.Name)
		}
		keys = append(keys, k.Norm())
	})
	return keys
}

// Check returns every hit of the watch list in docs, sorted by watch entry
// then value.
func Check(docs iter.Seq[Doc], watch []WatchEntry, opts Options) []Hit {
	opts.defaults()
	type hk struct {
		w     int
		value string
	}
	paths := map[hk]map[string]bool{}
	hit := func(w int, value, path string) {
		k := hk{w, value}
		if paths[k] == nil {
			paths[k] = map[string]bool{}
		}
		paths[k][path] = true
	}
	keys := make([]map[string]bool, len(watch))
	var prefixes []netip.Prefix
	for i, w := range watch {
		switch w.Type {
		case WatchOrg:
			keys[i] = map[string]bool{}
			for _, n := range append([]string{w.Name}, w.Aliases...) {
				for _, k := range orgKeys(n, opts.Fold) {
					keys[i][k] = true
				}
			}
		case WatchCIDR:
			p, _ := netip.ParsePrefix(w.Name)
			prefixes = append(prefixes, p.Masked())
		case WatchIP:
			a, _ := netip.ParseAddr(w.Name)
			prefixes = append(prefixes, netip.PrefixFrom(a, a.BitLen()))
		default:
			prefixes = append(prefixes, netip.Prefix{})
		}
	}
	b := &builder{opts: opts}
	for d := range docs {
		units := []string{d.Text, d.Translation}
		for _, p := range d.Pages {
			units = append(units, p.Text)
		}
		for _, u := range units {
			if u == "" {
				continue
			}
			ms := opts.Scan([]byte(u))
			pi := 0
			for i, w := range watch {
				switch w.Type {
				case WatchOrg:
					for _, m := range ms {
						if m.Kind == leak.KindOrg && keys[i][b.key(m.Norm)] {
							hit(i, m.Value, d.Path)
						}
					}
					for _, n := range append([]string{w.Name}, w.Aliases...) {
						if s, e, ok := findSpelling(u, n, opts.Fold); ok {
							hit(i, u[s:e], d.Path)
						}
					}
				case WatchDomain:
					dom := strings.ToLower(strings.TrimPrefix(w.Name, "*."))
					for _, m := range ms {
						host := ""
						switch m.Kind {
						case leak.KindDomain:
							host = m.Norm
						case leak.KindEmail:
							host = m.Norm[strings.LastIndexByte(m.Norm, '@')+1:]
						case leak.KindURL:
							continue // its host is reported as a domain
						}
						if host == dom || strings.HasSuffix(host, "."+dom) {
							hit(i, m.Norm, d.Path)
						}
					}
				case WatchEmail:
					for _, m := range ms {
						if m.Kind == leak.KindEmail && strings.EqualFold(m.Norm, w.Name) {
							hit(i, m.Norm, d.Path)
						}
					}
				case WatchKeyword:
					for _, n := range append([]string{w.Name}, w.Aliases...) {
						lu, ln := strings.ToLower(opts.Fold(u)), strings.ToLower(opts.Fold(n))
						if ln != "" && strings.Contains(lu, ln) {
							hit(i, n, d.Path)
						}
					}
				case WatchCIDR, WatchIP:
					p := prefixes[pi]
					for _, m := range ms {
						if m.Kind != leak.KindIPv4 && m.Kind != leak.KindIPv6 {
							continue
						}
						s := m.Norm
						if j := strings.IndexByte(s, '/'); j >= 0 {
							s = s[:j]
						}
						if a, err := netip.ParseAddr(s); err == nil && p.Contains(a) {
							hit(i, m.Norm, d.Path)
						}
					}
				}
				if w.Type != WatchOrg {
					pi++
				}
			}
		}
	}
	var out []Hit
	for k, ps := range paths {
		h := Hit{Watch: watch[k.w].Name, Type: watch[k.w].Type, Value: k.value}
		for p := range ps {
			h.Paths = append(h.Paths, p)
		}
		slices.Sort(h.Paths)
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, c Hit) int {
		if x := strings.Compare(a.Watch, c.Watch); x != 0 {
			return x
		}
		return strings.Compare(a.Value, c.Value)
	})
	return out
}
