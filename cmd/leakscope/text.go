package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
)

type textOptions struct {
	translated bool
}

func newTextCmd(g *globalOptions) *cobra.Command {
	o := &textOptions{}
	cmd := &cobra.Command{
		Use:   "text ID|PATH",
		Short: "Print the extracted text of a document",
		Long: `Print the extracted text of a document, given its hash (or a unique prefix
of 6+ digits) or one of its paths. A path that is not valid UTF-8 (a GBK file
name) is accepted byte for byte, or as 'docs --format json' prints it, with
each invalid byte written \xNN and a backslash \\. --translated shows the
original and the English translation side by side, segment by segment.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runText(cmd.Context(), o, g, args[0])
		},
	}
	cmd.Flags().BoolVar(&o.translated, "translated", false, "show the English translation under each segment")
	return cmd
}

func runText(ctx context.Context, o *textOptions, g *globalOptions, ref string) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	id, err := c.Store.Resolve(ctx, ref)
	if err != nil {
		return err
	}
	text, pages, err := c.Store.Text(ctx, id)
	if err != nil {
		return err
	}
	if o.translated {
		return printTranslated(ctx, g, c, id, text)
	}
	if g.format == "json" {
		return g.json(map[string]any{"id": id.String(), "text": text, "pages": pages})
	}
	_, err = fmt.Fprintln(g.stdout, text)
	return err
}
