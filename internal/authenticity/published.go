package authenticity

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Rules of the comparison with a published copy. Written to JSON reports:
// never rename them.
const (
	RuleDiffersFromPublished = "differs-from-published"
	RuleMissingFromCase      = "missing-from-case"
)

// ReadHashList reads a list of published hashes in the form sha256sum
// writes ("<64 hex>  <path>", "*" before the path in binary mode), one
// file a line, into path -> hash. Blank lines and lines starting with #
// are skipped; any other line that does not parse is an error, so that a
// list in another format is not read as empty.
func ReadHashList(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		hash, path, ok := strings.Cut(line, " ")
		path = strings.TrimPrefix(strings.TrimPrefix(path, " "), "*")
		if _, err := leak.ParseID(strings.ToLower(hash)); !ok || err != nil || path == "" {
			return nil, fmt.Errorf("hash list line %d: want \"<sha256>  <path>\"", n)
		}
		out[path] = strings.ToLower(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hash list: %w", err)
	}
	return out, nil
}

// comparePublished: a file of a published copy of the dump (say, the
// copy a newsroom put online) whose path is in the case with other bytes
// was changed by one side; one the case lacks was removed or never
// received. Paths are compared as the case stores them, relative to the
// ingested root; files of the case that the list does not name are not
// findings (a list may cover part of a dump).
func comparePublished(docs []store.DocInfo, published map[string]string) []Finding {
	have := map[string]docView{}
	for _, d := range docs {
		for _, o := range d.Occs {
			have[o.Path] = docView{d: d, path: o.Path}
		}
	}
	paths := make([]string, 0, len(published))
	for p := range published {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []Finding
	for _, p := range paths {
		want := published[p]
		v, ok := have[p]
		switch {
		case !ok:
			out = append(out, Finding{Rule: RuleMissingFromCase, Summary: "a published file is not in the case",
				Evidence: []Evidence{{Path: store.EscapePath(p), Values: map[string]string{"published_sha256": want}}}})
		case v.d.ID.String() != want:
			out = append(out, Finding{Rule: RuleDiffersFromPublished, Summary: "the case's file differs from the published copy",
				Evidence: []Evidence{evidence(v, "published_sha256", want, "sha256", v.d.ID.String())}})
		}
	}
	return out
}
