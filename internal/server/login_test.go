package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

func TestSafeNext(t *testing.T) {
	tests := []struct {
		name string
		next string
		want string
	}{
		{name: "page", next: "/targets", want: "/targets"},
		{name: "page with query", next: "/?q=%E7%9B%AE&facet=type", want: "/?q=%E7%9B%AE&facet=type"},
		{name: "escaped slashes stay a path", next: "/%2F%2Frebind.example", want: "/%2F%2Frebind.example"},
		{name: "empty", next: "", want: "/"},
		{name: "protocol-relative", next: "//rebind.example/", want: "/"},
		{name: "tab browsers strip to //", next: "/\t/rebind.example", want: "/"},
		{name: "newline", next: "/\n/rebind.example", want: "/"},
		{name: "backslash browsers read as /", next: "/\\rebind.example", want: "/"},
		{name: "backslash first", next: "\\\\rebind.example", want: "/"},
		{name: "scheme without slashes", next: "https:rebind.example", want: "/"},
		{name: "absolute url", next: "https://rebind.example/", want: "/"},
		{name: "script url", next: "javascript:alert(1)", want: "/"},
		{name: "relative path", next: "targets", want: "/"},
		{name: "leading space", next: " /targets", want: "/"},
		{name: "does not print back", next: "/a b", want: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeNext(tt.next); got != tt.want {
				t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
			}
		})
	}
}

// loginServer is a server with user ana (password "correct horse", hashed
// at cost) whose limiter and sessions run on a clock the test moves.
type loginServer struct {
	s     *Server
	clock *fakeClock
	mu    sync.Mutex
	costs []int // bcrypt cost of every hash a login compared against
}

func newLoginServer(t *testing.T, cost int, lim LoginLimits) *loginServer {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte("correct horse"), cost)
	if err != nil {
		t.Fatal(err)
	}
	s, _, _ := newTestServer(t, Options{Users: map[string]string{"ana": string(h)}, LoginLimits: lim})
	ls := &loginServer{s: s, clock: &fakeClock{t: time.Unix(1_700_000_000, 0)}}
	s.limiter.now, s.sessions.now = ls.clock.now, ls.clock.now
	s.compare = func(hash, pw []byte) error {
		c, _ := bcrypt.Cost(hash)
		ls.mu.Lock()
		ls.costs = append(ls.costs, c)
		ls.mu.Unlock()
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
	return ls
}

