package bleve

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzManifest feeds arbitrary bytes as manifest.json: reading it never
// panics, a manifest it accepts names only segment directories inside the
// index, and the generation a reader peeks at is the one it then reads.
func FuzzManifest(f *testing.F) {
	f.Add([]byte(`{"format":1,"generation":3,"next_segment":2,"segments":[{"name":"seg-00000001","units":2,"hidden":["a"],"source":true}]}`))
	f.Add([]byte(`{"format":1,"generation":1,"segments":[{"name":"../x"}]}`))
	f.Add([]byte(`{"generation":1e400}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, manifestName), b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, _ = peekGeneration(dir) // must not panic on any input
		m, exists, err := readManifest(dir)
		if err != nil {
			return
		}
		if !exists {
			t.Fatal("a manifest file read as absent")
		}
		for _, s := range m.Segments {
			if !filepath.IsLocal(s.Name) || filepath.Base(s.Name) != s.Name || s.Name == legacyName {
				t.Fatalf("accepted segment name %q", s.Name)
			}
		}
		// What writeManifest writes, peek reads back.
		if err := writeManifest(dir, m); err != nil {
			t.Fatal(err)
		}
		if gen, pexists, perr := peekGeneration(dir); perr != nil || !pexists || gen != m.Generation {
			t.Fatalf("peek after write: %d, %v, %v; want %d", gen, pexists, perr, m.Generation)
		}
	})
}
