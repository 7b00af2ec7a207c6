package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeCredentialsByAddress checks that serve generates a login for
// every address but 127.0.0.1, ::1 and localhost, as --help says.
func TestServeCredentialsByAddress(t *testing.T) {
	tests := []struct {
		name      string
		addr      string
		wantLogin bool
	}{
		{name: "127.0.0.1", addr: "127.0.0.1:0", wantLogin: false},
		{name: "::1", addr: "[::1]:0", wantLogin: false},
		{name: "localhost", addr: "localhost:0", wantLogin: false},
		{name: "rest of 127/8", addr: "127.0.0.2:0", wantLogin: true},
		{name: "all interfaces", addr: "0.0.0.0:0", wantLogin: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			users, tokens, err := credentials(&globalOptions{stderr: &stderr}, &serveOptions{addr: tt.addr})
			if err != nil {
				t.Fatal(err)
			}
			got := len(users) > 0 && len(tokens) > 0 && strings.Contains(stderr.String(), "API token")
			if got != tt.wantLogin {
				t.Errorf("credentials on %s: generated %v (%d users, %d tokens), want %v", tt.addr, got, len(users), len(tokens), tt.wantLogin)
			}
		})
	}
}

// TestServeTLS runs serve in process with --tls-cert, --tls-key and a
// token file on the demo case, and reads the API over HTTPS.
func TestServeTLS(t *testing.T) {
	f := theDemoCase(t)
	dir := t.TempDir()
	certFile, keyFile, pool := writeTestCertificate(t, dir)
	const token = "a-token-of-at-least-16-characters"
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	g := &globalOptions{caseDir: f.caseDir, stdout: &stdout, stderr: &stderr, log: slog.New(slog.DiscardHandler)}
	addrc := make(chan string, 1)
	o := &serveOptions{addr: "127.0.0.1:0", tokenFile: tokens, tlsCert: certFile, tlsKey: keyFile, ready: func(a string) { addrc <- a }}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, g, o) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	if want := "https://" + addr + "/"; !strings.Contains(stdout.String(), want) {
		t.Errorf("serve printed %q, want the URL %s", stdout.String(), want)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", "https://"+addr+"/api/v1/stats", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /api/v1/stats over TLS = %d, want 200", resp.StatusCode)
	}
}

// writeTestCertificate writes a self-signed certificate for 127.0.0.1 and
// its key into dir and returns their paths and a pool that trusts it.
func writeTestCertificate(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile, pool
}
