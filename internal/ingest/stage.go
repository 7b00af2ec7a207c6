package ingest

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Stage is an enrichment run on each successfully extracted document
// (language, translation, entities, index). Process must be safe for
// concurrent use; it stores its own results through the case.
type Stage interface {
	Name() string // stable: stored in the stages table
	Version() int // bump to re-run the stage on every document
	Process(ctx context.Context, c *casedir.Case, d *StageDoc) error
}

// Flusher is implemented by stages that batch writes (the index); Flush
// is called after the last document.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Acknowledger is implemented by stages whose result becomes visible only
// some time after Process returns: the index stage batches documents into
// a segment that readers see once it is published. runStage then records
// a document's failure as usual but leaves its ok mark to the stage, which
// sets it (store.MarkStageOK) when readers can see the document, so that
// after a kill the stage state says exactly what a search finds.
type Acknowledger interface {
	Stage
	// AcknowledgesItself marks the implementation; it does nothing.
	AcknowledgesItself()
}

// StageDoc is a document handed to a stage.
type StageDoc struct {
	Info  store.DocInfo
	Text  string
	Pages []store.Page
}

// StageProgress reports a stage's advance.
type StageProgress struct {
	Stage   string
	Done    int64
	Total   int64
	Elapsed time.Duration
}

// RunStages runs each stage, in order, over every document whose stage
// state is missing or at another version. A failing document records its
// error in the stage state and the run goes on; only store failures and
// cancellation stop it.
func RunStages(ctx context.Context, c *casedir.Case, stages []Stage, workers int, progress func(StageProgress)) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	for _, s := range stages {
		if err := runStage(ctx, c, s, workers, progress); err != nil {
			return fmt.Errorf("stage %s: %w", s.Name(), err)
		}
	}
	return nil
}

func runStage(ctx context.Context, c *casedir.Case, s Stage, workers int, progress func(StageProgress)) error {
	st := c.Store
	total, err := st.CountPendingStage(ctx, s.Name(), s.Version())
	if err != nil || total == 0 {
		return err
	}
	start := time.Now()
	var done atomic.Int64
	report := func() {
		if progress != nil {
			progress(StageProgress{Stage: s.Name(), Done: done.Load(), Total: total, Elapsed: time.Since(start)})
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ids := make(chan leak.ID, workers*2)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range ids {
				if err := processOne(ctx, c, s, id); err != nil {
					cancel(err)
				}
				done.Add(1)
			}
		})
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	after := ""
	var feedErr error
feed:
	for {
		batch, err := st.PendingStage(ctx, s.Name(), s.Version(), after, 512)
		if err != nil {
			feedErr = err
			break
		}
		if len(batch) == 0 {
			break
		}
		for _, id := range batch {
			select {
			case ids <- id:
			case <-ctx.Done():
				break feed
			case <-tick.C:
				report()
				select {
				case ids <- id:
				case <-ctx.Done():
					break feed
				}
			}
		}
		after = batch[len(batch)-1].String()
	}
	close(ids)
	wg.Wait()
	report()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if feedErr != nil {
		return feedErr
	}
	if f, ok := s.(Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}

// processOne runs s on one document; a document-level failure (an error or
// a panic in the stage) is recorded, a store failure is returned.
func processOne(ctx context.Context, c *casedir.Case, s Stage, id leak.ID) (err error) {
	start := time.Now()
	info, err := c.Store.Document(ctx, id)
	if err != nil {
		return err
	}
	text, pages, err := c.Store.Text(ctx, id)
	if err != nil {
		return err
	}
	perr := func() (perr error) {
		defer func() {
			if r := recover(); r != nil {
				perr = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return s.Process(ctx, c, &StageDoc{Info: info, Text: text, Pages: pages})
	}()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	status, msg := leak.StatusOK, ""
	if perr != nil {
		if runFatal(perr) {
			return perr
		}
		status, msg = "error", perr.Error()
	}
	if _, ok := s.(Acknowledger); ok && perr == nil {
		return nil
	}
	return c.Store.SetStage(ctx, id, s.Name(), s.Version(), status, msg, time.Since(start))
}
