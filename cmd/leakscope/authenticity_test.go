package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/authenticity"
)

// TestAuthenticityAndVerifyManifest runs the two verbs on a small case:
// the report is one JSON document, the manifest it signs verifies, and a
// byte changed in a blob makes verify-manifest fail with that blob named.
func TestAuthenticityAndVerifyManifest(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a small case")
	}
	ctx := t.Context()
	dir, ids := ingestSmallCase(t)
	keys := t.TempDir()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	pder, _ := x509.MarshalPKIXPublicKey(pub)
	keyPath, pubPath := filepath.Join(keys, "key.pem"), filepath.Join(keys, "pub.pem")
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pder}), 0o600)
	manifest := filepath.Join(keys, "manifest.json")

	var out bytes.Buffer
	o := authenticityOptions{now: "2026-01-15T12:00:00Z", manifest: manifest, key: keyPath}
	if err := runAuthenticity(ctx, o, cliGlobals(dir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	var r authenticity.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("report is not one JSON document: %v", err)
	}
	if r.Documents != len(ids) || len(r.Caveats) == 0 {
		t.Errorf("report: %d documents (want %d), %d caveats", r.Documents, len(ids), len(r.Caveats))
	}

	// A published copy in which one file has other bytes.
	list := filepath.Join(keys, "published.sha256")
	os.WriteFile(list, []byte(ids[0].String()+"  inv00.txt\n"+ids[0].String()+"  inv01.txt\n"), 0o600)
	out.Reset()
	if err := runAuthenticity(ctx, authenticityOptions{published: list}, cliGlobals(dir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	r = authenticity.Report{}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	var differs []string
	for _, f := range r.Findings {
		if f.Rule == authenticity.RuleDiffersFromPublished {
			differs = append(differs, f.Evidence[0].Path)
		}
	}
	if len(differs) != 1 || differs[0] != "inv01.txt" {
		t.Errorf("differs from published: %v, want [inv01.txt]", differs)
	}

	out.Reset()
	if err := runVerifyManifest(ctx, pubPath, manifest, cliGlobals(dir, "text", &out)); err != nil {
		t.Fatalf("untouched case: %v\n%s", err, out.String())
	}
	h := ids[3].String()
	blob := filepath.Join(dir, "blobs", h[:2], h)
	overwrite(t, blob, 10, 1)
	out.Reset()
	err = runVerifyManifest(ctx, pubPath, manifest, cliGlobals(dir, "json", &out))
	if !errors.Is(err, errManifestDiffers) || exitCode(err) != exitError {
		t.Fatalf("changed blob: err %v (exit %d), want errManifestDiffers", err, exitCode(err))
	}
	var v authenticity.Verification
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Problems) != 1 || v.Problems[0].SHA256 != h {
		t.Errorf("problems %+v, want one on %s", v.Problems, ids[3].Short())
	}

	tests := []struct {
		name string
		o    authenticityOptions
	}{
		{"manifest without key", authenticityOptions{manifest: manifest}},
		{"bad now", authenticityOptions{now: "yesterday"}},
		{"published list in another format", authenticityOptions{published: keyPath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := runAuthenticity(ctx, tt.o, cliGlobals(dir, "json", &out)); exitCode(err) != exitUsage {
				t.Errorf("err %v, want a usage error", err)
			}
		})
	}
}
