package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
)

// globalOptions are the flags every command shares.
type globalOptions struct {
	caseDir string
	format  string
	verbose bool
	quiet   bool
	stdout  io.Writer
	stderr  io.Writer
	log     *slog.Logger
	// warnedNotAnalysed is set once a reader said that the case-wide
	// analyses are not computed yet.
	warnedNotAnalysed bool
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "leakscope",
		Short: "Offline leak investigation workbench",
		Long: `leakscope ingests a leaked dump (folders, archives, git history, mail), extracts
its text (with Chinese OCR), translates it offline, finds entities, targets and
chats, and serves a local search UI. A case is one directory.` + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if g.format != "text" && g.format != "json" {
				return usageError{fmt.Errorf("--format must be text or json, not %q", g.format)}
			}
			level := slog.LevelWarn
			if g.verbose {
				level = slog.LevelDebug
			}
			g.log = slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.caseDir, "case", defaultCase(), "case directory (env LEAKSCOPE_CASE)")
	pf.StringVar(&g.format, "format", "text", "output format: text or json")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "log debug events to stderr")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "no progress bar")
	root.AddCommand(
		newIngestCmd(g),
		newAnalyseCmd(g),
		newStatusCmd(g),
		newDocsCmd(g),
		newTextCmd(g),
		newErrorsCmd(g),
		newDemoCmd(g),
		newTranslateCmd(g),
		newChatsCmd(g),
		newChatCmd(g),
		newEntitiesCmd(g),
		newTargetsCmd(g),
		newGlossaryCmd(g),
		newLinksCmd(g),
		newTimelineCmd(g),
		newCheckCmd(g),
		newCheckCaseCmd(g),
		newExportCmd(g),
		newSearchCmd(g),
		newReindexCmd(g),
		newServeCmd(g),
		newAuthenticityCmd(g),
		newVerifyManifestCmd(g),
	)
	for _, c := range root.Commands() {
		if !strings.Contains(c.Long, "Exit status") {
			long := c.Long
			if long == "" {
				long = c.Short
			}
			c.Long = strings.TrimSpace(long) + exitHelp
		}
	}
	return root
}

func defaultCase() string {
	if c := os.Getenv("LEAKSCOPE_CASE"); c != "" {
		return c
	}
	return "case"
}

func isFlagError(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag") ||
		strings.Contains(err.Error(), "accepts ") && strings.Contains(err.Error(), "arg(s)")
}

// openCase opens the case of g for reading or writing.
func (g *globalOptions) openCase(ctx context.Context, mode casedir.Mode) (*casedir.Case, error) {
	return casedir.Open(ctx, filepath.Clean(g.caseDir), mode)
}

// json writes v as the one JSON document of the command's output.
func (g *globalOptions) json(v any) error {
	enc := json.NewEncoder(g.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// addGoFlags adds a standard library flag set (leak.Limits.Flags) to cmd.
func addGoFlags(cmd *cobra.Command, fs *flag.FlagSet) {
	cmd.Flags().AddGoFlagSet(fs)
}
