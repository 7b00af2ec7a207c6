package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/store"
)

// errIndexBusy was returned when another process held the index. Readers
// and the one writer now share it (see bleve.Index), so nothing returns it
// any more; it stays for callers that still test for it.
var errIndexBusy = errors.New("the search index is in use by another leakscope process")

// openIndex opens the case's index for searching. It never waits for and
// never blocks a writer: it reads the published segments and follows each
// new publication, so a running ingest's documents appear as they are
// published.
func openIndex(ctx context.Context, c *casedir.Case) (*bleve.Index, error) {
	return bleve.OpenReaderWith(c.IndexDir(), queryOptions(ctx, c))
}

// openWriter opens the case's index for writing; the caller holds the
// case's write lock (casedir.Write), which makes it the only writer.
func openWriter(g *globalOptions, c *casedir.Case, rebuild bool) (*bleve.Index, error) {
	return bleve.OpenWith(c.IndexDir(), bleve.Options{Rebuild: rebuild, Logger: g.log})
}

// errNoIndex is returned by read commands on a case that has no index
// (ingested with --no-enrich, or by a version without one).
var errNoIndex = errors.New("the case has no search index yet")

// hasIndex reports whether the case's index directory exists.
func hasIndex(c *casedir.Case) bool {
	_, err := os.Stat(c.IndexDir())
	return err == nil
}

// caseIndexes holds the index writer opened for a case during one
// command, shared by the index stage and the message indexing of analyse,
// and closed (which publishes) by closeIndex.
var (
	caseIndexMu sync.Mutex
	caseIndexes = map[*casedir.Case]*bleve.Index{}
)

// caseIndex returns the index writer of c, opening it on first use.
func caseIndex(_ context.Context, c *casedir.Case) (*bleve.Index, error) {
	caseIndexMu.Lock()
	defer caseIndexMu.Unlock()
	if x := caseIndexes[c]; x != nil {
		return x, nil
	}
	x, err := bleve.OpenWith(c.IndexDir(), bleve.Options{})
	if err != nil {
		return nil, err
	}
	caseIndexes[c] = x
	return x, nil
}

// closeIndex closes the index writer of c if it was opened; closing
// publishes the last units, so every command that indexed must call it.
func closeIndex(g *globalOptions, c *casedir.Case) error {
	caseIndexMu.Lock()
	x := caseIndexes[c]
	delete(caseIndexes, c)
	caseIndexMu.Unlock()
	if x == nil {
		return nil
	}
	if err := x.Close(); err != nil {
		g.log.Error("close index", "err", err)
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// indexStage is the index enrichment stage over the case's index.
func indexStage(ctx context.Context, c *casedir.Case) (ingest.Stage, error) {
	x, err := caseIndex(ctx, c)
	if err != nil {
		return nil, err
	}
	return enrich.NewIndex(ctx, c, x)
}

// indexMessages adds the reconstructed chat messages to the index (a no-op
// when they are already there).
func indexMessages(ctx context.Context, g *globalOptions, c *casedir.Case) error {
	x, err := caseIndex(ctx, c)
	if err != nil {
		return err
	}
	t, _, err := enrich.NewTranslator(c, "", g.log)
	if err != nil {
		return err
	}
	_, err = enrich.IndexMessages(ctx, c, x, t, g.log)
	return err
}

func newReindexCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the case store",
		Long: `Rebuild the search index: index every document and chat message again from
the case store (text, translation, metadata and entities are not
recomputed) into a new generation of the index. Use it after an upgrade that
changes the index, or when the index directory was damaged or lost. Indexes
written before English stemming (index analyzer v2: "ministries" finds
"ministry") still answer without it, and search warns until a reindex.

A running serve or search keeps answering from the previous index until the
new one is complete, then switches to it; an interrupted reindex leaves the
previous index in place.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReindex(cmd.Context(), g) },
	}
}

func runReindex(ctx context.Context, g *globalOptions) (err error) {
	c, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		return err
	}
	defer c.Close()
	start := time.Now()
	x, err := openWriter(g, c, true)
	if err != nil {
		return err
	}
	caseIndexMu.Lock()
	caseIndexes[c] = x
	caseIndexMu.Unlock()
	defer func() {
		// Without Commit (an error, a signal) the rebuild is discarded and
		// the previous generation stays published.
		if cerr := closeIndex(g, c); err == nil {
			err = cerr
		}
	}()
	// No stage state is at version -1, so this counts every extracted
	// document: what the rebuild will add.
	total, err := c.Store.CountPendingStage(ctx, enrich.StageIndex, -1)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	b := newBar(g.stderr, g.quiet || g.format == "json", "index")
	marks, err := rebuildDocs(ctx, c, x, func(done int64) { b.draw(done, total, 0, 0, time.Since(start)) })
	b.done()
	if err != nil {
		return err
	}
	if err := indexMessages(ctx, g, c); err != nil {
		return fmt.Errorf("index messages: %w", err)
	}
	if err := x.Commit(ctx); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	// Published first, marked after: a kill in between leaves documents
	// unmarked that are searchable, which the next run indexes again.
	if err := c.Store.MarkStageOK(ctx, enrich.StageIndex, enrich.IndexVersion, marks); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	n, err := x.Count()
	if err != nil {
		return err
	}
	out := struct {
		Units    uint64  `json:"units"`
		ElapsedS float64 `json:"elapsed_s"`
	}{n, time.Since(start).Seconds()}
	if g.format == "json" {
		return g.json(out)
	}
	_, err = fmt.Fprintf(g.stdout, "indexed %d units (documents and chat messages) in %.1fs\n", out.Units, out.ElapsedS)
	return err
}

// rebuildDocs adds every extracted document to the rebuild x, in batches,
// and returns the marks to record once x is committed.
func rebuildDocs(ctx context.Context, c *casedir.Case, x *bleve.Index, progress func(done int64)) ([]store.StageMark, error) {
	var marks []store.StageMark
	var batch []index.Doc
	send := func() error {
		if err := x.Add(ctx, batch...); err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		batch = batch[:0]
		progress(int64(len(marks)))
		return nil
	}
	err := c.Store.ForEachText(ctx, func(d store.DocInfo, text string) error {
		t0 := time.Now()
		info, err := c.Store.Document(ctx, d.ID)
		if err != nil {
			return err
		}
		u, err := enrich.DocUnit(ctx, c.Store, info, text)
		if err != nil {
			return err
		}
		batch = append(batch, u)
		marks = append(marks, store.StageMark{ID: d.ID, Dur: time.Since(t0)})
		if len(batch) >= 256 {
			return send()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reindex: %w", err)
	}
	if len(batch) > 0 {
		if err := send(); err != nil {
			return nil, err
		}
	}
	return marks, nil
}
