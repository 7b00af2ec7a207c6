// Package internal_test holds checks over the whole module's package graph.
package internal_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/leakscope/leakscope/"

// layers ranks every package of the module, after STYLE.md: leak <-
// blob/store/index <- extract/entity/translate/ocr/lang <- ingest <-
// target/chat/export/server <- cmd. A package may import packages of its
// own rank or below, never above. A prefix ending in "/" covers the
// subpackages. Every package must be listed, so that a new one is placed
// deliberately rather than escaping the check.
var layers = []struct {
	rank int
	pkgs []string
}{
	// Vocabulary and leaf libraries that import nothing of ours but each
	// other: they may be used from every layer.
	{0, []string{"internal/leak", "internal/charset", "internal/ole", "internal/sniff", "internal/tool",
		"internal/source", "internal/testenv", "internal/golden", "internal/corpus", "internal/attack", "internal/alias"}},
	// Storage.
	{1, []string{"internal/blob", "internal/blob/", "internal/store", "internal/store/", "internal/index", "internal/index/"}},
	// A case binds the storages together.
	{2, []string{"internal/casedir"}},
	// Analysis of one document: pure of storage (see analysisPure).
	{3, []string{"internal/extract", "internal/extract/", "internal/entity", "internal/entity/",
		"internal/translate", "internal/translate/", "internal/ocr", "internal/ocr/", "internal/lang",
		"internal/ole/",
		// Character readings and the surname table: a leaf library that
		// the gloss translator romanises names with.
		"internal/chat/pinyin"}},
	// The pipeline.
	{4, []string{"internal/ingest"}},
	// Case-wide analyses, stages after ingest, and what shows a case.
	{5, []string{"internal/target", "internal/target/", "internal/chat", "internal/chat/", "internal/enrich",
		"internal/export", "internal/findings", "internal/server", "internal/server/", "internal/caseview", "internal/demo",
		"internal/browsertest", "internal/authenticity"}},
	{6, []string{"cmd/"}},
}

// analysisPure are the layer-3 prefixes that must not import storage or a
// case at all (STYLE.md: extractors and detectors stay free of store
// imports, so they can be fuzzed and reused without a database).
var analysisPure = []string{"internal/extract", "internal/entity", "internal/translate", "internal/ocr", "internal/lang"}

// storage is what analysisPure must not import.
var storage = []string{"internal/blob", "internal/store", "internal/index", "internal/casedir"}

// testSupport packages exist for tests; production code must not link
// them (they carry *testing.T helpers and fixtures).
var testSupport = []string{"internal/testenv", "internal/golden", "internal/corpus", "internal/browsertest",
	"internal/extract/extracttest", "internal/index/indextest", "internal/ole/oletest", "internal/store/storetest",
	"internal/blob/blobtest"}

// allowed are today's exceptions, each with the reason it stays.
var allowed = map[[2]string]string{
	// The evaluation command scores leakscope against the shared corpus;
	// locating that corpus is its job, and it is not part of the product.
	{"cmd/lseval", "internal/corpus"}: "evaluation tool reads the corpus by design",
}

func under(pkg string, prefixes []string) bool {
	for _, p := range prefixes {
		if pkg == p || strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p) || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}

// rankOf returns the rank of pkg, preferring the longest matching entry,
// or -1 when pkg is not listed.
func rankOf(pkg string) int {
	best, bestLen := -1, -1
	for _, l := range layers {
		for _, p := range l.pkgs {
			match := pkg == p || strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p)
			if match && len(p) > bestLen {
				best, bestLen = l.rank, len(p)
			}
		}
	}
	return best
}

// violation says which rule the import pkg -> imp breaks, or "".
func violation(pkg, imp string) string {
	switch {
	case rankOf(imp) > rankOf(pkg):
		return "imports a higher layer"
	case under(pkg, analysisPure) && under(imp, storage):
		return "analysis code imports storage"
	case under(imp, testSupport) && !under(pkg, testSupport):
		return "production code imports test support"
	}
	return ""
}

