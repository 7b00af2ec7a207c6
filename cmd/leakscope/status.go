package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
)

func newStatusCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show per-stage counts, rates and errors grouped by reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), g)
		},
	}
}

type statusJSON struct {
	Case    string              `json:"case"`
	Schema  int                 `json:"schema"`
	Counts  store.Counts        `json:"counts"`
	Stages  []stageJSON         `json:"stages"`
	Errors  []store.ReasonCount `json:"errors"`
	LastRun *store.Run          `json:"last_run,omitempty"`
	// ChatLoss counts the documents whose chat messages were partly
	// unreadable and the records lost; `errors` lists them.
	ChatLoss chatLossJSON `json:"chat_loss"`
}

type chatLossJSON struct {
	Documents int `json:"documents"`
	Skipped   int `json:"skipped"`
	Records   int `json:"records"`
}

type stageJSON struct {
	store.StageStat
	DocsPerSec float64 `json:"docs_per_s"`
}

func runStatus(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	var out statusJSON
	out.Case = c.Dir
	if out.Schema, err = st.SchemaVersion(ctx); err != nil {
		return err
	}
	if out.Counts, err = st.Counts(ctx); err != nil {
		return err
	}
	stages, err := st.StageStats(ctx)
	if err != nil {
		return err
	}
	for _, s := range stages {
		if s.Stage == enrich.StageIndex {
			// Documents an ingest has not published yet (or a killed one
			// never did) are not searchable: show them as pending.
			if s.Pending, err = enrich.PendingDocs(ctx, st); err != nil {
				return err
			}
		}
		sj := stageJSON{StageStat: s}
		if s.TotalMS > 0 {
			sj.DocsPerSec = float64(s.Done) / (float64(s.TotalMS) / 1000)
		}
		out.Stages = append(out.Stages, sj)
	}
	if out.Errors, err = st.ErrorReasons(ctx); err != nil {
		return err
	}
	losses, err := enrich.ChatLosses(ctx, c)
	if err != nil {
		return err
	}
	for _, l := range losses {
		out.ChatLoss.Documents++
		out.ChatLoss.Skipped += l.Read.Skipped
		out.ChatLoss.Records += l.Read.Records
	}
	if r, ok, err := st.LastRun(ctx); err != nil {
		return err
	} else if ok {
		out.LastRun = &r
	}
	if g.format == "json" {
		return g.json(out)
	}
	w := g.stdout
	fmt.Fprintf(w, "case %s (schema %d)\n", out.Case, out.Schema)
	fmt.Fprintf(w, "documents %d  occurrences %d  bytes %s  failed %d  unreadable %d  not stored %d\n\n",
		out.Counts.Documents, out.Counts.Occurrences, human(out.Counts.Bytes), out.Counts.Failed, out.Counts.Unreadable, out.Counts.Problems)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tDONE\tOK\tFAILED\tPENDING\tTIME\tDOCS/S (per worker)")
	for _, s := range out.Stages {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%.1f\n", s.Stage, s.Done, s.OK, s.Failed, s.Pending,
			(time.Duration(s.TotalMS) * time.Millisecond).Round(time.Millisecond), s.DocsPerSec)
	}
	tw.Flush()
	for _, s := range out.Stages {
		if s.Stage == enrich.StageIndex && s.Pending > 0 {
			fmt.Fprintf(w, "\nindexing incomplete: %d documents are not searchable yet\n", s.Pending)
		}
	}
	if len(out.Errors) > 0 {
		fmt.Fprintln(w, "\nerrors by reason:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range out.Errors {
			fmt.Fprintf(tw, "  %d\t%s\t%s\n", e.Count, e.Status, visible(e.Reason))
		}
		tw.Flush()
	}
	if out.ChatLoss.Documents > 0 {
		fmt.Fprintf(w, "\nchat messages could not be read: %d of %d records in %d documents (see errors)\n",
			out.ChatLoss.Skipped, out.ChatLoss.Records, out.ChatLoss.Documents)
	}
	if out.LastRun != nil {
		fmt.Fprintf(w, "\nlast run: %s at %s: %s\n", out.LastRun.Command, out.LastRun.Started.Format(time.RFC3339), out.LastRun.Summary)
	}
	return nil
}
