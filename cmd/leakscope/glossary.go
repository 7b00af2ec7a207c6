package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/alias"
	"github.com/leakscope/leakscope/internal/casedir"
)

// glossaryOp is one glossary subcommand.
type glossaryOp string

const (
	glossaryList   glossaryOp = "list"
	glossaryAdd    glossaryOp = "add"
	glossaryRemove glossaryOp = "remove"
	glossaryImport glossaryOp = "import"
	glossaryExport glossaryOp = "export"
)

func newGlossaryCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "glossary",
		Short: "Edit the case's alias memory: which spellings name one organisation",
		Long: `The glossary is the case's bilingual alias memory: each entry lists the
spellings of one organisation in any script (卡斯特拉诺航运, "Castellano
Shipping", CSL) and optionally its country. The target register merges the
mentions of every spelling of an entry, before any of its own rules, and is
combined again after every change. The glossary is glossary.json in the case
directory; import and export use the same JSON form.` + exitHelp,
	}
	var country string
	add := &cobra.Command{
		Use:   "add NAME NAME...",
		Short: "Record that the names are one organisation (merged with entries that share one)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGlossary(cmd.Context(), g, glossaryAdd, args, country)
		},
	}
	add.Flags().StringVar(&country, "country", "", "ISO 3166 code of the organisation's country")
	cmd.AddCommand(
		&cobra.Command{Use: "list", Short: "List the entries", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return runGlossary(cmd.Context(), g, glossaryList, nil, "")
			}},
		add,
		&cobra.Command{Use: "remove NAME", Short: "Remove a spelling (and its entry when one name is left)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runGlossary(cmd.Context(), g, glossaryRemove, args, "")
			}},
		&cobra.Command{Use: "import FILE", Short: "Add the entries of a glossary JSON file", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runGlossary(cmd.Context(), g, glossaryImport, args, "")
			}},
		&cobra.Command{Use: "export", Short: "Write the glossary as JSON to stdout", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return runGlossary(cmd.Context(), g, glossaryExport, nil, "")
			}},
	)
	return cmd
}

// runGlossary runs one glossary operation on the case. The editing
// operations hold the case's write lock and combine the register again,
// so that readers see the change at once.
func runGlossary(ctx context.Context, g *globalOptions, op glossaryOp, args []string, country string) (err error) {
	mode := casedir.ReadOnly
	edit := op == glossaryAdd || op == glossaryRemove || op == glossaryImport
	if edit {
		mode = casedir.Write
	}
	c, err := g.openCase(ctx, mode)
	if err != nil {
		return err
	}
	defer c.Close()
	m, err := alias.Load(c.Dir)
	if err != nil {
		return err
	}
	switch op {
	case glossaryList:
		if g.format == "json" {
			return m.Write(g.stdout)
		}
		tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "COUNTRY\tNAMES")
		for _, e := range m.Entries {
			fmt.Fprintf(tw, "%s\t%s\n", e.Country, visible(strings.Join(e.Names, " = ")))
		}
		return tw.Flush()
	case glossaryExport:
		return m.Write(g.stdout)
	case glossaryAdd:
		m.Add(args, country)
	case glossaryRemove:
		if err := m.Remove(args[0]); err != nil {
			return usageError{err}
		}
	case glossaryImport:
		f, err := os.Open(args[0])
		if err != nil {
			return usageError{fmt.Errorf("import: %w", err)}
		}
		in, err := alias.Read(f)
		f.Close()
		if err != nil {
			return usageError{fmt.Errorf("import %s: %w", args[0], err)}
		}
		for _, e := range in.Entries {
			m.Add(e.Names, e.Country)
		}
	default:
		return usageError{fmt.Errorf("glossary: unknown operation %q", op)}
	}
	if err := m.Save(c.Dir); err != nil {
		return err
	}
	defer func() {
		if cerr := closeIndex(g, c); err == nil {
			err = cerr
		}
	}()
	return analyseCase(ctx, g, c, false)
}
