package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

func newEntitiesCmd(g *globalOptions) *cobra.Command {
	var kind string
	var limit int
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "List entities (IOCs, volumes, dates, money, countries, organisations, people) across the case",
		Long: `List every entity found in the case, grouped by type and normalised value,
with the number of mentions and the paths of the documents that mention it.
Types: ` + kindsList() + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if kind != "" && !validKind(kind) {
				return usageError{fmt.Errorf("--type %q: want one of %s", kind, kindsList())}
			}
			c, err := g.openCase(cmd.Context(), casedir.ReadOnly)
			if err != nil {
				return err
			}
			defer c.Close()
			es, err := c.Store.Entities(cmd.Context(), kind)
			if err != nil {
				return err
			}
			if limit > 0 && len(es) > limit {
				es = es[:limit]
			}
			if g.format == "json" {
				if es == nil {
					es = []store.EntitySummary{}
				}
				return g.json(es)
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tVALUE\tCOUNT\tDOCUMENTS")
			for _, e := range es {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", e.Type, visible(e.Value), e.Count, len(e.Paths))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&kind, "type", "", "only this type")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many (0: all)")
	return cmd
}

func kindsList() string {
	var s []string
	for _, k := range leak.Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, " ")
}

func validKind(k string) bool {
	for _, x := range leak.Kinds {
		if string(x) == k {
			return true
		}
	}
	return false
}

func newTargetsCmd(g *globalOptions) *cobra.Command {
	var country string
	cmd := &cobra.Command{
		Use:   "targets",
		Short: "The register of targeted organisations: country, sector, data taken, volume, dates, evidence",
		Long: `The target register: every organisation the leak shows as targeted (from
victim tables and from mentions next to targeting language, in any
language), merged across spellings, with its country (ISO 3166-1 alpha-2,
INT for international bodies), sector, data types, volume in bytes or
records, first and last date, a confidence, and the evidence (path,
snippet and its English translation). It reads the register that ingest
(or 'leakscope analyse') stored; it never recomputes it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.openCase(cmd.Context(), casedir.ReadOnly)
			if err != nil {
				return err
			}
			defer c.Close()
			ts, err := enrich.LoadTargets(cmd.Context(), c, g.log)
			if err = warnNotAnalysed(g, err); err != nil {
				return err
			}
			if country != "" {
				var keep []target.Target
				for _, t := range ts {
					if strings.EqualFold(t.Country, country) {
						keep = append(keep, t)
					}
				}
				ts = keep
			}
			if g.format == "json" {
				if ts == nil {
					ts = []target.Target{}
				}
				return g.json(ts)
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tCOUNTRY\tSECTOR\tVOLUME\tRECORDS\tFIRST\tLAST\tCONF\tEVIDENCE")
			for _, t := range ts {
				vol := ""
				if t.VolumeBytes > 0 {
					vol = human(t.VolumeBytes)
				}
				rec := ""
				if t.Records > 0 {
					rec = fmt.Sprint(t.Records)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%d\n", t.Name, t.Country, t.Sector, vol, rec,
					t.FirstSeen, t.LastSeen, t.Confidence, len(t.Evidence))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&country, "country", "", "only targets in this country (ISO code, or INT)")
	return cmd
}

func newCheckCmd(g *globalOptions) *cobra.Command {
	var watchFile string
	cmd := &cobra.Command{
		Use:   "check --watch FILE",
		Short: "Exposure check: is my organisation, domain, network or e-mail in the leak?",
		Long: `Check a watch list against every document of the case, across languages:
an English entry matches Chinese mentions through the dictionary and
aliases ("Ministry of Finance Chile" finds 智利财政部). The watch list is
one entry per line, 'type: value | alias | alias' with type org, domain,
cidr, ip, email or keyword (a line without a type is an org), or a JSON
array of {"name","aliases","type"}. Exit status 0 whether or not there are
hits; --fail-on-hit makes hits exit 6.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), g, watchFile, cmd.Flags().Changed("fail-on-hit"))
		},
	}
	cmd.Flags().StringVar(&watchFile, "watch", "", "watch list file (required)")
	cmd.Flags().Bool("fail-on-hit", false, "exit with status 6 when anything matches")
	cmd.MarkFlagRequired("watch")
	return cmd
}

// errHits is returned by check --fail-on-hit when the watch list matched.
type errHits struct{ n int }

func (e errHits) Error() string { return fmt.Sprintf("%d watch list hits", e.n) }

func runCheck(ctx context.Context, g *globalOptions, watchFile string, failOnHit bool) error {
	f, err := os.Open(watchFile)
	if err != nil {
		return usageError{err}
	}
	defer f.Close()
	watch, err := target.ParseWatchList(f)
	if err != nil {
		return usageError{fmt.Errorf("watch list %s: %w", watchFile, err)}
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	hits, err := enrich.Check(ctx, c, watch)
	if err != nil {
		return err
	}
	if g.format == "json" {
		if hits == nil {
			hits = []target.Hit{}
		}
		if err := g.json(hits); err != nil {
			return err
		}
	} else {
		if len(hits) == 0 {
			fmt.Fprintln(g.stdout, "no hits")
		}
		for _, h := range hits {
			fmt.Fprintf(g.stdout, "%s  [%s] %s\n", h.Watch, h.Type, visible(h.Value))
			for _, p := range h.Paths {
				fmt.Fprintf(g.stdout, "    %s\n", visible(p))
			}
		}
	}
	if failOnHit && len(hits) > 0 {
		return errHits{len(hits)}
	}
	return nil
}
