package main

import (
	"bytes"
	"strings"
	"testing"
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
