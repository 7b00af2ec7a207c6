package bleve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// Analyzer is the text analyzer the segment was written with; ""
	// is analyzerV1, which predates the field. A segment with another
	// analyzer than AnalyzerName still answers, with its own analysis,
	// but lacks what the newer one adds (see Index.Stale).
	Analyzer string `json:"analyzer,omitempty"`
}

// readManifest reads the manifest of dir and says whether there was one.
// Without one, an index of the old layout is one legacy segment and an
// absent index is empty.
func readManifest(dir string) (manifest, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
			return manifest{Segments: []segmentMeta{{Name: legacyName}}}, false, nil
		}
		return manifest{}, false, nil
	}
	if err != nil {
		return manifest{}, false, fmt.Errorf("index manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return manifest{}, false, fmt.Errorf("index manifest: %w", err)
	}
	if m.Format != manifestFormat {
		return manifest{}, false, fmt.Errorf("index manifest: format %d, want %d (run reindex with this version)", m.Format, manifestFormat)
	}
	for _, s := range m.Segments {
		if s.Name == legacyName || !filepath.IsLocal(s.Name) || filepath.Base(s.Name) != s.Name {
			return manifest{}, false, fmt.Errorf("index manifest: bad segment name %q", s.Name)
		}
	}
	return m, true, nil
}

// peekGeneration reads the generation from the head of the manifest,
// without the segment lists: what a reader checks before every search.
// It relies on writeManifest putting format and generation first.
func peekGeneration(dir string) (gen uint64, exists bool, err error) {
	f, err := os.Open(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("index manifest: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(io.LimitReader(f, 512))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, false, fmt.Errorf("index manifest: not a JSON object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return 0, false, fmt.Errorf("index manifest: %w", err)
		}
		if k == "generation" {
			if err := dec.Decode(&gen); err != nil {
				return 0, false, fmt.Errorf("index manifest: %w", err)
			}
			return gen, true, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0, false, fmt.Errorf("index manifest: %w", err)
		}
	}
	return 0, false, fmt.Errorf("index manifest: no generation")
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
