package caseview

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/demo"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/ingest"
)

// demoCase is the demo leak ingested into a real case (store, blobs,
// index) with every enrichment stage and analysis, as `leakscope demo`
// builds it. It is built once per test process: ingesting takes seconds.
type demoCase struct {
	c        *casedir.Case
	idx      index.Index
	manifest demo.Manifest
	dir      string // the demo leak
	indexDur time.Duration
}

var (
	demoOnce sync.Once
	demoVal  *demoCase
	demoErr  error
	tmpRoot  string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if demoVal != nil {
		demoVal.idx.Close()
		demoVal.c.Close()
	}
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// theDemo returns the shared demo case, skipping with -short.
func theDemo(t testing.TB) *demoCase {
	t.Helper()
	if testing.Short() {
		t.Skip("ingests the demo leak (seconds); skipped with -short")
	}
	demoOnce.Do(func() { demoVal, demoErr = buildDemo(context.Background()) })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoVal
}

// buildCase ingests root into a new case under dir with all stages and
// analyses, the way the CLI's ingest does.
func buildCase(ctx context.Context, caseDir string, roots ...string) (*casedir.Case, index.Index, time.Duration, error) {
	c, err := casedir.Open(ctx, caseDir, casedir.Write)
	if err != nil {
		return nil, nil, 0, err
	}
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, roots); err != nil {
		c.Close()
		return nil, nil, 0, fmt.Errorf("ingest: %w", err)
	}
	x, err := bleve.Open(c.IndexDir())
	if err != nil {
		c.Close()
		return nil, nil, 0, err
	}
	fail := func(err error) (*casedir.Case, index.Index, time.Duration, error) {
		x.Close()
		c.Close()
		return nil, nil, 0, err
	}
	tr, _, err := enrich.NewTranslator(c, "", nil)
	if err != nil {
		return fail(err)
	}
	ix, err := enrich.NewIndex(ctx, c, x)
	if err != nil {
		return fail(err)
	}
	if err := ingest.RunStages(ctx, c, enrich.Stages(tr, nil), 0, nil); err != nil {
		return fail(err)
	}
	start := time.Now()
	if err := ingest.RunStages(ctx, c, []ingest.Stage{ix}, 0, nil); err != nil {
		return fail(err)
	}
	indexDur := time.Since(start)
	if err := enrich.Analyse(ctx, c, x, tr, false, slog.New(slog.DiscardHandler)); err != nil {
		return fail(err)
	}
	return c, x, indexDur, nil
}

func buildDemo(ctx context.Context) (*demoCase, error) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "caseview-")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmpRoot, "leak")
	m, err := demo.Write(dir, demo.Options{})
	if err != nil {
		return nil, err
	}
	c, x, dur, err := buildCase(ctx, filepath.Join(tmpRoot, "case"), dir)
	if err != nil {
		return nil, err
	}
	return &demoCase{c: c, idx: x, manifest: m, dir: dir, indexDur: dur}, nil
}
