package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// DefaultAddr is where the server listens unless told otherwise: loopback
// only, so a case is never exposed by accident.
const DefaultAddr = "127.0.0.1:8080"

// Options configure a Server.
type Options struct {
	Backend Backend
	// Addr is the listen address; "" is DefaultAddr. Only 127.0.0.1,
	// ::1 and localhost run without Users or Tokens (see NeedsAuth).
	Addr string
	// Hosts are extra names the server answers to, beyond the address a
	// connection arrives on and localhost: "leakbox.lan" (on the bound
	// port) or "localhost:9000" (an SSH tunnel's port). Any other Host
	// header is refused with 421, which defeats DNS rebinding.
	Hosts []string
	// TLSCertFile and TLSKeyFile, both or neither, are a PEM certificate
	// chain and its key; with them the server speaks only HTTPS and its
	// cookies are Secure.
	TLSCertFile, TLSKeyFile string
	// Users maps a user name to a bcrypt hash of the password (see
	// HashPassword). With Users or Tokens set, every route needs login.
	Users map[string]string
	// Tokens are SHA-256 hex digests of API bearer tokens (see
	// HashToken); the tokens themselves are never stored.
	Tokens []string
	// Audit receives one JSON line per search, view and download; nil
	// disables the audit log. The CLI opens audit.log in the case dir.
	Audit io.Writer
	// Logger is for operational messages; nil discards them.
	Logger *slog.Logger
	// CaseName is shown in the page header.
	CaseName string
	// SessionTTL is how long a login lasts; 0 is 12 hours.
	SessionTTL time.Duration
	// LoginLimits throttle password guessing; zero fields take defaults.
	LoginLimits LoginLimits
}

// Server serves the API and the UI for one case.
type Server struct {
	opts  Options
	be    Backend
	log   *slog.Logger
	audit *slog.Logger
	pages map[string]*template.Template
	world *worldMap
	key   []byte // signs CSRF cookies; new at every start
	mux   *http.ServeMux
	srv   *http.Server
	tls   *tls.Config // nil without a certificate

	sessions  *sessions
	limiter   *limiter
	dummyHash []byte                            // see newDummyHash
	compare   func(hash, password []byte) error // bcrypt; tests count calls
}