// TestViolation shows each rule catching a made-up import.
func TestViolation(t *testing.T) {
	tests := []struct {
		name, pkg, imp, want string
	}{
		{"vocabulary imports storage", "internal/leak", "internal/store", "imports a higher layer"},
		{"store imports the pipeline", "internal/store", "internal/ingest", "imports a higher layer"},
		{"extractor imports the store", "internal/extract/pdf", "internal/store", "analysis code imports storage"},
		{"detector imports a case", "internal/entity/ioc", "internal/casedir", "analysis code imports storage"},
		{"server imports a golden helper", "internal/server", "internal/golden", "production code imports test support"},
		{"extracttest imports golden", "internal/extract/extracttest", "internal/golden", ""},
		{"pipeline imports the store", "internal/ingest", "internal/store", ""},
		{"command imports the server", "cmd/leakscope", "internal/server", ""},
		{"same layer", "internal/extract/image", "internal/ocr", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := violation(tt.pkg, tt.imp); got != tt.want {
				t.Errorf("violation(%s, %s) = %q, want %q", tt.pkg, tt.imp, got, tt.want)
			}
		})
	}
}

// goList runs go list in the module root with args and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.CommandContext(t.Context(), goBin, append([]string{"list"}, args...)...)
	cmd.Dir = ".." // the test runs in internal/
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.Bytes())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// imports maps each package of the module (relative to it) to the
// packages of the module it imports in non-test code.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	for _, line := range goList(t, "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], module) {
			continue
		}
		pkg := strings.TrimPrefix(f[0], module)
		graph[pkg] = nil
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, module) {
				graph[pkg] = append(graph[pkg], strings.TrimPrefix(imp, module))
			}
		}
	}
	if len(graph) < 20 {
		t.Fatalf("go list found %d packages of the module; the check would check nothing", len(graph))
	}
	return graph
}

// TestLayers fails when a package imports one of a higher layer, when an
// extractor or detector imports storage, when production code links a
// test-support package, or when a package has no layer.
func TestLayers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	graph := imports(t)
	var pkgs []string
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	used := map[[2]string]bool{}
	for _, pkg := range pkgs {
		if pkg == "internal" {
			continue // this test's own package: test files only
		}
		r := rankOf(pkg)
		if r < 0 {
			t.Errorf("%s has no layer: add it to layers in internal/layers_test.go", pkg)
			continue
		}
		for _, imp := range graph[pkg] {
			edge := [2]string{pkg, imp}
			why := violation(pkg, imp)
			if why == "" {
				continue
			}
			if _, ok := allowed[edge]; ok {
				used[edge] = true
				continue
			}
			t.Errorf("%s -> %s: %s (rank %d -> %d)", pkg, imp, why, r, rankOf(imp))
		}
	}
	for edge := range allowed {
		if !used[edge] {
			t.Errorf("allowed %s -> %s is no longer needed: remove it", edge[0], edge[1])
		}
	}
}

// TestGoldenPackagesLinkGolden checks that every package with golden files
// links internal/golden in its tests, which is what registers -update and
// what `make golden` selects packages by: a package with its own flag or
// none would be skipped by make golden and never refreshed.
func TestGoldenPackagesLinkGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	linked := map[string]bool{}
	for _, line := range goList(t, "-test", "-f", "{{if .ForTest}}{{.ForTest}} {{join .Deps \" \"}}{{end}}", "./...") {
		f := strings.Fields(line)
		for _, d := range f[min(1, len(f)):] {
			if d == module+"internal/golden" {
				linked[f[0]] = true
			}
		}
	}
	var withGolden int
	for _, line := range goList(t, "-f", "{{.ImportPath}} {{.Dir}}", "./...") {
		pkg, dir, _ := strings.Cut(line, " ")
		if fi, err := os.Stat(filepath.Join(dir, "testdata", "golden")); err != nil || !fi.IsDir() {
			continue
		}
		withGolden++
		if !linked[pkg] {
			t.Errorf("%s has testdata/golden but its tests do not use internal/golden", strings.TrimPrefix(pkg, module))
		}
	}
	if withGolden == 0 {
		t.Fatal("no package has testdata/golden; the check would check nothing")
	}
}
