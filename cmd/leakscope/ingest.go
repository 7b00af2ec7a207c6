package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
)

type ingestOptions struct {
	limits      leak.Limits
	workers     int
	retryFailed bool
	redo        []string
	noEnrich    bool
}

func newIngestCmd(g *globalOptions) *cobra.Command {
	o := &ingestOptions{limits: leak.DefaultLimits()}
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Ingest files, folders, archives, git repositories and mail into the case",
		Long: `Ingest walks each PATH, stores every file once by content hash, records
every place it was found, opens archives, mail and git history recursively
within limits, extracts text and runs the enrichment stages.

Re-running ingest skips finished work; a killed ingest resumes where it
stopped. --retry-failed re-extracts only the documents that failed;
--redo STAGE re-runs a stage for every document (after an upgrade).` + exitHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), o, g, args)
		},
	}
	fs := flag.NewFlagSet("limits", flag.ContinueOnError)
	o.limits.Flags(fs)
	addGoFlags(cmd, fs)
	cmd.Flags().IntVar(&o.workers, "workers", 0, "parallel workers (0: one per core)")
	cmd.Flags().BoolVar(&o.retryFailed, "retry-failed", false, "re-extract documents whose extraction failed")
	cmd.Flags().StringSliceVar(&o.redo, "redo", nil, "re-run these stages for all documents (extract, lang, translate, entities, index)")
	cmd.Flags().BoolVar(&o.noEnrich, "no-enrich", false, "only store and extract; skip language, translation, entities and index")
	return cmd
}

func runIngest(ctx context.Context, o *ingestOptions, g *globalOptions, paths []string) error {
	// Before the case is opened: a mistyped path must not leave an empty
	// case behind.
	for _, p := range paths {
		if _, err := os.Lstat(p); err != nil {
			return usageError{fmt.Errorf("ingest %s: %w", p, err)}
		}
	}
	c, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		return err
	}
	defer c.Close()
	b := newBar(g.stderr, g.quiet || g.format == "json", "ingest")
	p := ingest.New(c, ingest.Options{
		Limits:      o.limits,
		Workers:     o.workers,
		Log:         g.log,
		RetryFailed: o.retryFailed,
		Redo:        o.redo,
		Progress: func(pr ingest.Progress) {
			b.draw(pr.TopDone, pr.TotalFiles, pr.Bytes, pr.TotalBytes, pr.Elapsed)
		},
	})
	start := time.Now()
	sum, err := p.Run(ctx, paths)
	b.done()
	if err != nil {
		return err
	}
	if !o.noEnrich {
		if err := enrichCase(ctx, g, c, ""); err != nil {
			return err
		}
	}
	// The run is the whole command: extraction, the stages and the
	// analyses, not the extraction alone.
	sum.ElapsedS = time.Since(start).Seconds()
	if g.format == "json" {
		return g.json(sum)
	}
	fmt.Fprintf(g.stdout, "files seen   %d\ndocuments    %d (%d new)\nduplicates   %d\nskipped      %d (unchanged since last run)\nerrors       %d (see 'leakscope errors')\nelapsed      %.1fs\n",
		sum.FilesSeen, sum.Documents, sum.NewDocuments, sum.Duplicates, sum.Skipped, sum.Errors, sum.ElapsedS)
	return nil
}
