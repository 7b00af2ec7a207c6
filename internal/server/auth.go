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
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	user, ok := s.verifySession(c.Value)
	if !ok {
		return "", ErrUnauthorized
	}
	return user, nil
}

func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newSession is "user|expiry|mac" with the user name base64-encoded.
func (s *Server) newSession(user string) string {
	exp := strconv.FormatInt(time.Now().Add(s.opts.SessionTTL).Unix(), 10)
	msg := base64.RawURLEncoding.EncodeToString([]byte(user)) + "|" + exp
	return msg + "|" + s.sign("session|"+msg)
}

func (s *Server) verifySession(v string) (string, bool) {
	i := strings.LastIndexByte(v, '|')
	if i < 0 {
		return "", false
	}
	msg, mac := v[:i], v[i+1:]
	if !hmac.Equal([]byte(mac), []byte(s.sign("session|"+msg))) {
		return "", false
	}
	u64, exp, ok := strings.Cut(msg, "|")
	if !ok {
		return "", false
	}
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || time.Now().Unix() > e {
		return "", false
	}
	u, err := base64.RawURLEncoding.DecodeString(u64)
	if err != nil {
		return "", false
	}
	if _, ok := s.opts.Users[string(u)]; !ok {
		return "", false
	}
	return string(u), true
}

// csrfToken returns the request's CSRF token, setting the cookie that
// carries it if needed. Forms post it back in the csrf field (the
// double-submit pattern); the cookie is SameSite=Strict and HttpOnly.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && s.validCSRF(c.Value) {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	tok := nonce + "." + s.sign("csrf|"+nonce)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return tok
}

func (s *Server) validCSRF(tok string) bool {
	nonce, mac, ok := strings.Cut(tok, ".")
	return ok && hmac.Equal([]byte(mac), []byte(s.sign("csrf|"+nonce)))
}

// checkCSRF guards every state-changing request: the Origin, when sent,
// must be this host, and the form field or header must equal the signed
// cookie. Requests with a bearer token are not cookie-authenticated and
// are exempt.
func (s *Server) checkCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return nil
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return fmt.Errorf("cross-origin request: %w", ErrForbidden)
		}
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

// dummyHash keeps the time of a login for an unknown user close to that
// of a known one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("leakscope-dummy-password"), bcrypt.MinCost)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	user, pw := r.PostFormValue("user"), r.PostFormValue("password")
	hash, ok := s.opts.Users[user]
	if !ok {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
	}
	if !ok || bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) != nil {
		s.auditf(r, "login_failed", "as", user)
		w.WriteHeader(http.StatusUnauthorized)
		return s.render(w, r, "login", map[string]any{"Title": "Log in", "Failed": true, "Next": safeNext(r.PostFormValue("next"))})
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.newSession(user), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(s.opts.SessionTTL.Seconds())})
	s.auditf(withUserReq(r, user), "login")
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	s.auditf(r, "logout")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func withUserReq(r *http.Request, user string) *http.Request {
	return r.WithContext(withUser(r.Context(), user))
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
