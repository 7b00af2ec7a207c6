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
	return []ingest.Stage{enrich.Lang{}, &enrich.Translate{T: t}, enrich.Entities{}, ix}, nil
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

// analyse recomputes the case-wide analyses (targets, chats) when the
// documents changed since they were last computed.
func analyse(ctx context.Context, g *globalOptions, c *casedir.Case) error {
	if _, err := enrich.LoadTargets(ctx, c, g.log); err != nil {
		return fmt.Errorf("targets: %w", err)
	}
	if _, err := enrich.LoadChats(ctx, c); err != nil {
		return fmt.Errorf("chats: %w", err)
	}
	if err := indexMessages(ctx, g, c); err != nil {
		return fmt.Errorf("index messages: %w", err)
	}
	return nil
}
