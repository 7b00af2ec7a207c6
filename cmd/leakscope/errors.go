package main

import (
	"cmp"
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
)

func newErrorsCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "errors",
		Short: "List every failed document and every member that could not be stored, with the reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runErrors(cmd.Context(), g)
		},
	}
}

type errorJSON struct {
	ID     string   `json:"id,omitempty"`
	Path   string   `json:"path"`
	Paths  []string `json:"paths,omitempty"`
	MIME   string   `json:"mime,omitempty"`
	Status string   `json:"status"`
	Reason string   `json:"reason,omitempty"` // the stored reason code (leak.Reason)
	Error  string   `json:"error"`
	Flags  []string `json:"flags,omitempty"`
}

func runErrors(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	docs, err := c.Store.Documents(ctx, store.DocFilter{Status: "failed"})
	if err != nil {
		return err
	}
	probs, err := c.Store.Problems(ctx)
	if err != nil {
		return err
	}
	losses, err := enrich.ChatLosses(ctx, c)
	if err != nil {
		return err
	}
	var out []errorJSON
	for _, d := range docs {
		p := d.Paths()
		first := ""
		if len(p) > 0 {
			first = p[0]
		}
		out = append(out, errorJSON{ID: d.ID.String(), Path: store.EscapePath(first), Paths: escapePaths(p), MIME: d.MIME, Status: d.Status, Reason: string(d.Reason), Error: d.Error, Flags: d.Flags})
	}
	for _, o := range probs {
		status := "not-stored"
		if contains(o.Flags, store.FlagUnreadable) {
			status = store.FlagUnreadable
		}
		out = append(out, errorJSON{Path: store.EscapePath(o.Path), Status: status, Reason: string(o.Reason), Error: o.Error, Flags: o.Flags})
	}
	// Documents that are ok but whose chat messages were partly
	// unreadable: the loss is shown, not hidden behind the ok status.
	for _, l := range losses {
		d, err := c.Store.Document(ctx, l.Doc)
		if err != nil {
			return err
		}
		p := d.Paths()
		first := ""
		if len(p) > 0 {
			first = p[0]
		}
		out = append(out, errorJSON{ID: d.ID.String(), Path: store.EscapePath(first), Paths: escapePaths(p), MIME: d.MIME,
			Status: enrich.FlagChatSkipped, Reason: "chat-" + firstReason(l.Read.Reasons), Error: l.Describe(), Flags: d.Flags})
	}
	if g.format == "json" {
		if out == nil {
			out = []errorJSON{}
		}
		return g.json(out)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tREASON\tPATH\tERROR")
	for _, e := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Status, cmp.Or(e.Reason, "-"), visible(e.Path), visible(e.Error))
	}
	return tw.Flush()
}

// firstReason is the most frequent reason of a chat loss (by name on a
// tie), as the one reason code a row shows.
func firstReason(rs map[chat.SkipReason]int) string {
	best, bestN := "", 0
	for r, n := range rs {
		if n > bestN || n == bestN && string(r) < best {
			best, bestN = string(r), n
		}
	}
	return best
}