// login posts the login form from remote (an "ip:port") straight to the
// handler, so that each test picks its client address.
func (ls *loginServer) login(user, password, remote string) *httptest.ResponseRecorder {
	csrf := csrfFor(ls.s)
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"user": {user}, "password": {password}, "csrf": {csrf}}.Encode()))
	req.Host = DefaultAddr
	req.RemoteAddr = remote
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: csrf})
	rec := httptest.NewRecorder()
	ls.s.Handler().ServeHTTP(rec, req)
	return rec
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestLoginUnknownUserSameWork checks that a login as a name that does not
// exist compares one bcrypt hash at the cost of the real users' hashes,
// so that its time does not tell which names exist. It counts the work
// instead of timing it.
func TestLoginUnknownUserSameWork(t *testing.T) {
	const cost = 6 // neither bcrypt.MinCost nor DefaultCost: the dummy must follow the users
	ls := newLoginServer(t, cost, LoginLimits{})
	tests := []struct {
		name       string
		user, pass string
		status     int
	}{
		{name: "known user, wrong password", user: "ana", pass: "wrong", status: 401},
		{name: "unknown user", user: "bob", pass: "wrong", status: 401},
		{name: "unknown user, the right password of another", user: "bob", pass: "correct horse", status: 401},
		{name: "known user, right password", user: "ana", pass: "correct horse", status: 303},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls.costs = nil
			rec := ls.login(tt.user, tt.pass, fmt.Sprintf("192.0.2.%d:1000", i+1))
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if diff := cmp.Diff([]int{cost}, ls.costs); diff != "" {
				t.Errorf("bcrypt costs compared (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoginThrottle drives the login through lock-outs by client address
// and by user name on a fake clock.
func TestLoginThrottle(t *testing.T) {
	lim := LoginLimits{Free: 2, Delay: time.Second, MaxDelay: 4 * time.Second, Forget: time.Hour}
	const a, b, c = "192.0.2.1:1000", "192.0.2.2:1000", "198.51.100.7:1000"
	type step struct {
		advance    time.Duration
		user, pass string
		remote     string
		status     int
		retryAfter string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "delay doubles per failure past the free ones, up to the cap", steps: []step{
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 401},                              // third failure: 1 s lock
			{user: "ana", pass: "correct horse", remote: a, status: 429, retryAfter: "1"}, // even the right password waits
			{advance: time.Second, user: "ana", pass: "x", remote: a, status: 401},        // 2 s lock
			{advance: time.Second, user: "ana", pass: "x", remote: a, status: 429, retryAfter: "1"},
			{advance: time.Second, user: "ana", pass: "x", remote: a, status: 401},     // 4 s lock
			{advance: 4 * time.Second, user: "ana", pass: "x", remote: a, status: 401}, // capped at 4 s
			{advance: 3 * time.Second, user: "ana", pass: "x", remote: a, status: 429, retryAfter: "1"},
			{advance: time.Second, user: "ana", pass: "correct horse", remote: a, status: 303}, // success clears the user
		}},
		{name: "user locked across addresses", steps: []step{
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: b, status: 401},
			{user: "ana", pass: "x", remote: c, status: 401},
			{user: "ana", pass: "correct horse", remote: "203.0.113.9:1", status: 429, retryAfter: "1"},
		}},
		{name: "address locked across user names, known or not", steps: []step{
			{user: "u1", pass: "x", remote: a, status: 401},
			{user: "u2", pass: "x", remote: a, status: 401},
			{user: "u3", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "correct horse", remote: a, status: 429, retryAfter: "1"},
			{user: "ana", pass: "correct horse", remote: b, status: 303},
		}},
		{name: "unknown name locks like a known one", steps: []step{
			{user: "nobody", pass: "x", remote: a, status: 401},
			{user: "nobody", pass: "x", remote: b, status: 401},
			{user: "nobody", pass: "x", remote: c, status: 401},
			{user: "nobody", pass: "x", remote: "203.0.113.9:1", status: 429, retryAfter: "1"},
		}},
		{name: "ipv6 clients share their /64", steps: []step{
			{user: "u1", pass: "x", remote: "[2001:db8:1:2::1]:1", status: 401},
			{user: "u2", pass: "x", remote: "[2001:db8:1:2::2]:1", status: 401},
			{user: "u3", pass: "x", remote: "[2001:db8:1:2:ffff::3]:1", status: 401},
			{user: "u4", pass: "x", remote: "[2001:db8:1:2::4]:1", status: 429, retryAfter: "1"},
			{user: "u4", pass: "x", remote: "[2001:db8:1:3::4]:1", status: 401},
		}},
		{name: "failures are forgotten", steps: []step{
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 401},
			{advance: time.Hour, user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 401},
			{user: "ana", pass: "x", remote: a, status: 429, retryAfter: "1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := newLoginServer(t, bcrypt.MinCost, lim)
			for i, st := range tt.steps {
				ls.clock.advance(st.advance)
				rec := ls.login(st.user, st.pass, st.remote)
				if rec.Code != st.status || rec.Header().Get("Retry-After") != st.retryAfter {
					t.Fatalf("step %d (%s from %s): status %d, Retry-After %q; want %d, %q",
						i, st.user, st.remote, rec.Code, rec.Header().Get("Retry-After"), st.status, st.retryAfter)
				}
			}
		})
	}
}

// TestLoginThrottleSkipsBcrypt checks that a locked-out attempt costs the
// server no password check.
func TestLoginThrottleSkipsBcrypt(t *testing.T) {
	ls := newLoginServer(t, bcrypt.MinCost, LoginLimits{Free: 1})
	ls.login("ana", "x", "192.0.2.1:1")
	ls.login("ana", "x", "192.0.2.1:1")
	ls.costs = nil
	if rec := ls.login("ana", "x", "192.0.2.1:1"); rec.Code != 429 {
		t.Fatalf("status %d, want 429", rec.Code)
	}
	if len(ls.costs) != 0 {
		t.Errorf("%d password checks while locked, want 0", len(ls.costs))
	}
}

// TestLimiterBounded floods the limiter with made-up names and checks it
// keeps at most Keys entries, and that a locked key survives the flood.
func TestLimiterBounded(t *testing.T) {
	l := newLimiter(LoginLimits{Free: 1, Keys: 4})
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l.now = clock.now
	l.admit("locked")
	l.admit("locked")
	for i := range 500 { // 0.5 s in all: the lock still holds
		clock.advance(time.Millisecond)
		l.admit(userLimitKey(strings.Repeat("n", i)))
	}
	if n := len(l.keys); n > 4 {
		t.Errorf("%d keys tracked, want at most 4", n)
	}
	if l.admit("locked") == 0 {
		t.Errorf("the locked key was evicted by the flood")
	}
}
