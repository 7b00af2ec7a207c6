package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Codes check-case adds to store's for what lies outside the database.
const (
	findBlobMissing  store.FindingCode = "blob_missing"  // a document without its blob file
	findBlobSize     store.FindingCode = "blob_size"     // the blob's size is not the document's
	findBlobHash     store.FindingCode = "blob_hash"     // the blob's SHA-256 is not its name (--full)
	findIndexBehind  store.FindingCode = "index_behind"  // fewer documents indexed than the stage says
	findIndexMissing store.FindingCode = "index_missing" // the stage says indexed, the index is gone
	findIndexBusy    store.FindingCode = "index_busy"    // another process holds the index (not checked)
)

const checkCaseHelp = `Check-case verifies that a case is whole: that case.db is present, of the
current schema and passes SQLite's quick_check, that its tables agree with
each other (no text, stage or occurrence of a missing document; no
finished extraction without its text), and that every document's blob file
is present with the right size. --full also runs SQLite's integrity_check,
re-hashes every blob against its name, and compares the search index's
document count with the store. The case is only read; check-case takes no
lock and may run beside 'leakscope serve'.

--format json writes a list of findings, each with a code (db_missing,
db_empty, db_corrupt, schema_version, orphan_text, orphan_stage,
orphan_occurrence, text_missing, stage_missing, blob_missing, blob_size,
blob_hash, index_behind, index_missing, index_busy, truncated), a severity
(error or warning) and the object concerned.

Exit status:
  0    no errors found (warnings may be listed)
  1    errors found, or the check could not run
  2    usage error: bad flag or argument
  3    no case at --case
  130  interrupted`

type checkCaseOptions struct {
	full bool
}

func newCheckCaseCmd(g *globalOptions) *cobra.Command {
	o := &checkCaseOptions{}
	cmd := &cobra.Command{
		Use:   "check-case",
		Short: "Verify the case database, blobs and index",
		Long:  checkCaseHelp,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckCase(cmd.Context(), o, g)
		},
	}
	cmd.Flags().BoolVar(&o.full, "full", false, "also run integrity_check, re-hash every blob and check the index")
	return cmd
}

// errCaseDamaged is returned by check-case when it found errors; the
// findings are the output, so the message only summarises.
type errCaseDamaged struct{ errors int }

func (e errCaseDamaged) Error() string {
	return fmt.Sprintf("check-case: %d error(s) found", e.errors)
}

func runCheckCase(ctx context.Context, o *checkCaseOptions, g *globalOptions) error {
	fs, err := checkCase(ctx, g.caseDir, o.full)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []store.Finding{} // [] in JSON, not null
	}
	if g.format == "json" {
		if err := g.json(fs); err != nil {
			return err
		}
	} else {
		printFindings(g.stdout, fs)
	}
	n := 0
	for _, f := range fs {
		if f.Severity == store.SeverityError {
			n++
		}
	}
	if n > 0 {
		return errCaseDamaged{n}
	}
	return nil
}

// checkCase opens the case read-only and collects findings. A case that
// Open refuses as damaged is a finding, not a failure of the check.
func checkCase(ctx context.Context, dir string, full bool) ([]store.Finding, error) {
	c, err := casedir.Open(ctx, filepath.Clean(dir), casedir.ReadOnly)
	var de *casedir.DamagedError
	switch {
	case errors.As(err, &de):
		return []store.Finding{damageFinding(de)}, nil
	case err != nil:
		return nil, err
	}
	defer c.Close()
	fs, err := c.Store.Check(ctx, full)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.Code == store.FindDBCorrupt {
			return fs, nil // the tables cannot be trusted to list the blobs
		}
	}
	bfs, err := checkBlobs(ctx, c, full)
	if err != nil {
		return nil, err
	}
	fs = append(fs, bfs...)
	if full {
		ifs, err := checkIndex(ctx, c)
		if err != nil {
			return nil, err
		}
		fs = append(fs, ifs...)
	}
	return fs, nil
}

