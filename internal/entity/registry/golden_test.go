package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/golden"
)

// owned returns a scanner over the registered detectors except org and
// geo, whose output changes with their gazetteers: the golden digests pin
// the rest.
func owned() *entity.Scanner {
	var ds []entity.Detector
	for _, d := range Detectors() {
		switch d.(type) {
		case org.Detector, geo.Detector:
			continue
		}
		ds = append(ds, d)
	}
	return entity.NewScanner(ds...)
}

// scanDigest is the SHA-256 of every field of every match of Scan and of
// ScanCapped (default caps) of s over text: two scanners agree byte for
// byte when their digests agree.
func scanDigest(s *entity.Scanner, text []byte) string {
	h := sha256.New()
	for _, m := range s.Scan(text) {
		fmt.Fprintf(h, "%s\x00%q\x00%q\x00%d\x00%d\n", m.Kind, m.Value, m.Norm, m.Start, m.End)
	}
	ms, cut := s.ScanCapped(text, entity.Caps{})
	fmt.Fprintf(h, "capped %v\n", cut)
	for _, m := range ms {
		fmt.Fprintf(h, "%s\x00%q\x00%q\x00%d\x00%d\n", m.Kind, m.Value, m.Norm, m.Start, m.End)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// scanGolden holds scan digests recorded with the detectors of entity/3 (but org and geo) before
// it was made faster: generated notes by seed, and the text files of the
// shared corpus by the SHA-256 of their content (no names or paths).
type scanGolden struct {
	Generated map[string]string `json:"generated"`
	Corpus    map[string]string `json:"corpus"`
}

const goldenPath = "testdata/golden/scan.json"

// corpusTexts returns the UTF-8 files of the shared corpus by content
// hash, or nil when the corpus is absent.
func corpusTexts(t *testing.T) map[string][]byte {
	root := filepath.Join("..", "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(b) > 0 && len(b) < 8<<20 && utf8.Valid(b) {
			sum := sha256.Sum256(b)
			out[hex.EncodeToString(sum[:])] = b
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk corpus: %v", err)
	}
	return out
}

// TestScanGolden holds Scan and ScanCapped to the digests recorded before
// the scanner was optimised, on generated notes and on every text file of
// the shared corpus (skipped when the corpus is absent).
func TestScanGolden(t *testing.T) {
	g := scanGolden{Generated: map[string]string{}, Corpus: map[string]string{}}
	if !golden.Update() {
		b, err := os.ReadFile(goldenPath)
		if err != nil {
			t.Fatalf("read golden: %v", err)
		}
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatalf("parse golden: %v", err)
		}
	}
	sc := owned()
	got := scanGolden{Generated: map[string]string{}, Corpus: map[string]string{}}
	for seed := range 8 {
		got.Generated[strconv.Itoa(seed)] = scanDigest(sc, notes(uint64(seed), 64<<10))
	}
	texts := corpusTexts(t)
	for sum, b := range texts {
		got.Corpus[sum] = scanDigest(sc, b)
	}
	if golden.Update() {
		b, err := json.MarshalIndent(got, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(g.Generated, got.Generated); diff != "" {
		t.Errorf("generated notes (-golden +got)\n%s", diff)
	}
	if texts == nil {
		t.Log("shared corpus absent: corpus digests not checked")
		return
	}
	checked := 0
	for sum, d := range got.Corpus {
		want, ok := g.Corpus[sum]
		if !ok {
			continue // a file added to the corpus after the digests were recorded
		}
		checked++
		if want != d {
			t.Errorf("corpus file %s: digest %s, golden %s", sum[:12], d[:12], want[:12])
		}
	}
	if checked == 0 {
		// Another corpus of the same shapes: TestPatternsCorpus compares
		// old and new on it without recorded digests.
		t.Logf("no corpus file has a recorded digest (%d texts)", len(texts))
		return
	}
	t.Logf("%d corpus texts checked", checked)
}
