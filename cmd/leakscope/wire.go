package main

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/ingest"
)

// stages builds the enrichment stages in the order they run.
func stages(ctx context.Context, g *globalOptions, c *casedir.Case, backend string) ([]ingest.Stage, error) {
	t, warn, err := enrich.NewTranslator(c, backend, g.log)
	if err != nil {
		return nil, err
	}
	if warn != nil {
		fmt.Fprintln(g.stderr, "leakscope: warning:", warn)
	}
	ix, err := indexStage(ctx, c)
	if err != nil {
		return nil, err
	}
	return enrich.Stages(t, ix), nil
}

// enrich runs the stages after extraction, with a progress bar.
func enrichCase(ctx context.Context, g *globalOptions, c *casedir.Case, backend string) (err error) {
	defer func() {
		if cerr := closeIndex(g, c); err == nil {
			err = cerr
		}
	}()
	ss, err := stages(ctx, g, c, backend)
	if err != nil {
		return err
	}
	bars := map[string]*bar{}
	err = ingest.RunStages(ctx, c, ss, 0, func(p ingest.StageProgress) {
		b := bars[p.Stage]
		if b == nil {
			b = newBar(g.stderr, g.quiet || g.format == "json", p.Stage)
			bars[p.Stage] = b
		}
		b.draw(p.Done, p.Total, 0, 0, p.Elapsed)
		if p.Done == p.Total {
			b.done()
		}
	})
	if err != nil {
		return err
	}
	return analyse(ctx, g, c)
}

// analyse combines the per-document results into the case-wide analyses
// (targets, chats) when any changed since they were last combined, and
// indexes the chat messages that changed.
func analyse(ctx context.Context, g *globalOptions, c *casedir.Case) error {
	return analyseCase(ctx, g, c, false)
}

func analyseCase(ctx context.Context, g *globalOptions, c *casedir.Case, force bool) error {
	x, err := caseIndex(ctx, c)
	if err != nil {
		return err
	}
	t, _, err := enrich.NewTranslator(c, "", g.log)
	if err != nil {
		return err
	}
	return enrich.Analyse(ctx, c, x, t, force, g.log)
}
