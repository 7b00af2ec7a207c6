package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

type translateOptions struct {
	backend string
	redo    bool
	set     bool
}

func newTranslateCmd(g *globalOptions) *cobra.Command {
	o := &translateOptions{}
	cmd := &cobra.Command{
		Use:   "translate [ID|PATH...]",
		Short: "Translate the case's non-English documents (cached; only new segments are sent)",
		Long: `Translate every non-English document of the case into English with the
case's backend: gloss (offline dictionary gist, the default), libretranslate
or openai (any OpenAI-compatible server: Ollama, vLLM, llama.cpp), set in
case.json (translator, translator_url, translator_model) or with --backend.
Translations are cached by (backend, language, segment): re-running never
translates a segment twice, and switching backends keeps both.

With document IDs or paths, only those documents are (re)translated, e.g.
with a better backend than the case's default.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return runTranslateSome(cmd.Context(), o, g, args)
			}
			return runTranslate(cmd.Context(), o, g)
		},
	}
	cmd.Flags().StringVar(&o.backend, "backend", "", "translator backend: gloss, libretranslate, openai (default: the case's)")
	cmd.Flags().BoolVar(&o.redo, "redo", false, "re-translate every document (the segment cache still applies)")
	cmd.Flags().BoolVar(&o.set, "set-default", false, "save --backend as the case's translator")
	return cmd
}

func runTranslate(ctx context.Context, o *translateOptions, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		return err
	}
	defer c.Close()
	if o.set && o.backend != "" {
		c.Config.Translator = o.backend
		if err := c.SaveConfig(); err != nil {
			return err
		}
	}
	t, _, err := enrich.NewTranslator(c, o.backend, g.log)
	if err != nil {
		return usageError{err}
	}
	st := &enrich.Translate{T: t}
	if o.redo || (o.backend != "" && o.backend != c.Config.Translator) {
		if _, err := c.Store.ResetStage(ctx, st.Name(), false); err != nil {
			return err
		}
	}
	// New translations must reach the index, or search would not find
	// them: re-index when anything is to be translated.
	n, err := c.Store.CountPendingStage(ctx, st.Name(), st.Version())
	if err != nil {
		return err
	}
	if n > 0 {
		if _, err := c.Store.ResetStage(ctx, enrich.StageIndex, false); err != nil {
			return err
		}
	}
	if err := enrichCase(ctx, g, c, o.backend); err != nil {
		return err
	}
	stats, err := c.Store.StageStats(ctx)
	if err != nil {
		return err
	}
	for _, s := range stats {
		if s.Stage == st.Name() {
			if g.format == "json" {
				return g.json(map[string]any{"backend": t.Name(), "translated": s.OK, "failed": s.Failed})
			}
			fmt.Fprintf(g.stdout, "backend %s: %d documents translated, %d failed\n", t.Name(), s.OK, s.Failed)
		}
	}
	return nil
}

// runTranslateSome translates the documents named by refs, then re-indexes
// them so that search finds the new translations.
func runTranslateSome(ctx context.Context, o *translateOptions, g *globalOptions, refs []string) error {
	c, err := g.openCase(ctx, casedir.Write)
	if err != nil {
		return err
	}
	defer c.Close()
	t, _, err := enrich.NewTranslator(c, o.backend, g.log)
	if err != nil {
		return usageError{err}
	}
	var ids []leak.ID
	for _, ref := range refs {
		id, err := c.Store.Resolve(ctx, ref)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	st := &enrich.Translate{T: t}
	b := newBar(g.stderr, g.quiet || g.format == "json", "translate")
	start := time.Now()
	for i, id := range ids {
		info, err := c.Store.Document(ctx, id)
		if err != nil {
			return err
		}
		text, pages, err := c.Store.Text(ctx, id)
		if err != nil {
			return err
		}
		if err := st.Process(ctx, c, &ingest.StageDoc{Info: info, Text: text, Pages: pages}); err != nil {
			return fmt.Errorf("translate %s: %w", id.Short(), err)
		}
		b.draw(int64(i+1), int64(len(ids)), 0, 0, time.Since(start))
	}
	b.done()
	if _, err := c.Store.ResetStageFor(ctx, enrich.StageIndex, ids); err != nil {
		return err
	}
	if err := enrichCase(ctx, g, c, o.backend); err != nil {
		return err
	}
	if g.format == "json" {
		return g.json(map[string]any{"backend": t.Name(), "translated": len(ids)})
	}
	fmt.Fprintf(g.stdout, "backend %s: %d documents translated\n", t.Name(), len(ids))
	return nil
}

// printTranslated shows each line of the original with its English
// translation under it.
func printTranslated(ctx context.Context, g *globalOptions, c *casedir.Case, id leak.ID, text string) error {
	backend, tr, err := c.Store.Translation(ctx, id, "")
	if errors.Is(err, store.ErrNotFound) {
		tr, backend = text, "none"
	} else if err != nil {
		return err
	}
	orig := strings.Split(text, "\n")
	eng := strings.Split(tr, "\n")
	if g.format == "json" {
		type seg struct {
			Original    string `json:"original"`
			Translation string `json:"translation"`
		}
		var segs []seg
		for i, l := range orig {
			e := ""
			if i < len(eng) {
				e = eng[i]
			}
			segs = append(segs, seg{l, e})
		}
		return g.json(map[string]any{"id": id.String(), "backend": backend, "segments": segs})
	}
	for i, l := range orig {
		fmt.Fprintln(g.stdout, l)
		if i < len(eng) && eng[i] != l && strings.TrimSpace(eng[i]) != "" {
			fmt.Fprintln(g.stdout, "  > "+eng[i])
		}
	}
	return nil
}
