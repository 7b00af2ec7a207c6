package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/source"
)

// gitHistory ingests the versions of files that exist only in the history
// of a repository found in the walked tree (its working tree is walked as
// ordinary files). Members are at "<repo>/.git!/<commit>/<path>".
func (p *Pipeline) gitHistory(ctx context.Context, root string, it source.Item) error {
	if p.opts.HistoryWalker == nil {
		return nil
	}
	b := &budget{limits: p.opts.Limits}
	f := found{root: root, path: it.Rel, name: it.Rel, size: p.opts.Limits.MaxExpanded}
	s := newSink(ctx, p, b, f)
	err := p.opts.HistoryWalker(ctx, it.Abs, func(ch extract.Child) error { return s.Child(ctx, ch) })
	s.wait()
	if s.fatal != nil {
		return s.fatal
	}
	if err != nil && runFatal(err) {
		return err
	}
	if err != nil && ctx.Err() == nil {
		var le *extract.LimitError
		reason := fmt.Sprintf("git history: %v", err)
		if errors.As(err, &le) {
			reason = "git history: " + le.Error()
		}
		return p.recordProblem(ctx, root, it.Rel, f.id, 0, "", leak.ReasonGitHistory, reason, nil)
	}
	return ctx.Err()
}
