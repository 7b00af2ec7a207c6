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
	"github.com/leakscope/leakscope/internal/findings"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/tool"
)

// exportFlags are the options of the export command.
type exportFlags struct {
	to, output, what, created, tlp, producer string
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
from the case's UUID and the findings, so two exports of the same case
differ only in the creation time, which --created fixes, and two cases
never share an id. Indicators carry a role (attacker infrastructure,
phishing, victim asset, contractor's own, customer, partner, unknown);
only attacker infrastructure and phishing become STIX indicators or MISP
to_ids attributes. --tlp marks the export (TLP 2.0). html is the analyst
report; pdf prints it with headless Chromium. -o - (the default) writes to
standard output; a file is replaced atomically.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExport(cmd.Context(), g, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.to, "to", "", "format: "+strings.Join(export.Formats, ", ")+" (required)")
	f.StringVarP(&fl.output, "output", "o", "-", "output file, - for standard output")
	f.StringVar(&fl.what, "what", "targets", "rows of a csv export: targets or entities")
	f.StringVar(&fl.created, "created", "", "creation time of STIX objects and the MISP event (RFC 3339; default now)")
	f.StringVar(&fl.tlp, "tlp", "amber", "TLP 2.0 label of the export: "+strings.Join(export.TLPs, ", "))
	f.StringVar(&fl.producer, "producer", "leakscope", "who produced the export (the STIX identity objects are created by)")
	cmd.MarkFlagRequired("to")
	return cmd
}

func runExport(ctx context.Context, g *globalOptions, fl exportFlags) error {
	if !slices.Contains(export.Formats, fl.to) && fl.to != "pdf" {
		return usageError{fmt.Errorf("--to %q: want one of %s, pdf", fl.to, strings.Join(export.Formats, ", "))}
	}
	if !slices.Contains(export.Whats, fl.what) {
		return usageError{fmt.Errorf("--what %q: want one of %s", fl.what, strings.Join(export.Whats, ", "))}
	}
	if !slices.Contains(export.TLPs, fl.tlp) {
		return usageError{fmt.Errorf("--tlp %q: want one of %s", fl.tlp, strings.Join(export.TLPs, ", "))}
	}
	opts := export.Options{Created: time.Now(), What: fl.what, TLP: fl.tlp, Producer: fl.producer}
	if fl.created != "" {
		t, err := time.Parse(time.RFC3339, fl.created)
		if err != nil {
			return usageError{fmt.Errorf("--created: %w", err)}
		}
		opts.Created = t
	}
	if err := ensureCaseUUID(ctx, g); err != nil {
		return err
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
	f.CaseUUID = c.Config.UUID
	if err := loadIntel(ctx, c, f, fl.to == "ftm" || fl.to == "json"); err != nil {
		return err
	}
	write := func(w io.Writer) error { return export.Write(w, fl.to, f, opts) }
	if fl.to == "pdf" {
		write = func(w io.Writer) error { return writePDF(ctx, c.TempDir(), w, f, opts) }
	}
	if fl.output == "-" || fl.output == "" {
		return write(g.stdout)
	}
	return writeAtomic(fl.output, write)
}

// writePDF prints the HTML report to PDF with headless Chromium, which
// lays out Chinese, Arabic and Cyrillic text as the page shows it. The
// page has no scripts and no external resources, and the browser runs
// with a throwaway profile in the case's scratch directory.
func writePDF(ctx context.Context, scratch string, w io.Writer, f *export.Findings, o export.Options) error {
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if tool.Available(name) == nil {
			exe = name
			break
		}
	}
	if exe == "" {
		return fmt.Errorf("pdf: %w: chromium (install it, or export --to html and print that)", tool.ErrMissing)
	}
	dir, err := os.MkdirTemp(scratch, "pdf-")
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	defer os.RemoveAll(dir)
	page, out := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
	var html strings.Builder
	if err := export.Write(&html, "html", f, o); err != nil {
		return err
	}
	if err := os.WriteFile(page, []byte(html.String()), 0o600); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err = tool.Run(ctx, tool.Cmd{Name: exe, Timeout: 2 * time.Minute, MaxMemory: -1, Args: []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf=" + out, "file://" + page}})
	if err != nil {
		return fmt.Errorf("pdf: chromium: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return fmt.Errorf("pdf: chromium wrote nothing: %w", err)
	}
	_, err = w.Write(b)
	return err
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

// ensureCaseUUID gives a case made before case UUIDs existed its UUID
// before it is exported, so that its ids cannot collide with another
// case's in a folder of the same name: a write-mode open adds it. When a
// writer holds the case, the export goes on with ids derived from the
// folder name and says so, as it does for a case on read-only media.
func ensureCaseUUID(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	has := c.Config.UUID != ""
	if err := c.Close(); err != nil || has {
		return err
	}
	w, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		// Locked by a writer, or on read-only media: export anyway.
		fmt.Fprintf(g.stderr, "leakscope: warning: the case has no UUID yet and cannot be opened for writing (%v); "+
			"ids derive from the folder name and may collide with another case's\n", err)
		return nil
	}
	return w.Close()
}

// loadIntel fills the IOC roles, ATT&CK techniques and tools of f by
// running package findings over the stored texts and entity mentions of
// the documents that mention an indicator, and, when docs is set, the
// document list with its mentions for FollowTheMoney.
//
// This reads texts at export time: the findings are not yet a stored
// analysis stage (they need a per-document stage beside targets and
// chats, which belongs to the enrich package). findings.Observe is pure
// and per document, so moving it into a stage changes only this loader.
func loadIntel(ctx context.Context, c *casedir.Case, f *export.Findings, docs bool) error {
	paths, err := c.Store.AllPathsByDoc(ctx)
	if err != nil {
		return fmt.Errorf("paths: %w", err)
	}
	var know findings.Knowledge
	for _, t := range f.Targets {
		know.Targets = append(know.Targets, t.Name)
		know.Targets = append(know.Targets, t.Aliases...)
	}
	var obs []findings.Observation
	err = c.Store.ForEachText(ctx, func(d store.DocInfo, text string) error {
		ms, err := c.Store.DocEntities(ctx, d.ID)
		if err != nil {
			return err
		}
		fd := findings.Doc{MIME: d.MIME, Text: text}
		if p := paths[d.ID]; len(p) > 0 {
			fd.Path = slices.Min(p)
		}
		for _, m := range ms {
			fd.Mentions = append(fd.Mentions, findings.Mention{Kind: string(m.Kind), Value: m.Norm, Start: m.Start, End: m.End})
		}
		obs = append(obs, findings.Observe(fd, know, findings.Params{}))
		if docs {
			f.Documents = append(f.Documents, exportDoc(d, paths[d.ID], ms))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	r := findings.Combine(obs, findings.Params{})
	f.IOCs, f.Techniques, f.Tools = r.IOCs, r.Techniques, r.Tools
	if docs {
		if err := addDocSizes(ctx, c, f); err != nil {
			return err
		}
	}
	return nil
}

// exportDoc is a stored document as exports describe it, with each
// distinct mention once.
func exportDoc(d store.DocInfo, paths []string, ms []store.Mention) export.Document {
	ps := slices.Clone(paths)
	slices.Sort(ps)
	doc := export.Document{SHA256: d.ID.String(), Paths: ps, MIME: d.MIME, Language: d.Language}
	seen := map[export.Mention]bool{}
	for _, m := range ms {
		em := export.Mention{Kind: string(m.Kind), Value: m.Norm}
		if !seen[em] {
			seen[em] = true
			doc.Mentions = append(doc.Mentions, em)
		}
	}
	return doc
}

// addDocSizes fills the document sizes, which texts do not carry.
func addDocSizes(ctx context.Context, c *casedir.Case, f *export.Findings) error {
	infos, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	size := map[string]int64{}
	for _, d := range infos {
		size[d.ID.String()] = d.Size
	}
	for i := range f.Documents {
		f.Documents[i].Size = size[f.Documents[i].SHA256]
	}
	return nil
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
