package server

import (
	"crypto/sha256"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// LoginLimits bound password guessing. Each client address and each user
// name (known or not, so that a lock-out says nothing about which names
// exist) has a count of failed logins. After Free failures, every further
// failure locks that key for Delay, doubled each time up to MaxDelay; a
// locked key is refused with 429 before any password is checked. Zero
// fields take the defaults.
type LoginLimits struct {
	// Free is how many failures cost nothing; default 5.
	Free int
	// Delay is the first lock; default 1 s.
	Delay time.Duration
	// MaxDelay caps the doubling; default 15 min.
	MaxDelay time.Duration
	// Forget is how long after its last failure a key starts afresh;
	// default 1 h.
	Forget time.Duration
	// Keys caps how many addresses and names are tracked, so that a flood
	// of made-up names cannot exhaust memory; default 10000.
	Keys int
}

func (l LoginLimits) withDefaults() LoginLimits {
	if l.Free <= 0 {
		l.Free = 5
	}
	if l.Delay <= 0 {
		l.Delay = time.Second
	}
	if l.MaxDelay <= 0 {
		l.MaxDelay = 15 * time.Minute
	}
	if l.Forget <= 0 {
		l.Forget = time.Hour
	}
	if l.Keys <= 0 {
		l.Keys = 10000
	}
	return l
}

// limiter counts login failures per key. It is safe for concurrent use.
type limiter struct {
	lim  LoginLimits
	now  func() time.Time // time.Now; a fake clock in tests
	mu   sync.Mutex
	keys map[string]*strikes
}

type strikes struct {
	failures int
	last     time.Time // of the last counted attempt
	until    time.Time // locked before this
}

func newLimiter(l LoginLimits) *limiter {
	return &limiter{lim: l.withDefaults(), now: time.Now, keys: map[string]*strikes{}}
}

// admit decides whether a login attempt may check its password. If every
// key is unlocked it counts the attempt as a failure at once, so that
// parallel guesses cannot all slip in before the first one fails, and
// returns 0; succeed takes the count back. Otherwise it returns how long
// the caller must wait and counts nothing, so that a locked-out user who
// keeps trying is not locked for longer.
func (l *limiter) admit(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if st := l.keys[k]; st != nil && now.Sub(st.last) < l.lim.Forget && now.Before(st.until) {
			wait = max(wait, st.until.Sub(now))
		}
	}
	if wait > 0 {
		return wait
	}
	for _, k := range keys {
		st := l.keys[k]
		if st == nil || now.Sub(st.last) >= l.lim.Forget {
			l.makeRoom(now)
			st = &strikes{}
			l.keys[k] = st
		}
		st.failures++
		st.last = now
		if over := st.failures - l.lim.Free; over > 0 {
			st.until = now.Add(l.delay(over))
		}
	}
	return 0
}

// delay is Delay doubled over-1 times, at most MaxDelay.
func (l *limiter) delay(over int) time.Duration {
	d := l.lim.Delay
	for i := 1; i < over && d < l.lim.MaxDelay; i++ {
		d *= 2
	}
	return min(d, l.lim.MaxDelay)
}

// succeed records a correct password: the user's count is cleared, and
// the attempt admit counted against the address is taken back (its
// earlier failures stay, so one account of his own does not let a client
// guess others' passwords at full speed).
func (l *limiter) succeed(user, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, user)
	if st := l.keys[addr]; st != nil && st.failures > 0 {
		st.failures--
	}
}

// makeRoom drops forgotten keys when the table is full, then, if it is
// still full, the key whose last attempt is oldest, preferring one that is
// not locked. Called with l.mu held.
func (l *limiter) makeRoom(now time.Time) {
	if len(l.keys) < l.lim.Keys {
		return
	}
	for k, st := range l.keys {
		if now.Sub(st.last) >= l.lim.Forget {
			delete(l.keys, k)
		}
	}
	if len(l.keys) < l.lim.Keys {
		return
	}
	var victim string
	var vs *strikes
	for k, st := range l.keys {
		if vs == nil || older(st, vs, now) {
			victim, vs = k, st
		}
	}
	delete(l.keys, victim)
}

// older reports whether a is a better eviction victim than b.
func older(a, b *strikes, now time.Time) bool {
	al, bl := now.Before(a.until), now.Before(b.until)
	if al != bl {
		return !al
	}
	return a.last.Before(b.last)
}

// userLimitKey is the limiter key of a user name: a digest, so that a long
// name costs no more memory than a short one.
func userLimitKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "user:" + string(sum[:16])
}

// addrLimitKey is the limiter key of the client: its IPv4 address, or the
// /64 of an IPv6 address, since one host usually holds a whole /64. The
// server trusts no forwarding header: behind a proxy every client shares
// the proxy's key.
func addrLimitKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "addr:" + host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.WithZone("").Prefix(64)
		return "addr:" + p.String()
	}
	return "addr:" + ip.String()
}
