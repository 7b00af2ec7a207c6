package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/browsertest"
)

// loginClient logs ana in at base with c, which must have a cookie jar,
// and returns the session cookie it got.
func loginClient(t *testing.T, c *http.Client, base string) *http.Cookie {
	t.Helper()
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	csrf := cookieNamed(c.Jar.Cookies(u), csrfCookie)
	if csrf == nil {
		t.Fatal("no CSRF cookie after GET /login")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"user": {"ana"}, "password": {"correct horse"}, "csrf": {csrf.Value}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d, want 303", resp.StatusCode)
	}
	sess := cookieNamed(resp.Cookies(), sessionCookie)
	if sess == nil {
		t.Fatal("no session cookie after login")
	}
	return sess
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func anaUsers(t *testing.T) map[string]string {
	t.Helper()
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ana": h}
}

// statusWith requests path with only the given session cookie.
func statusWith(t *testing.T, c *http.Client, base, path string, sess *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.AddCookie(&http.Cookie{Name: sess.Name, Value: sess.Value})
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestLogoutRevokesSession replays a session cookie after its logout: the
// server must have forgotten it, not only told the browser to drop it.
func TestLogoutRevokesSession(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{Users: anaUsers(t)})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirects.CheckRedirect}
	sess := loginClient(t, c, ts.URL)
	if got := statusWith(t, noRedirects, ts.URL, "/api/v1/stats", sess); got != 200 {
		t.Fatalf("with the session: %d, want 200", got)
	}
	u, _ := url.Parse(ts.URL)
	csrf := cookieNamed(jar.Cookies(u), csrfCookie)
	resp, err := c.PostForm(ts.URL+"/logout", url.Values{"csrf": {csrf.Value}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d, want 303", resp.StatusCode)
	}
	if got := statusWith(t, noRedirects, ts.URL, "/api/v1/stats", sess); got != 401 {
		t.Errorf("the cookie replayed after logout: %d, want 401", got)
	}
	// A second login is a new session, not the old one revived.
	if again := loginClient(t, c, ts.URL); again.Value == sess.Value {
		t.Errorf("the second login reused the session ID")
	}
}

func TestSessions(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	tab := newSessions(time.Hour)
	tab.now = clock.now
	tab.max = 3

	id := tab.create("ana")
	if raw, err := base64.RawURLEncoding.DecodeString(id); err != nil || len(raw) != 32 {
		t.Errorf("session ID %q: %d random bytes, %v; want 32", id, len(raw), err)
	}
	if other := tab.create("ana"); other == id {
		t.Errorf("two sessions share an ID")
	}
	if u, ok := tab.lookup(id); !ok || u != "ana" {
		t.Errorf("lookup = %q, %v", u, ok)
	}
	for _, bad := range []string{"", id + "x", strings.ToUpper(id)} {
		if _, ok := tab.lookup(bad); ok {
			t.Errorf("lookup(%q) found a session", bad)
		}
	}
	clock.advance(time.Hour)
	if _, ok := tab.lookup(id); ok {
		t.Errorf("a session outlived its TTL")
	}
	for range 10 {
		tab.create("ana")
	}
	if n := len(tab.byID); n > 3 {
		t.Errorf("%d sessions kept, want at most 3", n)
	}
}

// TestCookieAttributes checks every cookie the server sets over plain
// HTTP, the one that deletes the session at logout included.
func TestCookieAttributes(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{Users: anaUsers(t)})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirects.CheckRedirect}
	var set []*http.Cookie
	c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			set = append(set, resp.Cookies()...)
		}
		return resp, err
	})
	loginClient(t, c, ts.URL)
	u, _ := url.Parse(ts.URL)
	resp, err := c.PostForm(ts.URL+"/logout", url.Values{"csrf": {cookieNamed(jar.Cookies(u), csrfCookie).Value}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	checkCookies(t, set, false, []string{csrfCookie, sessionCookie, sessionCookie})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// checkCookies checks the attributes of cookies and that their names are
// want, in order.
func checkCookies(t *testing.T, cookies []*http.Cookie, secure bool, want []string) {
	t.Helper()
	var names []string
	for _, ck := range cookies {
		names = append(names, ck.Name)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Domain != "" || ck.Secure != secure {
			t.Errorf("cookie %s: HttpOnly %v, SameSite %v, Path %q, Domain %q, Secure %v; want HttpOnly, Strict, /, host-only, Secure %v",
				ck.Name, ck.HttpOnly, ck.SameSite, ck.Path, ck.Domain, ck.Secure, secure)
		}
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("cookies set: %v, want %v", names, want)
	}
}

// TestTLS serves over HTTPS on a real port with a certificate made here,
// logs in, and checks that the cookies are Secure and that the CSRF check
// still holds.
func TestTLS(t *testing.T) {
	certFile, keyFile, pool := testCertificate(t)
	s, err := New(Options{Backend: newMemBackend(t), Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler),
		Users: anaUsers(t), TLSCertFile: certFile, TLSKeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	if s.Scheme() != "https" {
		t.Errorf("Scheme() = %q, want https", s.Scheme())
	}
	base := strings.Replace(browsertest.Serve(t, s.ListenAndServe), "http://", "https://", 1)

	var set []*http.Cookie
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirects.CheckRedirect, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if err == nil {
			set = append(set, resp.Cookies()...)
		}
		return resp, err
	})}
	sess := loginClient(t, c, base)
	checkCookies(t, set, true, []string{csrfCookie, sessionCookie})
	if got := statusWith(t, c, base, "/api/v1/stats", sess); got != 200 {
		t.Errorf("API over TLS with the session: %d, want 200", got)
	}
	// The session alone does not make a POST: the CSRF token is still needed.
	req, _ := http.NewRequest("POST", base+"/logout", strings.NewReader("csrf=forged"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a forged CSRF token over TLS = %d, want 403", resp.StatusCode)
	}
	// Plain HTTP on the TLS port gets no page.
	resp, err = http.Get(strings.Replace(base, "https://", "http://", 1) + "/api/v1/stats")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("plain HTTP on the TLS port = 200")
		}
	}
}

