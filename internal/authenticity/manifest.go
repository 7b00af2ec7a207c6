package authenticity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// ManifestVersion is the format of Manifest; a reader refuses others.
const ManifestVersion = 1

// Manifest lists every occurrence of a case: each file and container
// member with the hash, size, time and provenance of its content.
type Manifest struct {
	Version int             `json:"version"`
	Case    string          `json:"case"` // the case's UUID
	Made    time.Time       `json:"made"`
	Entries []ManifestEntry `json:"entries"`
}

// ManifestEntry is one occurrence.
type ManifestEntry struct {
	Root    string `json:"root"`
	Path    string `json:"path"` // EscapePath form
	SHA256  string `json:"sha256,omitempty"`
	Size    int64  `json:"size"`
	ModTime string `json:"mtime,omitempty"`
	Commit  string `json:"commit,omitempty"`
	// Parent is the sha256 of the container the member was found in.
	Parent string `json:"parent,omitempty"`
	// Reason is why no content was stored (a link, a limit), "" if it was.
	Reason string `json:"reason,omitempty"`
}

// SignedManifest is the file the analyst keeps: the manifest, the public
// half of the key that signed it, and an ed25519 signature over the
// compact JSON of the manifest.
type SignedManifest struct {
	Manifest  json.RawMessage `json:"manifest"`
	PublicKey string          `json:"public_key"` // base64 of the 32-byte key
	Signature string          `json:"signature"`  // base64
}

// BuildManifest lists the case's occurrences, sorted by root and path.
func BuildManifest(ctx context.Context, c *casedir.Case, now time.Time) (Manifest, error) {
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: documents: %w", err)
	}
	probs, err := c.Store.Problems(ctx)
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: problems: %w", err)
	}
	m := Manifest{Version: ManifestVersion, Case: c.Config.UUID, Made: now.UTC(), Entries: []ManifestEntry{}}
	seen := map[[2]string]bool{}
	add := func(o store.Occurrence) {
		k := [2]string{o.Root, o.Path}
		if seen[k] {
			return
		}
		seen[k] = true
		e := ManifestEntry{Root: store.EscapePath(o.Root), Path: store.EscapePath(o.Path), Size: o.Size, Commit: o.Commit, Reason: string(o.Reason)}
		if !o.Doc.IsZero() {
			e.SHA256 = o.Doc.String()
		}
		if !o.Parent.IsZero() {
			e.Parent = o.Parent.String()
		}
		if !o.ModTime.IsZero() {
			e.ModTime = o.ModTime.UTC().Format(time.RFC3339)
		}
		m.Entries = append(m.Entries, e)
	}
	for _, d := range docs {
		for _, o := range d.Occs {
			if o.Size == 0 {
				o.Size = d.Size
			}
			add(o)
		}
	}
	for _, o := range probs {
		add(o)
	}
	sort.Slice(m.Entries, func(i, j int) bool {
		if m.Entries[i].Root != m.Entries[j].Root {
			return m.Entries[i].Root < m.Entries[j].Root
		}
		return m.Entries[i].Path < m.Entries[j].Path
	})
	return m, nil
}

// Sign signs m with key.
func Sign(m Manifest, key ed25519.PrivateKey) (SignedManifest, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("sign manifest: %w", err)
	}
	pub := key.Public().(ed25519.PublicKey)
	return SignedManifest{Manifest: raw, PublicKey: base64.StdEncoding.EncodeToString(pub),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, raw))}, nil
}

// ErrBadSignature means the manifest was not signed by the key given, or
// was changed after it was signed.
var ErrBadSignature = errors.New("manifest signature does not verify")

// Open checks the signature of s against pub and returns the manifest.
// The signed bytes are the compact JSON of the manifest, so re-indenting
// the file does not break it and changing any value does.
func Open(s SignedManifest, pub ed25519.PublicKey) (Manifest, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, s.Manifest); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	if err != nil || !ed25519.Verify(pub, buf.Bytes(), sig) {
		return Manifest{}, ErrBadSignature
	}
	var m Manifest
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	if m.Version != ManifestVersion {
		return Manifest{}, fmt.Errorf("manifest version %d, want %d", m.Version, ManifestVersion)
	}
	return m, nil
}

// Problem kinds of a verification. They are written to JSON: never rename.
const (
	ProblemChanged = "changed" // the blob's bytes no longer hash to its name
	ProblemMissing = "missing" // the blob is gone
	ProblemSize    = "size"    // the blob's size differs from the manifest's
	ProblemRemoved = "removed" // an occurrence of the manifest is not in the case
	ProblemAdded   = "added"   // an occurrence of the case is not in the manifest
)

