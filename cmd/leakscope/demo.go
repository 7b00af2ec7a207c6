package main

import (
	"github.com/spf13/cobra"
)

func newDemoCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:    "demo",
		Short:  "Write the bundled fictional leak, ingest it and serve the UI",
		Hidden: true,
	}
}
