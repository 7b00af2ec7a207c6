package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/authenticity"
	"github.com/leakscope/leakscope/internal/casedir"
)

// authenticityOptions are the flags of the authenticity command.
type authenticityOptions struct {
	now      string // RFC 3339; "" is the current time
	manifest string // write a signed manifest here
	key      string // ed25519 private key (PKCS #8 PEM) that signs it
	// published is a sha256sum list of a published copy to compare with.
	published string
}

func newAuthenticityCmd(g *globalOptions) *cobra.Command {
	var o authenticityOptions
	cmd := &cobra.Command{
		Use:   "authenticity",
		Short: "Evidence for and against the leak being genuine",
		Long: `Authenticity reads what the case stores (document metadata, EXIF, mail
Date headers, git commit and file times, chat message times, entities) and
reports: times by hour and weekday in the zone each claims, the zones seen,
chat activity windows per person, the authoring tools with their release
dates, contradictions (modified before created, a photo taken after the
mail that carried it, future dates, a tool newer than the document's date,
duplicates, names that lie about the content, files that differ from a
published copy given as a sha256sum list), identifiers that recur
across kinds of source, and what these checks cannot show. Every finding
names its document, path and the values compared.

With --manifest and --key it also writes a manifest of every file and
member (sha256, size, time, provenance) signed with the analyst's ed25519
key (openssl genpkey -algorithm ed25519 -out key.pem), for
'leakscope verify-manifest'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAuthenticity(cmd.Context(), o, g) },
	}
	f := cmd.Flags()
	f.StringVar(&o.now, "now", "", "report time, RFC 3339 (default: now); dates after it are future dates")
	f.StringVar(&o.manifest, "manifest", "", "write a signed manifest of the case to this file")
	f.StringVar(&o.key, "key", "", "ed25519 private key in PKCS #8 PEM that signs the manifest")
	f.StringVar(&o.published, "published", "", "sha256sum list of a published copy (paths relative to the ingested root) to compare with")
	return cmd
}

func runAuthenticity(ctx context.Context, o authenticityOptions, g *globalOptions) error {
	now := time.Now()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return usageError{fmt.Errorf("--now: %w", err)}
		}
		now = t
	}
	if (o.manifest == "") != (o.key == "") {
		return usageError{fmt.Errorf("--manifest and --key go together")}
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	if o.manifest != "" {
		if err := writeManifest(ctx, c, o, now); err != nil {
			return err
		}
	}
	in, err := authenticity.Load(ctx, c)
	if err != nil {
		return err
	}
	if o.published != "" {
		f, err := os.Open(o.published)
		if err != nil {
			return usageError{fmt.Errorf("--published: %w", err)}
		}
		in.Published, err = authenticity.ReadHashList(f)
		f.Close()
		if err != nil {
			return usageError{fmt.Errorf("--published: %w", err)}
		}
	}
	if in.Chats == nil {
		fmt.Fprintln(g.stderr, "leakscope: warning: chats not analysed: run 'leakscope analyse' for chat times and activity windows")
	}
	r := authenticity.Build(in, authenticity.DefaultParams(now))
	if g.format == "json" {
		return g.json(r)
	}
	return authenticity.WriteText(g.stdout, r)
}

// writeManifest signs the case's manifest with the key at o.key and
// writes it to o.manifest.
func writeManifest(ctx context.Context, c *casedir.Case, o authenticityOptions, now time.Time) error {
	pemBytes, err := os.ReadFile(o.key)
	if err != nil {
		return usageError{fmt.Errorf("--key: %w", err)}
	}
	key, err := authenticity.ReadPrivateKey(pemBytes)
	if err != nil {
		return usageError{fmt.Errorf("--key: %w", err)}
	}
	m, err := authenticity.BuildManifest(ctx, c, now)
	if err != nil {
		return err
	}
	s, err := authenticity.Sign(m, key)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if err := os.WriteFile(o.manifest, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}
