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
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/ingest"
)

// errIndexBusy is returned when another process holds the index open: the
// embedded index admits one process at a time (a running `serve` and an
// `ingest` cannot share it).
var errIndexBusy = errors.New("the search index is in use by another leakscope process (stop 'leakscope serve' first)")

// indexOpenTimeout bounds the wait for the index lock, which Bleve would
// otherwise wait for forever.
const indexOpenTimeout = 5 * time.Second

// openIndex opens (creating if needed) the case's index, giving up with
// errIndexBusy when another process holds it.
func openIndex(ctx context.Context, c *casedir.Case) (*bleve.Index, error) {
	type res struct {
		x   *bleve.Index
		err error
	}
	ch := make(chan res, 1)
	go func() {
		x, err := bleve.Open(c.IndexDir())
		ch <- res{x, err}
	}()
	t := time.NewTimer(indexOpenTimeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.x, r.err
	case <-t.C:
	case <-ctx.Done():
	}
	// Close the index if the open completes after all, so the lock is not
	// held by an abandoned handle.
	go func() {
		if r := <-ch; r.x != nil {
			r.x.Close()
		}
	}()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, errIndexBusy
}

// errNoIndex is returned by read commands on a case that has no index
// (ingested with --no-enrich, or by a version without one).
var errNoIndex = errors.New("the case has no search index yet")

// hasIndex reports whether the case's index directory exists.
func hasIndex(c *casedir.Case) bool {
	_, err := os.Stat(c.IndexDir())
	return err == nil
}

// caseIndexes holds the index opened for a case during one command, shared
// by the index stage and the message indexing of analyse, and closed by
// closeIndex.
var (
	caseIndexMu sync.Mutex
	caseIndexes = map[*casedir.Case]*bleve.Index{}
)

// caseIndex returns the open index of c, opening it on first use.
func caseIndex(ctx context.Context, c *casedir.Case) (*bleve.Index, error) {
	caseIndexMu.Lock()
	defer caseIndexMu.Unlock()
	if x := caseIndexes[c]; x != nil {
		return x, nil
	}
	x, err := openIndex(ctx, c)
	if err != nil {
		return nil, err
	}
	caseIndexes[c] = x
	return x, nil
}

// closeIndex closes the index of c if it was opened; closing persists the
// last batches, so every command that indexed must call it.
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
		Long: `Rebuild the search index: delete the index directory and index every
document and chat message again from the case store (text, translation,
metadata and entities are not recomputed). Use it after an upgrade that
changes the index, or when the index directory was damaged or lost.`,
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
	// Take the index lock before deleting, so that a running serve is
	// reported rather than pulled from under.
	x, err := openIndex(ctx, c)
	if err != nil {
		return err
	}
	if err := x.Close(); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := os.RemoveAll(c.IndexDir()); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if _, err := c.Store.ResetStage(ctx, enrich.StageIndex, false); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	defer func() {
		if cerr := closeIndex(g, c); err == nil {
			err = cerr
		}
	}()
	st, err := indexStage(ctx, c)
	if err != nil {
		return err
	}
	b := newBar(g.stderr, g.quiet || g.format == "json", "index")
	err = ingest.RunStages(ctx, c, []ingest.Stage{st}, 0, func(p ingest.StageProgress) {
		b.draw(p.Done, p.Total, 0, 0, p.Elapsed)
	})
	b.done()
	if err != nil {
		return err
	}
	if err := indexMessages(ctx, g, c); err != nil {
		return fmt.Errorf("index messages: %w", err)
	}
	x2, err := caseIndex(ctx, c)
	if err != nil {
		return err
	}
	n, err := x2.Count()
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
