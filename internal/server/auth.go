package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Cookie names.
const (
	sessionCookie = "leakscope_session"
	csrfCookie    = "leakscope_csrf"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// HashPassword returns the bcrypt hash to put in Options.Users.
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", fmt.Errorf("password shorter than 8 characters: %w", ErrInvalid)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// HashToken returns the digest of an API token to put in Options.Tokens.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a random API token (give it to the user; store
// HashToken of it).
func NewToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type userKey struct{}

func withUser(ctx context.Context, user string) context.Context {
	return context.WithValue(ctx, userKey{}, user)
}

// userFrom returns the authenticated user, "local" without auth.
func userFrom(ctx context.Context) string {
	u, _ := ctx.Value(userKey{}).(string)
	return u
}

// authenticate returns who makes r: a bearer token holder, a logged-in
// user, or "local" when auth is off. The login page and assets are open.
func (s *Server) authenticate(r *http.Request) (string, error) {
	if !s.authEnabled() {
		return "local", nil
	}
	if r.URL.Path == "/login" || strings.HasPrefix(r.URL.Path, "/static/") {
		return "anonymous", nil
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		d := HashToken(strings.TrimPrefix(h, "Bearer "))
		for _, t := range s.opts.Tokens {
			if subtle.ConstantTimeCompare([]byte(d), []byte(strings.ToLower(t))) == 1 {
				return "token:" + d[:8], nil
			}
		}
		return "", fmt.Errorf("bad token: %w", ErrUnauthorized)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", ErrUnauthorized
	}
	user, ok := s.sessions.lookup(c.Value)
	if !ok {
		return "", fmt.Errorf("no such session: %w", ErrUnauthorized)
	}
	if _, ok := s.opts.Users[user]; !ok {
		return "", fmt.Errorf("session of a removed user: %w", ErrUnauthorized)
	}
	return user, nil
}

func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setCookie sets one of the server's cookies with the attributes every
// one of them needs: HttpOnly (no script reads it, leaked HTML included),
// SameSite=Strict (no other site's request carries it), host-only with
// Path=/, and Secure whenever the server speaks TLS. maxAge < 0 deletes
// the cookie, 0 makes it last until the browser closes.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.tls != nil})
}

// csrfToken returns the request's CSRF token, setting the cookie that
// carries it if needed. Forms post it back in the csrf field (the
// double-submit pattern).
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && s.validCSRF(c.Value) {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	tok := nonce + "." + s.sign("csrf|"+nonce)
	s.setCookie(w, r, csrfCookie, tok, 0)
	return tok
}

func (s *Server) validCSRF(tok string) bool {
	nonce, mac, ok := strings.Cut(tok, ".")
	return ok && hmac.Equal([]byte(mac), []byte(s.sign("csrf|"+nonce)))
}

// checkCSRF guards every state-changing request made with cookies: the
// form field or header must equal the signed cookie. Requests with a
// bearer token are not cookie-authenticated and are exempt. The Origin
// and Sec-Fetch-Site headers are checked before, by checkOrigin, for
// every request.
func (s *Server) checkCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return nil
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || !s.validCSRF(c.Value) {
		return fmt.Errorf("missing csrf cookie: %w", ErrForbidden)
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
		got = r.PostFormValue(csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) != 1 {
		return fmt.Errorf("bad csrf token: %w", ErrForbidden)
	}
	return nil
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "login", map[string]any{"Title": "Log in", "Next": safeNext(r.FormValue("next"))})
}

// newDummyHash returns a bcrypt hash of a random password at the highest
// cost among users: a login as an unknown name compares against it, so it
// takes as long as one with a known name and the time tells nothing.
func newDummyHash(users map[string]string) ([]byte, error) {
	cost := bcrypt.DefaultCost
	if len(users) > 0 {
		cost = bcrypt.MinCost
		for _, h := range users {
			if c, err := bcrypt.Cost([]byte(h)); err == nil {
				cost = max(cost, c)
			}
		}
	}
	pw := make([]byte, 32)
	rand.Read(pw)
	h, err := bcrypt.GenerateFromPassword(pw, cost)
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	return h, nil
}

// handleLogin checks a password at most once per attempt the limiter
// admits, and does the same work for a known and an unknown user name:
// the same limiter keys, one bcrypt comparison at the same cost, the same
// answer.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	user, pw := r.PostFormValue("user"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ukey, akey := userLimitKey(user), addrLimitKey(r)
	if wait := s.limiter.admit(akey, ukey); wait > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(wait.Seconds())), 10))
		s.auditf(r, "login_throttled", "as", user)
		return fmt.Errorf("login: %w", ErrTooManyRequests)
	}
	hash, known := s.opts.Users[user]
	if !known {
		hash = string(s.dummyHash)
	}
	if err := s.compare([]byte(hash), []byte(pw)); err != nil || !known {
		s.auditf(r, "login_failed", "as", user)
		w.WriteHeader(http.StatusUnauthorized)
		return s.render(w, r, "login", map[string]any{"Title": "Log in", "Failed": true, "Next": next})
	}
	s.limiter.succeed(ukey, akey)
	// A fresh ID at every login: an ID planted before it is worthless.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.revoke(c.Value)
	}
	s.setCookie(w, r, sessionCookie, s.sessions.create(user), int(s.opts.SessionTTL.Seconds()))
	s.auditf(withUserReq(r, user), "login")
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// handleLogout ends the session on the server, not only in the browser.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.revoke(c.Value)
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	s.auditf(r, "logout")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func withUserReq(r *http.Request, user string) *http.Request {
	return r.WithContext(withUser(r.Context(), user))
}

// safeNext keeps redirects after login on this site: next must be an
// absolute path ("/targets?sort=volume") that url.Parse reads as a path
// alone and that prints back byte for byte. That refuses a scheme
// ("https:rebind.example"), a host ("//rebind.example"), control
// characters ("/\t/rebind.example", which browsers strip to "//"), and
// backslashes ("/\\rebind.example", which browsers read as "//"), since
// each either fails to parse or prints back escaped. Anything else is "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.String() != next {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
