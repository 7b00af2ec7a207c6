package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// A DNS-rebinding page is served from a name its author controls (say
// rebind.example), then points that name at 127.0.0.1: the browser treats
// our loopback server as same-origin with the page and lets its scripts
// read every answer. The one thing the page cannot change is the Host
// header, which still says rebind.example. So every request must name this
// server: the IP address the connection arrived on, "localhost" (or the
// unspecified address, 0.0.0.0 or ::) when that address is loopback, or a
// name the operator listed in Options.Hosts, each with the port the
// connection arrived on unless the entry gives one.

// checkHost refuses a request whose Host header does not name this server
// (ErrMisdirected, 421).
func (s *Server) checkHost(r *http.Request) error {
	local, ok := s.localAddr(r)
	if !ok {
		return fmt.Errorf("no local address: %w", ErrMisdirected)
	}
	host, port, ok := splitHostHeader(r.Host, r.TLS != nil)
	if !ok {
		return fmt.Errorf("host header %q: %w", r.Host, ErrMisdirected)
	}
	if hostMatches(host, port, local, s.opts.Hosts) {
		return nil
	}
	return fmt.Errorf("host header %q on %s: %w", r.Host, local, ErrMisdirected)
}

// localAddr is the address the request's connection arrived on; without
// one (a handler called directly in a test) it is the configured address.
func (s *Server) localAddr(r *http.Request) (netip.AddrPort, bool) {
	a := s.opts.Addr
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		a = la.String()
	}
	ap, err := netip.ParseAddrPort(a)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// hostMatches is the rule of the comment above. An entry of extra is
// "name" (any of this server's ports) or "name:port" (that port only, for
// an SSH tunnel whose local port differs, such as localhost:9000).
func hostMatches(host string, port uint16, local netip.AddrPort, extra []string) bool {
	for _, e := range extra {
		name, p := e, local.Port()
		if hh, pp, err := net.SplitHostPort(e); err == nil {
			n, err := strconv.ParseUint(pp, 10, 16)
			if err != nil {
				continue
			}
			name, p = hh, uint16(n)
		}
		if strings.EqualFold(strings.Trim(name, "[]"), host) && p == port {
			return true
		}
	}
	if port != local.Port() {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		// A client that dials the address a wildcard server printed
		// (http://[::]:8080/) reaches loopback and says so in Host. A
		// rebinding page cannot send that Host: it names its own domain.
		return ip == local.Addr() || ip.IsUnspecified() && local.Addr().IsLoopback()
	}
	return isLocalhostName(host) && local.Addr().IsLoopback()
}

// isLocalhostName reports whether host is "localhost" (or "localhost."),
// which browsers resolve to loopback themselves, so no page can rebind it.
func isLocalhostName(host string) bool {
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}

// splitHostHeader splits a Host header into a lower-case host, without
// the brackets of an IPv6 literal, and a port, which is 80 or 443 when
// absent. It refuses an empty host and a port that is not a number.
func splitHostHeader(h string, tls bool) (string, uint16, bool) {
	port := uint16(80)
	if tls {
		port = 443
	}
	host := h
	if hh, p, err := net.SplitHostPort(h); err == nil {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return "", 0, false
		}
		host, port = hh, uint16(n)
	} else if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		host = h[1 : len(h)-1]
	} else if strings.Contains(h, ":") && !strings.Contains(h, "]") {
		// A bare IPv6 address without brackets is not a valid Host.
		return "", 0, false
	}
	if host == "" {
		return "", 0, false
	}
	return strings.ToLower(host), port, true
}

// crossOrigin is the standard library's check of Sec-Fetch-Site, falling
// back to Origin against Host for older browsers; it passes requests
// that carry neither header (curl, scripts), which the CSRF token or a
// bearer token still has to authorise.
var crossOrigin = http.NewCrossOriginProtection()

// checkOrigin refuses a state-changing request sent by another site's
// page (ErrForbidden, 403). GET, HEAD and OPTIONS pass.
func checkOrigin(r *http.Request) error {
	if err := crossOrigin.Check(r); err != nil {
		return fmt.Errorf("origin %q, sec-fetch-site %q: %w", r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"), ErrForbidden)
	}
	return nil
}
