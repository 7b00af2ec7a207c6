package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// sessions is the server-side table of logins. The cookie carries only a
// random ID, so logging out (or a restart) ends a session for good: a
// copied cookie is worth nothing once its entry is gone. The table keys
// on the SHA-256 of the ID, so that neither a map lookup's timing nor a
// memory dump hands out a live ID. It is safe for concurrent use.
type sessions struct {
	ttl  time.Duration
	max  int              // entries kept at most; the oldest goes first
	now  func() time.Time // time.Now; a fake clock in tests
	mu   sync.Mutex
	byID map[[32]byte]session
}

type session struct {
	user    string
	expires time.Time
}

// maxSessions bounds the table: far more than a team of analysts needs,
// few enough that a script logging in forever cannot exhaust memory.
const maxSessions = 10000

func newSessions(ttl time.Duration) *sessions {
	return &sessions{ttl: ttl, max: maxSessions, now: time.Now, byID: map[[32]byte]session{}}
}

// create starts a session for user and returns its ID: 32 bytes from
// crypto/rand, base64url.
func (t *sessions) create(user string) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	id := base64.RawURLEncoding.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.byID) >= t.max {
		t.prune(now)
	}
	t.byID[sha256.Sum256([]byte(id))] = session{user: user, expires: now.Add(t.ttl)}
	return id
}

// lookup returns the user of a live session.
func (t *sessions) lookup(id string) (string, bool) {
	if id == "" {
		return "", false
	}
	k := sha256.Sum256([]byte(id))
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.byID[k]
	if !ok {
		return "", false
	}
	if !t.now().Before(s.expires) {
		delete(t.byID, k)
		return "", false
	}
	return s.user, true
}

// revoke ends a session; an unknown ID is not an error.
func (t *sessions) revoke(id string) {
	k := sha256.Sum256([]byte(id))
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byID, k)
}

// prune drops expired sessions and, if the table is still full, the one
// that expires first. Called with t.mu held.
func (t *sessions) prune(now time.Time) {
	var first [32]byte
	var firstExp time.Time
	for k, s := range t.byID {
		if !now.Before(s.expires) {
			delete(t.byID, k)
			continue
		}
		if firstExp.IsZero() || s.expires.Before(firstExp) {
			first, firstExp = k, s.expires
		}
	}
	if len(t.byID) >= t.max {
		delete(t.byID, first)
	}
}
