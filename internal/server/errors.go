package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/leakscope/leakscope/internal/index"
)

// Errors a Backend or handler returns to choose the status code.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid request")
	ErrUnauthorized = errors.New("authentication required")
	ErrForbidden    = errors.New("forbidden")
	// ErrUnavailable is a capability missing on this machine (a renderer
	// not installed); the message says which.
	ErrUnavailable = errors.New("unavailable")
	// ErrMisdirected is a request whose Host header names neither this
	// server's address nor a localhost name: a DNS-rebinding page, or a
	// proxy sending the wrong traffic here. The client sees 421.
	ErrMisdirected = errors.New("misdirected request: this server does not answer to that host name")
	// ErrTooManyRequests is a login refused before its password is checked
	// because the address or the user name failed too often recently.
	ErrTooManyRequests = errors.New("too many login attempts; try again later")
)

// statusOf is the one table from error to HTTP status and the message the
// client sees. Unknown errors are 500 and their text stays in the log.
func statusOf(err error) (int, string) {
	switch {
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, index.ErrBadQuery), errors.Is(err, ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized, ErrUnauthorized.Error()
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden, ErrForbidden.Error()
	case errors.Is(err, ErrUnavailable):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, ErrMisdirected):
		// The fixed text, never the wrapped detail: it would echo the
		// attacker's Host header.
		return http.StatusMisdirectedRequest, ErrMisdirected.Error()
	case errors.Is(err, ErrTooManyRequests):
		return http.StatusTooManyRequests, ErrTooManyRequests.Error()
	}
	return http.StatusInternalServerError, "internal error"
}

// writeJSONError writes {"error": msg} with the status of err.
func (s *Server) writeJSONError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.logError(r, err)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func (s *Server) logError(r *http.Request, err error) (int, string) {
	code, msg := statusOf(err)
	level := slog.LevelDebug
	if code >= 500 {
		level = slog.LevelError
	}
	s.log.Log(r.Context(), level, "request error", "method", r.Method, "path", r.URL.Path, "status", code, "err", err)
	return code, msg
}