// New checks opts, parses every template (failing fast on a broken one)
// and builds the routes.
func New(opts Options) (*Server, error) {
	if opts.Backend == nil {
		return nil, errors.New("server: no backend")
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	needs, err := NeedsAuth(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if needs && len(opts.Users) == 0 && len(opts.Tokens) == 0 {
		return nil, fmt.Errorf("server: address %s runs only with users or tokens (only 127.0.0.1, ::1 and localhost run without)", opts.Addr)
	}
	s := &Server{opts: opts, be: opts.Backend, log: opts.Logger,
		sessions: newSessions(opts.SessionTTL), limiter: newLimiter(opts.LoginLimits), compare: bcrypt.CompareHashAndPassword}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if (opts.TLSCertFile == "") != (opts.TLSKeyFile == "") {
		return nil, errors.New("server: a TLS certificate needs its key, and a key its certificate")
	}
	if opts.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(opts.TLSCertFile, opts.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("server: tls: %w", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if s.authEnabled() {
		if s.dummyHash, err = newDummyHash(opts.Users); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		if s.tls == nil && needs {
			s.log.Warn("serving logins without TLS: passwords and session cookies cross the network in clear", "addr", opts.Addr)
		}
	}
	if opts.Audit != nil {
		s.audit = slog.New(slog.NewJSONHandler(opts.Audit, nil))
	}
	s.key = make([]byte, 32)
	if _, err := rand.Read(s.key); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.world, err = loadWorld(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.routes()
	return s, nil
}

// NeedsAuth reports whether a server on addr (host:port) must have users
// or tokens. Only 127.0.0.1, ::1 and localhost run without. The rest of
// 127.0.0.0/8 is loopback too, but a rule of three exact addresses is one
// an operator can check at a glance, and the README and --help state
// exactly it; so 127.0.0.2 needs auth like any other address. An empty
// host (all interfaces) needs auth.
func NeedsAuth(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true, fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "localhost" {
		return false, nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return true, nil
	}
	ip = ip.Unmap()
	return ip != netip.AddrFrom4([4]byte{127, 0, 0, 1}) && ip != netip.IPv6Loopback(), nil
}

// Scheme is "https" with a certificate, else "http".
func (s *Server) Scheme() string {
	if s.tls != nil {
		return "https"
	}
	return "http"
}

// authEnabled reports whether requests must be authenticated.
func (s *Server) authEnabled() bool { return len(s.opts.Users) > 0 || len(s.opts.Tokens) > 0 }

// Handler is the whole server as an http.Handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.secure(s.mux) }

// ListenAndServe listens on Options.Addr and serves until ctx is done, then
// shuts down gracefully. ready, if not nil, is called with the bound
// address (useful with port 0).
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	if s.tls != nil {
		s.srv.TLSConfig = s.tls.Clone()
		go func() { errc <- s.srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { errc <- s.srv.Serve(ln) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(sctx); err != nil {
			return err
		}
		<-errc
		return nil
	}
}

// csp allows only the server's own scripts, styles and images; no inline
// script, no plugins, no framing of our pages, no <base> rewriting. Frames
// may only be the sandboxed srcdoc previews (about:srcdoc is 'self'-less,
// so frame-src allows 'self' only and the srcdoc inherits this policy).
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// secure sets the security headers on every response, then refuses, in
// this order: a Host that does not name this server (421), a
// state-changing request from another site (403), one without its CSRF
// token (403), and one without login (401 or a redirect to /login).
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		for _, check := range []func(*http.Request) error{s.checkHost, checkOrigin, s.checkCSRF} {
			if err := check(r); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		user, err := s.authenticate(r)
		if err != nil {
			if isAPI(r) || r.Method != http.MethodGet {
				s.fail(w, r, err)
				return
			}
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), user)))
	})
}

func (s *Server) routes() {
	m := http.NewServeMux()
	api := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		m.Handle(pattern, s.apiHandler(h))
	}
	api("GET /api/v1/search", s.apiSearch)
	api("GET /api/v1/search/batch", s.apiSearchBatch)
	api("GET /api/v1/documents/{id}", docEndpoint(s, "view_document", s.be.Document))
	api("GET /api/v1/documents/{id}/text", docEndpoint(s, "view_text", s.be.Text))
	api("GET /api/v1/documents/{id}/translation", docEndpoint(s, "view_translation", s.be.Translation))
	api("GET /api/v1/documents/{id}/raw", s.handleBlob)
	api("GET /api/v1/entities", s.apiEntities)
	api("GET /api/v1/targets", s.apiTargets)
	api("GET /api/v1/chats", s.apiChats)
	api("GET /api/v1/chats/{id}", s.apiConversation)
	api("GET /api/v1/documents/{id}/pages/{n}", s.handlePreview)
	api("GET /api/v1/stats", s.apiStats)
	api("GET /api/v1/timeline", s.apiTimeline)
	api("GET /api/v1/target-links", s.apiTargetLinks)
	api("GET /api/", func(http.ResponseWriter, *http.Request) error {
		return fmt.Errorf("no such endpoint: %w", ErrNotFound)
	})

	page := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		m.Handle(pattern, s.pageHandler(h))
	}
	page("GET /{$}", s.pageSearch)
	page("GET /doc/{id}", s.pageDocument)
	page("GET /doc/{id}/blob", s.handleBlob)
	page("GET /doc/{id}/page/{n}", s.handlePreview)
	page("GET /targets", s.pageTargets)
	page("GET /overview", s.pageOverview)
	page("GET /timeline", s.pageTimeline)
	page("GET /entities", s.pageEntities)
	page("GET /chats", s.pageChats)
	page("GET /chats/{id}", s.pageConversation)
	page("GET /graph", s.pageGraph)
	page("GET /login", s.pageLogin)
	page("POST /login", s.handleLogin)
	page("POST /logout", s.handleLogout)
	page("GET /", func(http.ResponseWriter, *http.Request) error {
		return fmt.Errorf("no such page: %w", ErrNotFound)
	})
	static, _ := fs.Sub(assets, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	s.mux = m
}

// staticHandler serves the embedded assets with their real types.
func staticHandler(fsys fs.FS) http.Handler {
	fsrv := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

func isAPI(r *http.Request) bool {
	return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/"
}

// apiHandler adapts a handler returning an error to the JSON error form.
func (s *Server) apiHandler(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeJSONError(w, r, err)
		}
	})
}

// pageHandler adapts a page handler; errors render the error page.
func (s *Server) pageHandler(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail answers err in the form the request expects.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.writeJSONError(w, r, err)
		return
	}
	code, msg := s.logError(r, err)
	s.renderStatus(w, r, code, "error", map[string]any{"Title": http.StatusText(code), "Code": code, "Message": msg})
}

// auditf records who did what; never the content, only IDs, paths and
// the query the analyst typed.
func (s *Server) auditf(r *http.Request, action string, attrs ...any) {
	if s.audit == nil {
		return
	}
	attrs = append([]any{"user", userFrom(r.Context()), "remote", r.RemoteAddr, "action", action}, attrs...)
	s.audit.Info("audit", attrs...)
}
