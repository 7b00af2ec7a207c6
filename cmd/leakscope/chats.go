package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
)

func newChatsCmd(g *globalOptions) *cobra.Command {
	var explain string
	cmd := &cobra.Command{
		Use:   "chats",
		Short: "List conversations and participants reconstructed from logs, exports and screenshots",
		Long: `List every conversation found in text logs, JSON exports and OCR'd
screenshots, and every participant, resolved to one person per human across
names, nicknames, handles and e-mail addresses. 'leakscope chat show ID'
prints one conversation. 'leakscope chats --explain DOC' shows what the
parser chose for one document (keys or line shape, zone of naive times,
records read and skipped); set chat_keys or chat_zone in the case's
config and re-run the chats stage when it guessed wrong.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if explain != "" {
				return runChatsExplain(cmd.Context(), g, explain)
			}
			return runChats(cmd.Context(), g)
		},
	}
	cmd.Flags().StringVar(&explain, "explain", "", "show what the chat parser chose for one document (hash, prefix or path)")
	return cmd
}

// runChatsExplain prints the stored choices of the chats stage for one
// document; it reads, never parses.
func runChatsExplain(ctx context.Context, g *globalOptions, ref string) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	id, err := c.Store.Resolve(ctx, ref)
	if err != nil {
		return err
	}
	e, err := enrich.ExplainChats(ctx, c, id)
	if err != nil {
		return err
	}
	if g.format == "json" {
		return g.json(e)
	}
	w := g.stdout
	fmt.Fprintf(w, "document %s\n", e.Doc)
	r := e.Read
	fmt.Fprintf(w, "records %d  messages %d  events %d  skipped %d\n", r.Records, r.Messages, r.Events, r.Skipped)
	for _, reason := range sortedKeys(r.Reasons) {
		fmt.Fprintf(w, "  skipped %s: %d\n", reason, r.Reasons[chat.SkipReason(reason)])
	}
	if r.Shape != "" {
		fmt.Fprintf(w, "line shape %s\n", r.Shape)
	}
	for _, f := range sortedKeys(r.Keys) {
		fmt.Fprintf(w, "key %s <- %q\n", f, r.Keys[f])
	}
	if e.Zone != "" {
		fmt.Fprintf(w, "naive times in %s (%s)\n", e.Zone, e.ZoneFrom)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nID\tSHAPE\tMESSAGES\tEVENTS\tTITLE\tPARTICIPANTS")
	for _, cv := range e.Conversations {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", cv.ID, cv.Shape, cv.Messages, cv.Events, visible(cv.Title),
			visible(strings.Join(cv.Participants, ", ")))
	}
	return tw.Flush()
}

// sortedKeys returns a map's keys as strings, sorted.
func sortedKeys[K ~string, V any](m map[K]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	slices.Sort(out)
	return out
}

func newChatCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "chat", Short: "Show one conversation"}
	var noTranslate bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print a conversation as a transcript, with the translation under each message",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runChatShow(cmd.Context(), g, args[0], !noTranslate)
		},
	}
	show.Flags().BoolVar(&noTranslate, "no-translate", false, "do not show translations")
	cmd.AddCommand(show)
	return cmd
}

func runChats(ctx context.Context, g *globalOptions) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := enrich.LoadChats(ctx, c)
	if err = warnNotAnalysed(g, err); err != nil {
		return err
	}
	if g.format == "json" {
		return g.json(ch.Stats)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMESSAGES\tFIRST\tLAST\tPARTICIPANTS\tSOURCE")
	for _, cv := range ch.Stats.Conversations {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", cv.ID, cv.Messages, cv.First, cv.Last,
			strings.Join(cv.Participants, ", "), visible(cv.Source))
	}
	tw.Flush()
	fmt.Fprintln(g.stdout)
	tw = tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tMESSAGES\tALIASES")
	for _, p := range ch.Stats.Participants {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", p.Name, p.Messages, strings.Join(p.Aliases, ", "))
	}
	return tw.Flush()
}

func runChatShow(ctx context.Context, g *globalOptions, id string, translate bool) error {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := enrich.LoadChats(ctx, c)
	if err = warnNotAnalysed(g, err); err != nil {
		return err
	}
	var cv *enrich.ChatView
	for i := range ch.Conversations {
		if ch.Conversations[i].ID == id {
			cv = &ch.Conversations[i]
		}
	}
	if cv == nil {
		return fmt.Errorf("conversation %q: %w (see 'leakscope chats')", id, store.ErrNotFound)
	}
	var english []string
	if translate {
		t, _, err := enrich.NewTranslator(c, "", g.log)
		if err != nil {
			return err
		}
		texts := make([]string, len(cv.Messages))
		for i, m := range cv.Messages {
			texts[i] = m.Text
		}
		english, err = enrich.TranslateSegments(ctx, t, texts)
		if err != nil {
			return err
		}
	}
	if g.format == "json" {
		type msg struct {
			enrich.MessageView
			Translation string `json:"translation,omitempty"`
		}
		out := struct {
			*enrich.ChatView
			Messages []msg `json:"messages"`
		}{ChatView: cv}
		for i, m := range cv.Messages {
			mm := msg{MessageView: m}
			if english != nil && english[i] != m.Text {
				mm.Translation = english[i]
			}
			out.Messages = append(out.Messages, mm)
		}
		return g.json(out)
	}
	fmt.Fprintf(g.stdout, "%s  (%s, %s)\n%s\n\n", cv.Title, cv.Shape, visible(cv.Source), strings.Join(cv.Participants, ", "))
	for i, m := range cv.Messages {
		who := m.Sender
		if who == "" {
			who = "?"
		}
		if m.System {
			who = "--"
		}
		ocr := ""
		if m.OCR {
			ocr = fmt.Sprintf(" [ocr %.0f]", m.Confidence)
		}
		fmt.Fprintf(g.stdout, "%s  %s%s: %s\n", m.Time, who, ocr, m.Text)
		if english != nil && english[i] != m.Text && strings.TrimSpace(english[i]) != "" {
			fmt.Fprintf(g.stdout, "    > %s\n", english[i])
		}
	}
	return nil
}
