package bleve

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The manifest lists the published segments of an index. It is the only
// file a writer changes in place, and it does so by writing a new file and
// renaming it over the old one, so a reader sees either generation whole.
const (
	manifestName   = "manifest.json"
	manifestFormat = 1
	// legacyName is the segment of an index of the single-directory
	// layout, whose Bleve files sit in the index directory itself.
	legacyName = "."
)

type manifest struct {
	Format      int           `json:"format"`
	Generation  uint64        `json:"generation"`
	NextSegment int           `json:"next_segment"` // number of the next segment directory
	Segments    []segmentMeta `json:"segments"`
}

// segmentMeta is one published segment.
type segmentMeta struct {
	Name  string `json:"name"`  // directory under the index directory
	Units uint64 `json:"units"` // units stored, shadowed copies included
	// Hidden are the IDs whose copy here a newer segment replaced or a
	// delete removed; searches leave them out.
	Hidden []string `json:"hidden,omitempty"`
	// Source is set when every unit stores its source (fSource), which a
	// merge needs to rebuild it.
	Source bool `json:"source,omitempty"`
}

// readManifest reads the manifest of dir and the file's identity. Without
// one, an index of the old layout is one legacy segment and an absent index
// is empty.
func readManifest(dir string) (manifest, os.FileInfo, error) {
	p := filepath.Join(dir, manifestName)
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
			return manifest{Segments: []segmentMeta{{Name: legacyName}}}, nil, nil
		}
		return manifest{}, nil, nil
	}
	if err != nil {
		return manifest{}, nil, fmt.Errorf("index manifest: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return manifest{}, nil, fmt.Errorf("index manifest: %w", err)
	}
	var m manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return manifest{}, nil, fmt.Errorf("index manifest: %w", err)
	}
	if m.Format != manifestFormat {
		return manifest{}, nil, fmt.Errorf("index manifest: format %d, want %d (run reindex with this version)", m.Format, manifestFormat)
	}
	for _, s := range m.Segments {
		if !filepath.IsLocal(s.Name) || filepath.Base(s.Name) != s.Name {
			return manifest{}, nil, fmt.Errorf("index manifest: bad segment name %q", s.Name)
		}
	}
	return m, fi, nil
}

// writeManifest replaces the manifest of dir atomically and durably: the
// segments it lists are already closed (persisted), the new file is synced
// before the rename and the directory after it.
func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return fmt.Errorf("index manifest: %w", err)
	}
	tmp := filepath.Join(dir, manifestName+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("index manifest: %w", err)
	}
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("index manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, manifestName)); err != nil {
		return fmt.Errorf("index manifest: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
