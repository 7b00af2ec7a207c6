package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/ingest"
)

func newAnalyseCmd(g *globalOptions) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "analyse",
		Short: "Update the case-wide analyses (targets, chats) from the per-document results",
		Long: `Analyse brings the target register and the chat analysis up to date: it
runs the per-document targets and chats stages on documents that lack them
(after an upgrade), then combines every document's stored result, which
reads no text and runs no OCR. Ingest does this itself after every run;
readers (targets, chats, export, serve) only read what was stored.
--force combines again even when nothing changed.` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAnalyse(cmd.Context(), g, force) },
	}
	cmd.Flags().BoolVar(&force, "force", false, "combine again even when no document changed")
	return cmd
}

func runAnalyse(ctx context.Context, g *globalOptions, force bool) (err error) {
	c, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		return err
	}
	defer c.Close()
	defer func() {
		if cerr := closeIndex(g, c); err == nil {
			err = cerr
		}
	}()
	start := time.Now()
	bars := map[string]*bar{}
	err = ingest.RunStages(ctx, c, []ingest.Stage{enrich.Targets{}, enrich.NewChatParse()}, 0, func(p ingest.StageProgress) {
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
	if err := analyseCase(ctx, g, c, force); err != nil {
		return err
	}
	ts, err := enrich.LoadTargets(ctx, c, g.log)
	if err != nil {
		return err
	}
	ch, err := enrich.LoadChats(ctx, c)
	if err != nil {
		return err
	}
	out := struct {
		Targets       int     `json:"targets"`
		Conversations int     `json:"conversations"`
		People        int     `json:"people"`
		ElapsedS      float64 `json:"elapsed_s"`
	}{len(ts), len(ch.Conversations), len(ch.Persons), time.Since(start).Seconds()}
	if g.format == "json" {
		return g.json(out)
	}
	_, err = fmt.Fprintf(g.stdout, "targets %d, conversations %d, people %d (%.1fs)\n", out.Targets, out.Conversations, out.People, out.ElapsedS)
	return err
}

// warnNotAnalysed lets a reader go on with empty analyses when none are
// stored yet, saying once on stderr how to compute them; other errors
// pass through.
func warnNotAnalysed(g *globalOptions, err error) error {
	if !errors.Is(err, enrich.ErrNotAnalysed) {
		return err
	}
	if !g.warnedNotAnalysed {
		g.warnedNotAnalysed = true
		fmt.Fprintf(g.stderr, "leakscope: warning: %v\n", err)
	}
	return nil
}
