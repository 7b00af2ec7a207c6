package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
)

func newChatsCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "chats",
		Short: "List conversations and participants reconstructed from logs, exports and screenshots",
		Long: `List every conversation found in text logs, JSON exports and OCR'd
screenshots, and every participant, resolved to one person per human across
names, nicknames, handles and e-mail addresses. 'leakscope chat show ID'
prints one conversation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runChats(cmd.Context(), g) },
	}
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
