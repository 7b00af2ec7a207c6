package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/caseview"
	"github.com/leakscope/leakscope/internal/server"
)

type serveOptions struct {
	addr         string
	tokenFile    string
	usersFile    string
	hashPassword bool
	tlsCert      string
	tlsKey       string
	hosts        []string
	// ready, if set, is called with the bound address (tests).
	ready func(addr string)
}

func newServeCmd(g *globalOptions) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the search UI and the JSON API of the case",
		Long: `Serve the web UI (search, documents with their translation, targets, chats,
graphs) and the JSON API (/api/v1/...) of the case until interrupted.

By default the server listens on 127.0.0.1 only. Only 127.0.0.1, ::1 and
localhost run without authentication; every other address, the rest of
127.0.0.0/8 included, needs --users-file (lines "name:<bcrypt hash>", made
with --hash-password) for browser logins or --token-file (one API token per
line, sent as "Authorization: Bearer TOKEN") for scripts. Without either, a
password for user "analyst" and an API token are generated and printed
once. Failed logins are throttled per client address and per user name.
--tls-cert and --tls-key serve HTTPS (use them on any address other people
reach). The server answers only requests whose Host is its own address,
localhost on a loopback address, or a name given with --host; that stops
web pages from reaching it through DNS rebinding. Every search, view and
download is appended to audit.log in the case directory.

Serve runs beside ingest, translate, reindex and search on the same case:
documents an ingest adds become searchable within seconds, as it publishes
them, and a reindex replaces the index in one switch when it is complete.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.hashPassword {
				return runHashPassword(cmd.InOrStdin(), g)
			}
			return runServe(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", server.DefaultAddr, "listen address (host:port; port 0 picks a free one)")
	cmd.Flags().StringVar(&o.tokenFile, "token-file", "", "file of API tokens, one per line")
	cmd.Flags().StringVar(&o.usersFile, "users-file", "", `file of "name:<bcrypt hash>" lines for browser logins`)
	cmd.Flags().StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate chain: serve HTTPS (needs --tls-key)")
	cmd.Flags().StringVar(&o.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	cmd.Flags().StringSliceVar(&o.hosts, "host", nil, `extra host name the server answers to ("leakbox.lan", or "localhost:9000" for a tunnel); repeatable`)
	cmd.Flags().BoolVar(&o.hashPassword, "hash-password", false, "read a password on stdin, print its hash for --users-file, and exit")
	return cmd
}

// runHashPassword prints the bcrypt hash of the first line of stdin.
func runHashPassword(in io.Reader, g *globalOptions) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	h, err := server.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		return usageError{err}
	}
	_, err = fmt.Fprintln(g.stdout, h)
	return err
}

// readLines reads the non-empty, non-comment lines of a credentials file.
func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

// credentials builds the server's users and token digests from the flag
// files; on an address that needs auth (server.NeedsAuth) without any, it
// generates a password and a token and prints them once.
func credentials(g *globalOptions, o *serveOptions) (map[string]string, []string, error) {
	var users map[string]string
	var tokens []string
	if o.usersFile != "" {
		lines, err := readLines(o.usersFile)
		if err != nil {
			return nil, nil, err
		}
		users = map[string]string{}
		for _, l := range lines {
			name, hash, ok := strings.Cut(l, ":")
			if !ok || name == "" || !strings.HasPrefix(hash, "$2") {
				return nil, nil, usageError{fmt.Errorf("%s: want name:<bcrypt hash> lines (see --hash-password)", o.usersFile)}
			}
			users[name] = hash
		}
	}
	if o.tokenFile != "" {
		lines, err := readLines(o.tokenFile)
		if err != nil {
			return nil, nil, err
		}
		for _, l := range lines {
			if len(l) < 16 {
				return nil, nil, usageError{fmt.Errorf("%s: tokens must be at least 16 characters", o.tokenFile)}
			}
			tokens = append(tokens, server.HashToken(l))
		}
	}
	if len(users) > 0 || len(tokens) > 0 {
		return users, tokens, nil
	}
	needs, err := server.NeedsAuth(o.addr)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("--addr: %w", err)}
	}
	if !needs {
		return nil, nil, nil
	}
	pw, err := server.NewToken()
	if err != nil {
		return nil, nil, err
	}
	hash, err := server.HashPassword(pw)
	if err != nil {
		return nil, nil, err
	}
	tok, err := server.NewToken()
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(g.stderr, "leakscope: %s is not 127.0.0.1, ::1 or localhost, so login is required. Generated for this run only (not stored):\n"+
		"  browser login  user analyst, password %s\n  API token      %s\n", o.addr, pw, tok)
	return map[string]string{"analyst": hash}, []string{server.HashToken(tok)}, nil
}

func runServe(ctx context.Context, g *globalOptions, o *serveOptions) error {
	users, tokens, err := credentials(g, o)
	if err != nil {
		return err
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	if !hasIndex(c) {
		fmt.Fprintf(g.stderr, "leakscope: warning: %v; search will find nothing until 'leakscope reindex --case %s'\n", errNoIndex, g.caseDir)
	}
	x, err := openIndex(ctx, c)
	if err != nil {
		return err
	}
	defer x.Close()
	audit, err := os.OpenFile(filepath.Join(c.Dir, "audit.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer audit.Close()
	name, _ := filepath.Abs(c.Dir)
	s, err := server.New(server.Options{
		Backend: caseview.New(c, x, g.log), Addr: o.addr, Users: users, Tokens: tokens,
		Audit: audit, Logger: g.log, CaseName: filepath.Base(name),
		Hosts: o.hosts, TLSCertFile: o.tlsCert, TLSKeyFile: o.tlsKey,
	})
	if err != nil {
		return usageError{err}
	}
	err = s.ListenAndServe(ctx, func(addr string) {
		url := s.Scheme() + "://" + addr + "/"
		if g.format == "json" {
			g.json(map[string]string{"url": url, "case": c.Dir})
		} else {
			fmt.Fprintf(g.stdout, "leakscope: serving %s at %s (Ctrl-C to stop)\n", c.Dir, url)
		}
		if f, ok := g.stdout.(*os.File); ok {
			f.Sync()
		}
		if o.ready != nil {
			o.ready(addr)
		}
	})
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintln(g.stderr, "leakscope: server stopped")
	}
	return nil
}