func TestTLSOptions(t *testing.T) {
	certFile, keyFile, _ := testCertificate(t)
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	os.WriteFile(garbage, []byte("not a certificate"), 0o600)
	tests := []struct {
		name      string
		cert, key string
		wantErr   bool
	}{
		{name: "both", cert: certFile, key: keyFile},
		{name: "certificate without key", cert: certFile, wantErr: true},
		{name: "key without certificate", key: keyFile, wantErr: true},
		{name: "not a certificate", cert: garbage, key: keyFile, wantErr: true},
		{name: "missing file", cert: filepath.Join(t.TempDir(), "absent.pem"), key: keyFile, wantErr: true},
	}
	be := newMemBackend(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Backend: be, TLSCertFile: tt.cert, TLSKeyFile: tt.key})
			if (err != nil) != tt.wantErr {
				t.Errorf("New: %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// testCertificate writes a self-signed certificate for 127.0.0.1 and its
// key into a temporary directory and returns their paths and a pool that
// trusts it.
func testCertificate(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "leakscope test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, pool
}

// TestNeedsAuth is the rule the README and `serve --help` state: only
// 127.0.0.1, ::1 and localhost run without users or tokens.
func TestNeedsAuth(t *testing.T) {
	tests := []struct {
		name    string
		addr    string
		want    bool
		wantErr bool
	}{
		{name: "127.0.0.1", addr: "127.0.0.1:8080", want: false},
		{name: "::1", addr: "[::1]:8080", want: false},
		{name: "localhost", addr: "localhost:8080", want: false},
		{name: "ipv4-mapped 127.0.0.1", addr: "[::ffff:127.0.0.1]:8080", want: false},
		{name: "rest of 127/8", addr: "127.0.0.2:8080", want: true},
		{name: "top of 127/8", addr: "127.255.255.254:8080", want: true},
		{name: "all interfaces", addr: "0.0.0.0:8080", want: true},
		{name: "empty host", addr: ":8080", want: true},
		{name: "ipv6 all interfaces", addr: "[::]:8080", want: true},
		{name: "lan", addr: "192.168.1.5:8080", want: true},
		{name: "a name", addr: "leakbox.lan:8080", want: true},
		{name: "subdomain of localhost", addr: "a.localhost:8080", want: true},
		{name: "no port", addr: "127.0.0.1", want: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NeedsAuth(tt.addr)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("NeedsAuth(%q) = %v, %v; want %v, error %v", tt.addr, got, err, tt.want, tt.wantErr)
			}
		})
	}
	// And New enforces it.
	if _, err := New(Options{Backend: newMemBackend(t), Addr: "127.0.0.2:0"}); err == nil {
		t.Errorf("New on 127.0.0.2 without users or tokens: no error")
	}
}
