package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/export"
)

// exportFlags are the options of the export command.
type exportFlags struct {
	to, output, what, created string
}

func newExportCmd(g *globalOptions) *cobra.Command {
	var fl exportFlags
	cmd := &cobra.Command{
		Use:   "export --to FORMAT [-o FILE]",
		Short: "Export targets, entities and chat graph as csv, json, stix, misp, ftm, gexf or a Markdown report",
		Long: `Export the case's findings for other tools: csv (targets, or entities with
--what entities), json (everything), stix (a STIX 2.1 bundle), misp (a MISP
event), ftm (FollowTheMoney entities, one JSON object a line), gexf (the
who-talks-to-whom graph for Gephi) or report (Markdown). Ids are derived
from the findings, so two exports of the same case differ only in the
creation time, which --created fixes. -o - (the default) writes to
standard output; a file is replaced atomically.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExport(cmd.Context(), g, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.to, "to", "", "format: "+strings.Join(export.Formats, ", ")+" (required)")
	f.StringVarP(&fl.output, "output", "o", "-", "output file, - for standard output")
	f.StringVar(&fl.what, "what", "targets", "rows of a csv export: targets or entities")
	f.StringVar(&fl.created, "created", "", "creation time of STIX objects and the MISP event (RFC 3339; default now)")
	cmd.MarkFlagRequired("to")
	return cmd
}

func runExport(ctx context.Context, g *globalOptions, fl exportFlags) error {
	if !slices.Contains(export.Formats, fl.to) {
		return usageError{fmt.Errorf("--to %q: want one of %s", fl.to, strings.Join(export.Formats, ", "))}
	}
	if !slices.Contains(export.Whats, fl.what) {
		return usageError{fmt.Errorf("--what %q: want one of %s", fl.what, strings.Join(export.Whats, ", "))}
	}
	opts := export.Options{Created: time.Now(), What: fl.what}
	if fl.created != "" {
		t, err := time.Parse(time.RFC3339, fl.created)
		if err != nil {
			return usageError{fmt.Errorf("--created: %w", err)}
		}
		opts.Created = t
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	f, err := loadFindings(ctx, g, c)
	if err != nil {
		return err
	}
	if fl.output == "-" || fl.output == "" {
		return export.Write(g.stdout, fl.to, f, opts)
	}
	return writeAtomic(fl.output, func(w io.Writer) error { return export.Write(w, fl.to, f, opts) })
}

// loadFindings reads everything an export describes from the case.
func loadFindings(ctx context.Context, g *globalOptions, c *casedir.Case) (*export.Findings, error) {
	f := &export.Findings{Case: filepath.Base(filepath.Clean(c.Dir))}
	var err error
	f.Targets, err = enrich.LoadTargets(ctx, c, g.log)
	if err = warnNotAnalysed(g, err); err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	if f.Entities, err = c.Store.Entities(ctx, ""); err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	ch, err := enrich.LoadChats(ctx, c)
	if err = warnNotAnalysed(g, err); err != nil {
		return nil, fmt.Errorf("chats: %w", err)
	}
	f.FromChats(ch)
	return f, nil
}

// writeAtomic writes a file through a temporary file in the same
// directory renamed over it, so that a reader never sees half an export
// and a failed export leaves the old file in place.
func writeAtomic(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close() // already closed on the rename path; the error is moot
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
