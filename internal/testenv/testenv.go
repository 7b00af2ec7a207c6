// Package testenv decides what a test does when something it needs from
// the machine is missing: an external program (tesseract, pdftotext,
// chromium, git, catdoc, 7z ...), a data file installed beside it (CC-CEDICT,
// CJK fonts), or the shared evaluation corpus.
//
// # Strict mode
//
// On a developer's machine a missing tool is a reason to skip, with the
// reason printed. In CI, scripts/setup.sh has installed everything first,
// so a skip there means a test net that silently caught nothing: with
// LEAKSCOPE_STRICT=1 (set by .ci/run) every such skip fails the test
// instead. Skips for other reasons (-short, opt-in suites behind their own
// variable) are not this package's business and stay skips.
//
// # The shared corpus
//
// The corpus lives outside the repository, in ../shared beside the clone.
// CI always has that folder; a user who cloned only the repository does
// not, and should be able to run .ci/run all the same. So a missing corpus
// fails in strict mode only when ../shared exists (or LEAKSCOPE_CORPUS
// names a directory): then the corpus is meant to be there and its absence
// is a broken setup. Without ../shared it skips, even in strict mode.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// StrictEnv is the variable that turns missing-resource skips into failures.
const StrictEnv = "LEAKSCOPE_STRICT"

// Strict reports whether LEAKSCOPE_STRICT=1.
func Strict() bool { return os.Getenv(StrictEnv) == "1" }

// Missing stops t because something it needs is not installed: it skips,
// or fails under LEAKSCOPE_STRICT=1. The message should name what is
// missing and how to install it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	stop(t, Strict(), format, args...)
}

// MissingCorpus stops t because the shared corpus (or a file in it) is
// absent. It fails only in strict mode and when the corpus is expected,
// that is when ../shared exists beside the module or LEAKSCOPE_CORPUS is
// set; see the package documentation.
func MissingCorpus(t testing.TB, format string, args ...any) {
	t.Helper()
	stop(t, Strict() && corpusExpected(), format, args...)
}

// NeedTool returns the path of each program on PATH, in order, or stops t
// through Missing at the first one not found.
func NeedTool(t testing.TB, names ...string) []string {
	t.Helper()
	var paths []string
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			Missing(t, "%s not installed (scripts/setup.sh installs it)", n)
			return nil
		}
		paths = append(paths, p)
	}
	return paths
}

// NeedFile returns path when it exists, or stops t through Missing with
// what and hint (how to install it).
func NeedFile(t testing.TB, path, what, hint string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, "%s not installed (%s): %v", what, hint, err)
		return ""
	}
	return path
}

func stop(t testing.TB, fail bool, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if fail {
		t.Fatalf("%s [%s=1: a missing tool or corpus fails the test]", msg, StrictEnv)
		return
	}
	t.Skip(msg)
}

// corpusExpected reports whether this checkout is set up to have the
// shared corpus: LEAKSCOPE_CORPUS is set, or ../shared exists beside the
// module root.
func corpusExpected() bool {
	if os.Getenv("LEAKSCOPE_CORPUS") != "" {
		return true
	}
	root, ok := ModuleRoot()
	if !ok {
		return false
	}
	fi, err := os.Stat(filepath.Join(root, "..", "shared"))
	return err == nil && fi.IsDir()
}

// ModuleRoot is the nearest directory at or above the working directory
// (a test's package directory) that holds go.mod.
func ModuleRoot() (string, bool) {
	d, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}