// Problem is one disagreement between a manifest and the case.
type Problem struct {
	What   string `json:"what"`
	SHA256 string `json:"sha256,omitempty"`
	Path   string `json:"path"`
	Want   string `json:"want,omitempty"`
	Got    string `json:"got,omitempty"`
}

// Verification is the result of Verify.
type Verification struct {
	Entries  int       `json:"entries"`
	Blobs    int       `json:"blobs"` // distinct contents re-hashed
	Problems []Problem `json:"problems"`
}

// OK reports whether the case matches the manifest.
func (v Verification) OK() bool { return len(v.Problems) == 0 }

// Verify re-hashes every blob m names and compares the case's occurrences
// with m's. Each content is hashed once, however many paths share it.
func Verify(ctx context.Context, c *casedir.Case, m Manifest) (Verification, error) {
	v := Verification{Entries: len(m.Entries), Problems: []Problem{}}
	checked := map[string]bool{}
	for _, e := range m.Entries {
		if e.SHA256 == "" || checked[e.SHA256] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return v, err
		}
		checked[e.SHA256] = true
		v.Blobs++
		p, err := checkBlob(c, e)
		if err != nil {
			return v, err
		}
		if p != nil {
			v.Problems = append(v.Problems, *p)
		}
	}
	now, err := BuildManifest(ctx, c, time.Time{})
	if err != nil {
		return v, err
	}
	v.Problems = append(v.Problems, diffEntries(m.Entries, now.Entries)...)
	return v, nil
}

// checkBlob hashes the blob of e; a nil Problem means it is intact.
func checkBlob(c *casedir.Case, e ManifestEntry) (*Problem, error) {
	id, err := leak.ParseID(e.SHA256)
	if err != nil {
		return &Problem{What: ProblemChanged, SHA256: e.SHA256, Path: e.Path, Got: "not a sha256"}, nil
	}
	f, err := c.Blobs.Open(id)
	if errors.Is(err, os.ErrNotExist) {
		if e.Size == 0 {
			return nil, nil // an empty file may have no blob
		}
		return &Problem{What: ProblemMissing, SHA256: e.SHA256, Path: e.Path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", id.Short(), err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", id.Short(), err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 {
		return &Problem{What: ProblemChanged, SHA256: e.SHA256, Path: e.Path, Want: e.SHA256, Got: got}, nil
	}
	if n != e.Size {
		return &Problem{What: ProblemSize, SHA256: e.SHA256, Path: e.Path, Want: fmt.Sprint(e.Size), Got: fmt.Sprint(n)}, nil
	}
	return nil, nil
}

// diffEntries compares the occurrences of two manifests by root and path,
// and the content each names.
func diffEntries(want, got []ManifestEntry) []Problem {
	type key struct{ root, path string }
	have := map[key]ManifestEntry{}
	for _, e := range got {
		have[key{e.Root, e.Path}] = e
	}
	var out []Problem
	for _, e := range want {
		k := key{e.Root, e.Path}
		g, ok := have[k]
		delete(have, k)
		switch {
		case !ok:
			out = append(out, Problem{What: ProblemRemoved, SHA256: e.SHA256, Path: e.Path})
		case g.SHA256 != e.SHA256:
			out = append(out, Problem{What: ProblemChanged, SHA256: e.SHA256, Path: e.Path, Want: e.SHA256, Got: g.SHA256})
		}
	}
	var added []Problem
	for _, e := range have {
		added = append(added, Problem{What: ProblemAdded, SHA256: e.SHA256, Path: e.Path})
	}
	sort.Slice(added, func(i, j int) bool { return added[i].Path < added[j].Path })
	return append(out, added...)
}

// ReadPrivateKey reads an ed25519 private key in PKCS #8 PEM, as
// `openssl genpkey -algorithm ed25519` writes it.
func ReadPrivateKey(pemBytes []byte) (ed25519.PrivateKey, error) {
	b, _ := pem.Decode(pemBytes)
	if b == nil {
		return nil, errors.New("private key: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key: %T is not ed25519", k)
	}
	return ek, nil
}

// ReadPublicKey reads an ed25519 public key in PKIX PEM, as `openssl pkey
// -pubout` writes it.
func ReadPublicKey(pemBytes []byte) (ed25519.PublicKey, error) {
	b, _ := pem.Decode(pemBytes)
	if b == nil {
		return nil, errors.New("public key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key: %T is not ed25519", k)
	}
	return ek, nil
}
