package server

import (
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/browsertest"
)

// TestHostHeader sends requests whose Host header names this server, or a
// rebinding domain that resolved to it, to a real listener on 127.0.0.1.
func TestHostHeader(t *testing.T) {
	s, err := New(Options{Backend: newMemBackend(t), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler),
		Hosts: []string{"leakbox.lan", "localhost:9000"}})
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, s.ListenAndServe)
	u, _ := url.Parse(base)
	port := u.Port()
	tests := []struct {
		name string
		host string
		path string
		want int
	}{
		{name: "bound address", host: "127.0.0.1:" + port, path: "/api/v1/stats", want: 200},
		{name: "localhost", host: "localhost:" + port, path: "/api/v1/stats", want: 200},
		{name: "localhost in capitals with the root dot", host: "LOCALHOST.:" + port, path: "/", want: 200},
		{name: "listed name", host: "leakbox.lan:" + port, path: "/", want: 200},
		{name: "listed name with its own port", host: "localhost:9000", path: "/", want: 200},
		{name: "rebinding domain", host: "rebind.example:" + port, path: "/api/v1/stats", want: 421},
		{name: "rebinding domain, page", host: "rebind.example:" + port, path: "/", want: 421},
		{name: "rebinding domain, assets", host: "rebind.example:" + port, path: "/static/app.js", want: 421},
		{name: "rebinding domain without port", host: "rebind.example", path: "/", want: 421},
		{name: "subdomain of localhost is not localhost", host: "a.localhost:" + port, path: "/", want: 421},
		{name: "other port", host: "127.0.0.1:1", path: "/", want: 421},
		{name: "other loopback address", host: "127.0.0.2:" + port, path: "/", want: 421},
		{name: "ipv6 loopback on an ipv4 connection", host: "[::1]:" + port, path: "/", want: 421},
		{name: "listed name on another port", host: "leakbox.lan:1", path: "/", want: 421},
		{name: "port not a number", host: "127.0.0.1:http", path: "/", want: 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+tt.path, nil)
			req.Host = tt.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("Host %q %s = %d, want %d", tt.host, tt.path, resp.StatusCode, tt.want)
			}
			if tt.want == 421 && resp.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("421 without the security headers")
			}
		})
	}
}

// TestHostMatches covers the addresses a test listener cannot bind:
// IPv6, a LAN address, the default port.
func TestHostMatches(t *testing.T) {
	v6 := netip.MustParseAddrPort("[::1]:8080")
	lan := netip.MustParseAddrPort("192.168.1.5:8080")
	web := netip.MustParseAddrPort("127.0.0.1:80")
	tests := []struct {
		name   string
		header string
		tls    bool
		local  netip.AddrPort
		extra  []string
		want   bool
	}{
		{name: "ipv6 literal", header: "[::1]:8080", local: v6, want: true},
		{name: "localhost on ipv6 loopback", header: "localhost:8080", local: v6, want: true},
		{name: "lan address", header: "192.168.1.5:8080", local: lan, want: true},
		{name: "unspecified ipv6 dialled on a wildcard server reaches loopback", header: "[::]:8080", local: v6, want: true},
		{name: "unspecified ipv4 on loopback", header: "0.0.0.0:8080", local: netip.MustParseAddrPort("127.0.0.1:8080"), want: true},
		{name: "unspecified is not a lan address", header: "0.0.0.0:8080", local: lan, want: false},
		{name: "localhost is not a lan address", header: "localhost:8080", local: lan, want: false},
		{name: "listed name on a lan address", header: "leakbox.lan:8080", local: lan, extra: []string{"LeakBox.lan"}, want: true},
		{name: "no port means 80", header: "127.0.0.1", local: web, want: true},
		{name: "no port over tls means 443", header: "127.0.0.1", tls: true, local: web, want: false},
		{name: "bracketed ipv6 without port", header: "[::1]", local: netip.MustParseAddrPort("[::1]:80"), want: true},
		{name: "bare ipv6 is not a host", header: "::1", local: netip.MustParseAddrPort("[::1]:80"), want: false},
		{name: "empty host", header: ":8080", local: lan, want: false},
		{name: "empty header", header: "", local: web, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port, ok := splitHostHeader(tt.header, tt.tls)
			got := ok && hostMatches(host, port, tt.local, tt.extra)
			if got != tt.want {
				t.Errorf("Host %q on %s = %v, want %v", tt.header, tt.local, got, tt.want)
			}
		})
	}
}

// TestCrossOriginPost sends state-changing requests as another site's
// page would, each with a valid CSRF cookie and token, so only the
// Origin and Sec-Fetch-Site checks can refuse them.
func TestCrossOriginPost(t *testing.T) {
	s, ts, _ := newTestServer(t, Options{})
	csrf := csrfFor(s)
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{name: "same origin", headers: map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, want: 303},
		{name: "no browser headers (a script)", want: 303},
		{name: "cross-site fetch metadata without origin", headers: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: 403},
		{name: "same-site is not same-origin", headers: map[string]string{"Sec-Fetch-Site": "same-site"}, want: 403},
		{name: "foreign origin", headers: map[string]string{"Origin": "https://rebind.example"}, want: 403},
		{name: "opaque origin of a sandboxed frame", headers: map[string]string{"Origin": "null"}, want: 403},
		{name: "bearer token from another site", headers: map[string]string{"Authorization": "Bearer some-token", "Sec-Fetch-Site": "cross-site"}, want: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+"/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: csrf})
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("POST /logout = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// noRedirects is a client that returns redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// csrfFor mints a CSRF token as the server's csrfToken does.
func csrfFor(s *Server) string {
	return "test-nonce." + s.sign("csrf|test-nonce")
}
