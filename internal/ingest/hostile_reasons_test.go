package ingest

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// The reasons case checks that what went wrong is stored as a code
// (leak.Reason), decided from typed errors, and that `status` counts by
// code.
func init() {
	hostileCases = append(hostileCases, hostileCase{
		name: "reasons",
		make: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "empty.txt"), nil)
			noise := make([]byte, 4096)
			r := rand.New(rand.NewPCG(3, 4))
			for i := range noise {
				noise[i] = byte(r.UintN(256))
			}
			writeFile(t, filepath.Join(dir, "noise.bin"), noise)
			writeFile(t, filepath.Join(dir, "link.zip"), zipBytes(t,
				zipMember{name: "shadow", body: []byte("/etc/shadow"), link: true},
				zipMember{name: "note.txt", body: []byte("Acme Telecom note\n")}))
		},
		check: func(t *testing.T, c *casedir.Case) {
			docs := []struct {
				path string
				want leak.Reason
			}{
				{"reasons/empty.txt", leak.ReasonEmpty},
				// The strings fallback refuses noise as a format it cannot read.
				{"reasons/noise.bin", leak.ReasonUnsupported},
				// The zip-bomb case's archive.
				{"zip-bomb/bomb.zip", leak.LimitReason("ratio")},
				{"reasons/link.zip", leak.ReasonNone},
			}
			for _, d := range docs {
				if got := hostileDoc(t, c, d.path).Reason; got != d.want {
					t.Errorf("%s: reason %q, want %q", d.path, got, d.want)
				}
			}
			probs := []struct {
				path string
				want leak.Reason
			}{
				{"zip-bomb/bomb.zip!/zeros.bin", leak.LimitReason("ratio")},
				{"encrypted/members.zip!/secret.txt", leak.ReasonEncrypted},
				{"reasons/link.zip!/shadow", leak.ReasonSymlink},
			}
			for _, p := range probs {
				if got := hostileProblem(t, c, p.path).Reason; got != p.want {
					t.Errorf("%s: reason %q, want %q", p.path, got, p.want)
				}
			}
			reasons, err := c.Store.ErrorReasons(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(reasons, func(r store.ReasonCount) bool {
				return r.Code == leak.ReasonEmpty && r.Reason == leak.ReasonEmpty.Text()
			}) {
				t.Errorf("ErrorReasons has no %q counted by code: %+v", leak.ReasonEmpty, reasons)
			}
		},
	})
}