// damageFinding turns Open's refusal into the finding that explains it.
func damageFinding(de *casedir.DamagedError) store.Finding {
	f := store.Finding{Code: store.FindDBCorrupt, Severity: store.SeverityError, Object: "case.db", Detail: de.Reason}
	if de.Err != nil {
		f.Detail += ": " + de.Err.Error()
	}
	fi, err := os.Stat(casedir.DBPath(de.Dir))
	switch {
	case errors.Is(err, os.ErrNotExist):
		f.Code = store.FindDBMissing
	case err == nil && fi.Size() == 0:
		f.Code = store.FindDBEmpty
	}
	return f
}

// checkBlobs checks that every document's blob exists with its size and,
// when full, that its content still hashes to its name.
func checkBlobs(ctx context.Context, c *casedir.Case, full bool) ([]store.Finding, error) {
	var fs []store.Finding
	buf := make([]byte, 256<<10)
	err := c.Store.ForEachDocument(ctx, func(id leak.ID, size int64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := c.Blobs.Path(id)
		obj, _ := filepath.Rel(c.Dir, p)
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			fs = append(fs, store.Finding{Code: findBlobMissing, Severity: store.SeverityError, Object: obj, Detail: "the document's content is gone"})
			return nil
		case err != nil:
			return fmt.Errorf("blob %s: %w", id.Short(), err)
		case fi.Size() != size:
			fs = append(fs, store.Finding{Code: findBlobSize, Severity: store.SeverityError, Object: obj,
				Detail: fmt.Sprintf("%d bytes, the document has %d", fi.Size(), size)})
			return nil
		}
		if !full {
			return nil
		}
		got, err := hashFile(p, buf)
		if err != nil {
			return fmt.Errorf("blob %s: %w", id.Short(), err)
		}
		if got != id {
			fs = append(fs, store.Finding{Code: findBlobHash, Severity: store.SeverityError, Object: obj,
				Detail: "content hashes to " + got.Short() + "…, not to its name"})
		}
		return nil
	})
	return fs, err
}

func hashFile(path string, buf []byte) (leak.ID, error) {
	var id leak.ID
	f, err := os.Open(path)
	if err != nil {
		return id, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, buf); err != nil {
		return id, err
	}
	copy(id[:], h.Sum(nil))
	return id, nil
}

// checkIndex compares the documents in the search index with the number
// the index stage says it wrote. More in the index is not an error (chat
// messages are separate units, and the document count is by kind); fewer
// means a search silently misses documents.
func checkIndex(ctx context.Context, c *casedir.Case) ([]store.Finding, error) {
	marked, err := c.Store.CountStage(ctx, enrich.StageIndex)
	if err != nil {
		return nil, err
	}
	if !hasIndex(c) {
		if marked == 0 {
			return nil, nil
		}
		return []store.Finding{{Code: findIndexMissing, Severity: store.SeverityError, Object: "index",
			Detail: fmt.Sprintf("%d documents are marked indexed but there is no index (run 'leakscope reindex')", marked)}}, nil
	}
	x, err := openIndex(ctx, c)
	if errors.Is(err, errIndexBusy) {
		return []store.Finding{{Code: findIndexBusy, Severity: store.SeverityWarning, Object: "index",
			Detail: "another leakscope process holds the index; not checked"}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer x.Close()
	res, err := x.Search(ctx, index.Query{Filters: map[string][]string{"kind": {index.KindDocument}}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("count indexed documents: %w", err)
	}
	if res.Total < uint64(marked) {
		return []store.Finding{{Code: findIndexBehind, Severity: store.SeverityError, Object: "index",
			Detail: fmt.Sprintf("%d documents indexed, %d marked indexed (run 'leakscope reindex')", res.Total, marked)}}, nil
	}
	return nil, nil
}

func printFindings(w io.Writer, fs []store.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "ok: no problems found")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Severity, f.Code, printable(f.Object), printable(f.Detail))
	}
	tw.Flush()
}

// printable keeps a finding on one line and harmless on a terminal: an
// object may be a path from the leak (a name with an escape sequence or a
// right-to-left override, say), and SQLite's messages span lines.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || unicode.Is(unicode.Bidi_Control, r) }) < 0 {
		return s
	}
	return strconv.QuoteToGraphic(s)
}
