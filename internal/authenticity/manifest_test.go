package authenticity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

func testKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestManifestDetectsOneChangedByte signs the planted case's manifest,
// then changes one byte in each blob of the case in turn: every change is
// found, on that blob and no other.
func TestManifestDetectsOneChangedByte(t *testing.T) {
	ctx := t.Context()
	c := plantedCase(t)
	m, err := BuildManifest(ctx, c, testNow)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(ctx, c, m)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Blobs == 0 {
		t.Fatalf("untouched case: %d blobs, problems %v", v.Blobs, v.Problems)
	}
	blobs := map[string]int64{}
	for _, e := range m.Entries {
		if e.SHA256 != "" && e.Size > 0 {
			blobs[e.SHA256] = e.Size
		}
	}
	for sha, size := range blobs {
		t.Run(sha[:12], func(t *testing.T) {
			id, _ := leak.ParseID(sha)
			path := c.Blobs.Path(id)
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			changed := append([]byte(nil), orig...)
			changed[size/2] ^= 0x01
			os.Chmod(path, 0o600)
			if err := os.WriteFile(path, changed, 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(path, orig, 0o600)
			v, err := Verify(ctx, c, m)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Problems) != 1 || v.Problems[0].What != ProblemChanged || v.Problems[0].SHA256 != sha {
				t.Errorf("problems %+v, want one %q on %s", v.Problems, ProblemChanged, sha[:12])
			}
		})
	}
}

// TestManifestMissingBlob: a deleted blob is reported missing.
func TestManifestMissingBlob(t *testing.T) {
	ctx := t.Context()
	c := plantedCase(t)
	m, err := BuildManifest(ctx, c, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var victim ManifestEntry
	for _, e := range m.Entries {
		if e.SHA256 != "" && e.Size > 0 {
			victim = e
			break
		}
	}
	id, _ := leak.ParseID(victim.SHA256)
	if err := os.Remove(c.Blobs.Path(id)); err != nil {
		t.Fatal(err)
	}
	v, err := Verify(ctx, c, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Problems) != 1 || v.Problems[0].What != ProblemMissing {
		t.Errorf("problems %+v, want one %q", v.Problems, ProblemMissing)
	}
}

// TestManifestSignature: the signature holds over a re-indented file and
// fails for a changed value or another key.
func TestManifestSignature(t *testing.T) {
	key := testKey(t)
	m := Manifest{Version: ManifestVersion, Case: "c", Made: testNow,
		Entries: []ManifestEntry{{Root: "r", Path: "Acme/a.txt", SHA256: leak.Hash([]byte("a")).String(), Size: 1}}}
	s, err := Sign(m, key)
	if err != nil {
		t.Fatal(err)
	}
	indented, err := json.MarshalIndent(s, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	var reread SignedManifest
	if err := json.Unmarshal(indented, &reread); err != nil {
		t.Fatal(err)
	}
	tampered := reread
	tampered.Manifest = []byte(strings.Replace(string(reread.Manifest), `"size": 1`, `"size": 2`, 1))
	if string(tampered.Manifest) == string(reread.Manifest) {
		t.Fatal("the tampering changed nothing")
	}
	tests := []struct {
		name    string
		s       SignedManifest
		pub     ed25519.PublicKey
		wantErr error
	}{
		{"re-indented", reread, key.Public().(ed25519.PublicKey), nil},
		{"value changed", tampered, key.Public().(ed25519.PublicKey), ErrBadSignature},
		{"another key", reread, testKey(t).Public().(ed25519.PublicKey), ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Open(tt.s, tt.pub)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open: %v, want %v", err, tt.wantErr)
			}
			if err == nil && (len(got.Entries) != 1 || got.Entries[0].Path != "Acme/a.txt") {
				t.Errorf("manifest %+v", got)
			}
		})
	}
}

// TestReadKeys reads the PEM forms openssl writes and refuses another
// key type.
func TestReadKeys(t *testing.T) {
	key := testKey(t)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ReadPrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil || !priv.Equal(key) {
		t.Fatalf("private key: %v", err)
	}
	pder, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ReadPublicKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pder}))
	if err != nil || !pub.Equal(key.Public()) {
		t.Fatalf("public key: %v", err)
	}
	if _, err := ReadPrivateKey([]byte("not pem")); err == nil {
		t.Error("read a key from no PEM")
	}
}
