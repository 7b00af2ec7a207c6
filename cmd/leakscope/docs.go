package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/store"
)

// docJSON is one element of the docs contract (DESIGN.md).
type docJSON struct {
	ID       string            `json:"id"`
	SHA256   string            `json:"sha256"`
	MIME     string            `json:"mime"`
	Size     int64             `json:"size"`
	Language string            `json:"language"`
	OCR      bool              `json:"ocr"`
	Status   string            `json:"status"`
	Reason   string            `json:"reason,omitempty"` // why it is not ok, as a stored code
	Error    string            `json:"error"`
	Flags    []string          `json:"flags"`
	Paths    []string          `json:"paths"`
	Meta     map[string]string `json:"meta,omitempty"`
}

func toDocJSON(d store.DocInfo, meta bool) docJSON {
	j := docJSON{ID: d.ID.String(), SHA256: d.ID.String(), MIME: d.MIME, Size: d.Size, Language: d.Language,
		OCR: d.OCR, Status: d.Status, Reason: string(d.Reason), Error: d.Error, Flags: d.Flags, Paths: escapePaths(d.Paths())}
	if j.Flags == nil {
		j.Flags = []string{}
	}
	if j.Paths == nil {
		j.Paths = []string{}
	}
	for _, o := range d.Occs {
		for _, f := range o.Flags {
			if !contains(j.Flags, f) {
				j.Flags = append(j.Flags, f)
			}
		}
	}
	if len(d.Occs) > 1 && !contains(j.Flags, "duplicate") {
		j.Flags = append(j.Flags, "duplicate")
	}
	if meta {
		j.Meta = d.Meta
	}
	return j
}

// escapePaths puts paths in the form `text` and the other commands accept
// back (store.EscapePath): JSON cannot carry a name's raw bytes when they
// are not UTF-8 (a GBK file name), and would replace them with U+FFFD.
func escapePaths(paths []string) []string {
	for i, p := range paths {
		paths[i] = store.EscapePath(p)
	}
	return paths
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

type docsOptions struct {
	status, mime, lang string
	limit, offset      int
	meta               bool
}

func newDocsCmd(g *globalOptions) *cobra.Command {
	o := &docsOptions{}
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "List the documents of the case with their paths and status",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDocs(cmd.Context(), o, g)
		},
	}
	cmd.Flags().StringVar(&o.status, "status", "", "only documents with this status (ok, failed, limit, error, unsupported, empty)")
	cmd.Flags().StringVar(&o.mime, "mime", "", "only documents whose MIME type starts with this")
	cmd.Flags().StringVar(&o.lang, "lang", "", "only documents in this language (zh-Hans, zh-Hant, en ...)")
	cmd.Flags().IntVar(&o.limit, "limit", 0, "at most this many (0: all)")
	cmd.Flags().IntVar(&o.offset, "offset", 0, "skip this many")
	cmd.Flags().BoolVar(&o.meta, "meta", false, "include metadata (title, author, dates, EXIF ...)")
	return cmd
}

func runDocs(ctx context.Context, o *docsOptions, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	docs, err := c.Store.Documents(ctx, store.DocFilter{Status: o.status, MIME: o.mime, Language: o.lang, Limit: o.limit, Offset: o.offset})
	if err != nil {
		return err
	}
	if g.format == "json" {
		out := make([]docJSON, 0, len(docs))
		for _, d := range docs {
			out = append(out, toDocJSON(d, o.meta))
		}
		return g.json(out)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSIZE\tMIME\tLANG\tSTATUS\tPATH")
	for _, d := range docs {
		paths := d.Paths()
		first := ""
		if len(paths) > 0 {
			first = visible(store.EscapePath(paths[0]))
		}
		if len(paths) > 1 {
			first += fmt.Sprintf(" (+%d)", len(paths)-1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID.Short(), human(d.Size), shortMIME(d.MIME), d.Language, d.Status, first)
	}
	return tw.Flush()
}

func shortMIME(m string) string {
	if i := strings.LastIndexAny(m, "/."); i >= 0 && len(m) > 30 {
		return m[i+1:]
	}
	return m
}

// visible shows control and invisible characters (bidi overrides,
// zero-width spaces) as escapes, so that a name like "report\u202Efdp.exe"
// cannot disguise itself on the terminal.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0xFFFD:
			b.WriteString(`\uFFFD`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
			(r >= 0x200b && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) ||
			(r >= 0x2066 && r <= 0x2069) || r == 0xfeff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
