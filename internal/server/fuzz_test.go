package server

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext checks that whatever the next parameter holds, the
// redirect after login stays on this site, also as a browser reads it: a
// browser drops tabs and newlines and takes a backslash for a slash.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/targets?sort=volume", "//rebind.example", "/\t/rebind.example", "/\\rebind.example",
		"https:rebind.example", "/%2F%2Frebind.example", "/a/../..//b", "/?next=//x#//y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither / nor the input", next, got)
		}
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("safeNext(%q) = %q, which a browser reads as %q", next, got, seen)
		}
		u, err := url.Parse(seen)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("safeNext(%q) = %q: host %q, scheme %q, %v", next, got, u.Host, u.Scheme, err)
		}
	})
}

// FuzzHostHeader checks that no Host header panics the check, and that
// one that passes on a loopback address names that address, localhost, or
// the unspecified address (the URL serve prints when bound to 0.0.0.0 or
// ::, which a browser on the same machine sends back; a rebinding page
// names its own domain instead).
func FuzzHostHeader(f *testing.F) {
	for _, s := range []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "rebind.example:8080", "[", "]:", ":8080", "[::1%lo]:8080", "127.0.0.1:99999"} {
		f.Add(s, false)
	}
	local := netip.MustParseAddrPort("127.0.0.1:8080")
	f.Fuzz(func(t *testing.T, header string, tls bool) {
		host, port, ok := splitHostHeader(header, tls)
		if !ok || !hostMatches(host, port, local, nil) {
			return
		}
		if port != 8080 {
			t.Fatalf("Host %q passed with port %d", header, port)
		}
		if ip, err := netip.ParseAddr(host); err == nil {
			if ip.Unmap() != local.Addr() && !ip.IsUnspecified() {
				t.Fatalf("Host %q passed as %s", header, ip)
			}
		} else if !isLocalhostName(host) {
			t.Fatalf("Host %q passed as the name %q", header, host)
		}
	})
}
