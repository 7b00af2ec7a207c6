package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/authenticity"
	"github.com/leakscope/leakscope/internal/casedir"
)

func newVerifyManifestCmd(g *globalOptions) *cobra.Command {
	var pub string
	cmd := &cobra.Command{
		Use:   "verify-manifest MANIFEST",
		Short: "Check the case against a signed manifest",
		Long: `Verify-manifest checks the signature of a manifest written by
'leakscope authenticity --manifest' against the analyst's public key
(openssl pkey -in key.pem -pubout -out pub.pem), then re-hashes every blob
of the case and compares every file and member with the manifest: one
changed byte in any stored file, a missing blob, a file added or removed is
reported with its path and the hashes compared.

Exit status 1 also means the signature does not verify or the case differs
from the manifest.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerifyManifest(cmd.Context(), pub, args[0], g)
		},
	}
	cmd.Flags().StringVar(&pub, "pub", "", "ed25519 public key in PKIX PEM (required)")
	return cmd
}

// errManifestDiffers is returned when the case does not match.
var errManifestDiffers = errors.New("the case differs from the manifest")

func runVerifyManifest(ctx context.Context, pubPath, manifestPath string, g *globalOptions) error {
	if pubPath == "" {
		return usageError{errors.New("--pub is required: the key the manifest is checked against")}
	}
	pemBytes, err := os.ReadFile(pubPath)
	if err != nil {
		return usageError{fmt.Errorf("--pub: %w", err)}
	}
	pub, err := authenticity.ReadPublicKey(pemBytes)
	if err != nil {
		return usageError{fmt.Errorf("--pub: %w", err)}
	}
	raw, err := os.ReadFile(manifestPath)
	if err != nil {
		return usageError{fmt.Errorf("manifest: %w", err)}
	}
	var s authenticity.SignedManifest
	if err := json.Unmarshal(raw, &s); err != nil {
		return usageError{fmt.Errorf("manifest %s: %w", manifestPath, err)}
	}
	m, err := authenticity.Open(s, pub)
	if err != nil {
		return err
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := authenticity.Verify(ctx, c, m)
	if err != nil {
		return err
	}
	if g.format == "json" {
		if err := g.json(v); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(g.stdout, "signature ok; %d entries, %d blobs re-hashed, %d problems\n", v.Entries, v.Blobs, len(v.Problems))
		if len(v.Problems) > 0 {
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PROBLEM\tPATH\tWANT\tGOT")
			for _, p := range v.Problems {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.What, visible(p.Path), p.Want, p.Got)
			}
			tw.Flush()
		}
	}
	if !v.OK() {
		return fmt.Errorf("%w: %d problems", errManifestDiffers, len(v.Problems))
	}
	return nil
}
