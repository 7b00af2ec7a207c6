package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
)

func newTimelineCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "timeline",
		Short: "Documents by date and chat messages per day",
		Long: `Timeline prints the case's activity in time, as the analyses stored it:
every document by the date it claims (metadata, mail headers) or else the
earliest plausible file time of its occurrences, and the number of chat
messages per day. The same as the UI's timeline and GET /api/v1/timeline.` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runTimeline(cmd.Context(), g) },
	}
}

func runTimeline(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	tl, err := enrich.LoadTimeline(ctx, c)
	if err = warnNotAnalysed(g, err); err != nil {
		return err
	}
	if g.format == "json" {
		return g.json(tl)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tMESSAGES\tCONVERSATIONS")
	for _, m := range tl.Messages {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", m.Day, m.Count, m.Conversations)
	}
	tw.Flush()
	fmt.Fprintln(g.stdout)
	tw = tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSOURCE\tPATH")
	for _, d := range tl.Documents {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Date.Format("2006-01-02 15:04"), d.Source, visible(d.Path))
	}
	fmt.Fprintf(tw, "\t\t(%d documents without a date)\n", tl.Undated)
	return tw.Flush()
}

func newLinksCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "links",
		Short: "Who writes about which target in chats",
		Long: `Links prints, for each person and target, how many of the person's chat
messages name the target (by its name or an alias); "dashed" links are
people who only take part in a conversation the target's evidence points
to. The same as the UI's who-targets-what graph and GET /api/v1/target-links.` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runLinks(cmd.Context(), g) },
	}
}

func runLinks(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	links, err := enrich.LoadTargetLinks(ctx, c)
	if err = warnNotAnalysed(g, err); err != nil {
		return err
	}
	if g.format == "json" {
		return g.json(links)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tTARGET\tCOUNTRY\tMESSAGES")
	for _, l := range links {
		n := fmt.Sprint(l.Messages)
		if l.Dashed {
			n = "(in a conversation)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Person, l.Target, l.Country, n)
	}
	return tw.Flush()
}
