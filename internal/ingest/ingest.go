package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/leakscope/leakscope/internal/blob"
	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/gitrepo"
	"github.com/leakscope/leakscope/internal/extract/registry"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/source"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/tool"
)

// ExtractVersion is stored with every extraction. Bump it when extractors
// improve and `ingest --redo extract` will re-run them.
const ExtractVersion = 1

// Options configure a run.
type Options struct {
	Limits   leak.Limits
	Workers  int // 0: runtime.NumCPU()
	Log      *slog.Logger
	Registry *registry.Registry
	// RetryFailed re-extracts documents whose extraction failed.
	RetryFailed bool
	// Redo re-runs the named stages for every document.
	Redo []string
	// Progress, if set, is called about every ProgressEvery with counters.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// HistoryWalker reads the history of a git directory found in a walked
	// tree (the working tree is walked as ordinary files). Nil:
	// gitrepo.WalkHistory.
	HistoryWalker func(ctx context.Context, gitDir string, emit func(extract.Child) error) error
}

// Progress is a snapshot of a run's counters.
type Progress struct {
	Files      int64 // files and members seen
	Bytes      int64 // bytes of top-level files processed
	TotalFiles int64 // top-level files in the roots (estimate)
	TotalBytes int64
	TopDone    int64 // top-level files finished
	Elapsed    time.Duration
}

// Summary is the JSON result of ingest (DESIGN.md contract).
type Summary struct {
	FilesSeen    int64   `json:"files_seen"`
	Documents    int64   `json:"documents"`
	NewDocuments int64   `json:"new_documents"`
	Duplicates   int64   `json:"duplicates"`
	Errors       int64   `json:"errors"`
	Skipped      int64   `json:"skipped"`
	Bytes        int64   `json:"bytes"`
	ElapsedS     float64 `json:"elapsed_s"`
}

// Pipeline ingests into one case.
type Pipeline struct {
	c    *casedir.Case
	opts Options
	log  *slog.Logger

	inflight sync.Map // doc hex -> struct{}: being extracted by some worker

	// helpers admits goroutines that extract members of a container
	// beside it; see sink.Child.
	helpers chan struct{}

	// scratch holds empty scratch directories for extractors, reused so
	// that each document does not cost a mkdir and a recursive remove.
	scratchMu   sync.Mutex
	scratchFree []string
	scratchN    int

	files, bytes, topDone, skipped, newDocs, dups atomic.Int64
	seenMu                                        sync.Mutex
	seen                                          map[leak.ID]struct{}
}

// New returns a pipeline writing into c, which must be open for writing.
func New(c *casedir.Case, opts Options) *Pipeline {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Limits == (leak.Limits{}) {
		opts.Limits = leak.DefaultLimits()
	}
	if opts.Registry == nil {
		opts.Registry = registry.Default(registry.Options{Log: opts.Log, OCREngine: c.Config.OCREngine,
			MaxPixels: opts.Limits.MaxPixels, ToolMemory: opts.Limits.ToolMemory})
	}
	if opts.HistoryWalker == nil {
		opts.HistoryWalker = gitrepo.WalkHistory
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 200 * time.Millisecond
	}
	return &Pipeline{c: c, opts: opts, log: opts.Log, seen: map[leak.ID]struct{}{},
		helpers: make(chan struct{}, max(opts.Workers-1, 1))}
}

type job struct {
	root string
	item source.Item
}

// Run ingests roots. It returns an error only when the run itself cannot
// go on (cancelled, store or disk failure); documents that fail are
// recorded and counted.
func (p *Pipeline) Run(ctx context.Context, roots []string) (Summary, error) {
	start := time.Now()
	st := p.c.Store
	runID, err := st.StartRun(ctx, "ingest")
	if err != nil {
		return Summary{}, err
	}
	if p.opts.RetryFailed {
		if _, err := st.ResetFailedExtract(ctx); err != nil {
			return Summary{}, err
		}
	}
	for _, s := range p.opts.Redo {
		if _, err := st.ResetStage(ctx, s, false); err != nil {
			return Summary{}, err
		}
	}

	var absRoots []string
	for _, r := range roots {
		a, err := filepath.Abs(r)
		if err != nil {
			return Summary{}, err
		}
		if _, err := os.Lstat(a); err != nil {
			return Summary{}, fmt.Errorf("ingest %s: %w", r, err)
		}
		absRoots = append(absRoots, a)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var totalFiles, totalBytes atomic.Int64
	go func() {
		for _, r := range absRoots {
			f, b := source.Count(ctx, r)
			totalFiles.Add(f)
			totalBytes.Add(b)
		}
	}()
	stopProgress := p.startProgress(ctx, start, &totalFiles, &totalBytes)
	defer stopProgress()

	jobs := make(chan job, p.opts.Workers*4)
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() {
			for j := range jobs {
				if err := p.top(ctx, j.root, j.item); err != nil {
					cancel(err)
				}
			}
		})
	}
	var walkErr error
	for _, root := range absRoots {
		walkErr = source.Walk(ctx, root, func(it source.Item) error {
			select {
			case jobs <- job{root, it}:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}, func(rel string, err error) {
			p.files.Add(1)
			if err := p.unreadable(ctx, root, rel, err); err != nil {
				cancel(err)
			}
		}, p.c.Dir)
		if walkErr != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return p.summary(ctx, start), explainFatal(err)
	}
	if walkErr != nil {
		return p.summary(ctx, start), walkErr
	}
	// Documents whose extraction was interrupted or reset but that the
	// walk did not reach again (members of finished containers).
	if err := p.finishPending(ctx); err != nil {
		return p.summary(ctx, start), explainFatal(err)
	}
	sum := p.summary(ctx, start)
	if err := st.FinishRun(context.WithoutCancel(ctx), runID, sum); err != nil {
		return sum, err
	}
	return sum, nil
}

func (p *Pipeline) summary(ctx context.Context, start time.Time) Summary {
	s := Summary{
		FilesSeen:    p.files.Load(),
		NewDocuments: p.newDocs.Load(),
		Duplicates:   p.dups.Load(),
		Skipped:      p.skipped.Load(),
		Bytes:        p.bytes.Load(),
		ElapsedS:     time.Since(start).Seconds(),
	}
	if c, err := p.c.Store.Counts(context.WithoutCancel(ctx)); err == nil {
		s.Documents = c.Documents
		s.Errors = c.Failed + c.Unreadable
	}
	return s
}

func (p *Pipeline) startProgress(ctx context.Context, start time.Time, tf, tb *atomic.Int64) func() {
	if p.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	snap := func() Progress {
		return Progress{Files: p.files.Load(), Bytes: p.bytes.Load(), TotalFiles: tf.Load(), TotalBytes: tb.Load(),
			TopDone: p.topDone.Load(), Elapsed: time.Since(start)}
	}
	wg.Go(func() {
		t := time.NewTicker(p.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.opts.Progress(snap())
			case <-done:
				p.opts.Progress(snap())
				return
			case <-ctx.Done():
				return
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// markSeen counts a content as seen in this run and reports whether it
// had been seen before (a duplicate).
func (p *Pipeline) markSeen(id leak.ID) bool {
	p.seenMu.Lock()
	defer p.seenMu.Unlock()
	if _, ok := p.seen[id]; ok {
		return true
	}
	if len(p.seen) < 5_000_000 {
		p.seen[id] = struct{}{}
	}
	return false
}

// top ingests one top-level item. A returned error stops the run.
func (p *Pipeline) top(ctx context.Context, root string, it source.Item) error {
	defer p.topDone.Add(1)
	st := p.c.Store
	switch {
	case it.GitDir:
		return p.gitHistory(ctx, root, it)
	case it.Link != "":
		p.files.Add(1)
		return p.recordProblem(ctx, root, it.Rel, leak.ID{}, 0, "", leak.ReasonSymlink, "symbolic link to "+it.Link+" not followed", []string{"symlink"})
	case it.Special:
		p.files.Add(1)
		return p.recordProblem(ctx, root, it.Rel, leak.ID{}, 0, "", leak.ReasonNotRegular, "special file not read", nil)
	}
	p.files.Add(1)
	if len(it.Rel) > p.opts.Limits.MaxPathLen {
		return p.recordProblem(ctx, root, it.Rel, leak.ID{}, 0, "", leak.LimitReason("path"), (&extract.LimitError{What: "path", Limit: int64(p.opts.Limits.MaxPathLen), Got: int64(len(it.Rel))}).Error(), nil)
	}
	// Resume: an unchanged file whose document finished extraction is done.
	if o, ok, err := st.LookupOccurrence(ctx, root, it.Rel); err != nil {
		return err
	} else if ok && !o.Doc.IsZero() && o.Size == it.Size && o.ModTime.Unix() == it.ModTime.Unix() {
		done, err := st.StageDone(ctx, o.Doc, store.StageExtract, ExtractVersion)
		if err != nil {
			return err
		}
		if done {
			p.skipped.Add(1)
			p.bytes.Add(it.Size)
			p.markSeen(o.Doc)
			return nil
		}
	}
	if it.Size > p.opts.Limits.MaxFileSize {
		p.bytes.Add(it.Size)
		return p.recordProblem(ctx, root, it.Rel, leak.ID{}, 0, "", leak.LimitReason("size"), (&extract.LimitError{What: "size", Limit: p.opts.Limits.MaxFileSize, Got: it.Size}).Error(), nil)
	}
	// The tree may have changed since the walk: the open refuses a link
	// or a named pipe swapped in since (source.Open).
	f, err := it.Open()
	if err != nil {
		var nr *source.NotRegularError
		if errors.As(err, &nr) {
			return p.recordProblem(ctx, root, it.Rel, leak.ID{}, 0, "", refusedCode(nr), refusedReason(nr), refusedFlags(nr))
		}
		return p.unreadable(ctx, root, it.Rel, err)
	}
	w, err := p.c.Blobs.NewWriter(0)
	if err != nil {
		f.Close()
		return err
	}
	_, err = copyCtx(ctx, w, f)
	f.Close()
	if err != nil {
		w.Abort()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if runFatal(err) {
			return fmt.Errorf("store %s: %w", it.Rel, err)
		}
		return p.unreadable(ctx, root, it.Rel, err)
	}
	id, size, err := w.Commit()
	if err != nil {
		return err
	}
	p.bytes.Add(size)
	b := &budget{limits: p.opts.Limits}
	_, err = p.found(ctx, b, found{root: root, path: it.Rel, id: id, size: size, mtime: it.ModTime, name: it.Rel})
	return err
}

// refusedReason is the occurrence reason of a file that changed kind
// between the walk and the open, worded as the walk words the same kinds.
func refusedReason(nr *source.NotRegularError) string {
	switch nr.Kind {
	case source.KindSymlink:
		return "symbolic link not followed (appeared after the walk)"
	case source.KindFIFO:
		return "special file not read: named pipe (appeared after the walk)"
	}
	return "special file not read: " + nr.Kind + " (appeared after the walk)"
}

// refusedCode is the reason code of a file that was not a regular file
// when opened.
func refusedCode(nr *source.NotRegularError) leak.Reason {
	if nr.Kind == source.KindSymlink {
		return leak.ReasonSymlink
	}
	return leak.ReasonNotRegular
}

// refusedFlags flags a refused link as the walk flags one, so that both
// are found by the same filter.
func refusedFlags(nr *source.NotRegularError) []string {
	if nr.Kind == source.KindSymlink {
		return []string{"symlink"}
	}
	return nil
}

// found is a content stored in the blob store, at a path.
type found struct {
	root, path string
	id         leak.ID
	size       int64
	mtime      time.Time
	parent     leak.ID
	depth      int
	commit     string
	flags      []string
	name       string // the name it was found under (hint for sniffing)
	sep        string // joins this path to its members' paths
}

// found records a stored content at its path and extracts it unless that
// is already done (or being done by another worker). It returns the flags
// of the document that its container inherits (limits hit inside it).
func (p *Pipeline) found(ctx context.Context, b *budget, f found) ([]string, error) {
	st := p.c.Store
	occ := store.Occurrence{Root: f.root, Path: f.path, Doc: f.id, Parent: f.parent, Depth: f.depth,
		Commit: f.commit, ModTime: f.mtime, Size: f.size, Flags: append(f.flags, nameFlags(f.path)...)}
	if p.markSeen(f.id) {
		p.dups.Add(1)
	}
	done, err := st.StageDone(ctx, f.id, store.StageExtract, ExtractVersion)
	if err != nil {
		return nil, err
	}
	if !done {
		if _, busy := p.inflight.LoadOrStore(f.id, struct{}{}); !busy {
			// The document and this occurrence are recorded with the
			// extraction, in one transaction.
			defer p.inflight.Delete(f.id)
			fl, err := p.extract(ctx, b, f, &occ)
			return inherited(fl), err
		}
	}
	created, _, err := st.Found(ctx, f.size, occ, store.StageExtract, ExtractVersion)
	if err != nil {
		return nil, err
	}
	if created {
		p.newDocs.Add(1)
	}
	if !done {
		return nil, nil // another worker is extracting it
	}
	fl, err := st.DocFlags(ctx, f.id)
	return inherited(fl), err
}

// inherited keeps the flags a container takes from its members: a limit
// hit anywhere inside a top-level file is visible on that file.
func inherited(flags []string) []string {
	var out []string
	for _, f := range flags {
		if strings.HasPrefix(f, "limit-") || f == "deep-nesting" {
			out = append(out, f)
		}
	}
	return out
}

// extract runs the extractor for f and records the outcome, with occ when
// the occurrence is not recorded yet. It returns the document's flags.
func (p *Pipeline) extract(ctx context.Context, b *budget, f found, occ *store.Occurrence) ([]string, error) {
	start := time.Now()
	st := p.c.Store
	blobPath := p.c.Blobs.Path(f.id)
	res := store.Extracted{Version: ExtractVersion, Status: leak.StatusOK, Size: f.size, Occ: occ}
	mime, err := sniff.File(blobPath, f.name)
	if err != nil {
		return nil, fmt.Errorf("sniff %s: %w", f.id.Short(), err)
	}
	res.MIME = mime
	ex := p.opts.Registry.For(mime)
	sink := newSink(ctx, p, b, f)
	switch {
	case mime == sniff.Empty:
		res.Status, res.Reason = leak.StatusEmpty, leak.ReasonEmpty
		res.Error = "empty file"
		sink.flags.add("empty")
	case ex == nil:
		res.Status, res.Reason = leak.StatusUnsupported, leak.ReasonUnsupported
		res.Error = fmt.Sprintf("no extractor for %s", mime)
		switch mime {
		case sniff.Binary:
			res.Reason = leak.ReasonUnrecognised
			res.Error = "unrecognised binary content (no known file signature)"
		case sniff.EncryptedOOXML:
			res.Status, res.Reason = leak.StatusEncrypted, leak.ReasonEncrypted
			res.Error = "password-protected Office document"
			sink.flags.add("encrypted")
		}
	default:
		res.Extractor = ex.Name()
		err := p.runExtractor(ctx, ex, f, mime, sink)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if sink.fatal != nil {
			return nil, sink.fatal
		}
		if err != nil && runFatal(err) {
			// The extractor's own scratch files hit the full disk: not
			// this document's fault, and recording it would keep the
			// document failed once space is freed.
			return nil, fmt.Errorf("extract %s: %w", f.id.Short(), err)
		}
		if err != nil {
			var le *extract.LimitError
			res.Reason = reasonOf(err)
			switch {
			case errors.As(err, &le):
				res.Status = leak.StatusLimit
				sink.flags.add("limit-" + le.What)
			case errors.Is(err, extract.ErrEncrypted):
				res.Status = leak.StatusEncrypted
				sink.flags.add("encrypted")
			case errors.Is(err, extract.ErrUnsupported):
				res.Status = leak.StatusUnsupported
			default:
				res.Status = leak.StatusError
			}
			res.Error = err.Error()
			if !strings.HasPrefix(res.Error, ex.Name()+":") {
				res.Error = ex.Name() + ": " + res.Error
			}
		}
	}
	if ext := strings.ToLower(filepath.Ext(f.name)); mimeMismatch(mime, ext) {
		sink.flags.add("extension-mismatch")
	}
	res.Text, res.Truncated, res.Pages = sink.text.String(), sink.truncated, sink.pages
	if sink.truncated {
		sink.flags.add("text-truncated")
	}
	if sink.c.entries > 0 {
		sink.Meta("members", strconv.Itoa(sink.c.entries))
	}
	res.Meta, res.Flags, res.OCR, res.Artifacts = sink.meta, sink.flags.list, sink.ocr, sink.artifacts
	res.Duration = time.Since(start)
	p.log.Debug("extracted", "doc", f.id.Short(), "path", f.path, "mime", mime, "status", res.Status, "dur", res.Duration)
	created, err := st.FinishExtract(ctx, f.id, res)
	if created {
		p.newDocs.Add(1)
	}
	return res.Flags, err
}

// runExtractor calls ex with a time limit and turns a panic into an error
// of this document, as a hostile file must not bring the ingest down.
func (p *Pipeline) runExtractor(ctx context.Context, ex extract.Extractor, f found, mime string, sink *sink) (err error) {
	tmp, err := p.scratch()
	if err != nil {
		return err
	}
	defer p.releaseScratch(tmp)
	ctx, cancel := context.WithTimeout(ctx, p.opts.Limits.ParseTimeout)
	defer cancel()
	// Members handed to helpers finish before the parse context ends
	// (deferred calls run last-in first-out).
	defer sink.wait()
	defer func() {
		if r := recover(); r != nil {
			p.log.Warn("extractor panic", "doc", f.id.Short(), "extractor", ex.Name(), "err", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = &panicError{r}
		}
	}()
	in := &extract.Input{File: p.c.Blobs.Path(f.id), Name: f.name, MIME: mime, Size: f.size,
		Limits: p.opts.Limits, Log: p.log, TempDir: tmp}
	start := time.Now()
	err = ex.Extract(ctx, in, sink)
	if err == nil && ctx.Err() == context.DeadlineExceeded {
		err = timeLimit(p.opts.Limits.ParseTimeout, time.Since(start))
	}
	return err
}

// panicError is an extractor panic recovered by the pipeline: a bug in a
// parser, recorded on the document as ReasonPanic.
type panicError struct{ v any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.v) }

// reasonOf classifies an extraction error by its type into the reason
// code stored with the document: the one place a reason is decided, from
// typed errors, never from the message.
func reasonOf(err error) leak.Reason {
	var le *extract.LimitError
	var pe *panicError
	switch {
	case errors.As(err, &le):
		return leak.LimitReason(le.What)
	case errors.Is(err, extract.ErrEncrypted):
		return leak.ReasonEncrypted
	case errors.Is(err, extract.ErrUnsupported):
		return leak.ReasonUnsupported
	case errors.As(err, &pe):
		return leak.ReasonPanic
	case errors.Is(err, tool.ErrMissing):
		return leak.ReasonToolMissing
	case errors.Is(err, tool.ErrTimeout):
		return leak.ReasonToolTimeout
	case errors.Is(err, tool.ErrMemory):
		return leak.ReasonToolMemory
	}
	return leak.ReasonParse
}

// timeLimit is the limit error of a parse that ran for took against
// limit. The deadline passes only after the limit, so took > limit, and
// it is shown in seconds to two decimals: "limit time: 300.01 > 300", not
// a whole-second "300 > 300".
func timeLimit(limit, took time.Duration) *extract.LimitError {
	return &extract.LimitError{What: "time", Limit: int64(limit), Got: int64(max(took, limit+1)), Per: int64(time.Second)}
}

// tryHelper takes a helper slot if one is free, without waiting.
func (p *Pipeline) tryHelper() bool {
	select {
	case p.helpers <- struct{}{}:
		return true
	default:
		return false
	}
}

func (p *Pipeline) releaseHelper() { <-p.helpers }

// scratch returns an empty directory private to the caller until
// releaseScratch.
func (p *Pipeline) scratch() (string, error) {
	p.scratchMu.Lock()
	if n := len(p.scratchFree); n > 0 {
		d := p.scratchFree[n-1]
		p.scratchFree = p.scratchFree[:n-1]
		p.scratchMu.Unlock()
		return d, nil
	}
	p.scratchN++
	d := filepath.Join(p.c.TempDir(), fmt.Sprintf("s%d", p.scratchN))
	p.scratchMu.Unlock()
	return d, os.MkdirAll(d, 0o700)
}

// releaseScratch empties d and returns it to the pool.
func (p *Pipeline) releaseScratch(d string) {
	ents, err := os.ReadDir(d)
	if err != nil {
		return
	}
	for _, e := range ents {
		os.RemoveAll(filepath.Join(d, e.Name()))
	}
	p.scratchMu.Lock()
	p.scratchFree = append(p.scratchFree, d)
	p.scratchMu.Unlock()
}

func mimeMismatch(mime, ext string) bool {
	want := map[string][]string{
		".jpg": {sniff.JPEG}, ".jpeg": {sniff.JPEG}, ".png": {sniff.PNG}, ".gif": {sniff.GIF},
		".pdf": {sniff.PDF}, ".docx": {sniff.DOCX}, ".xlsx": {sniff.XLSX}, ".pptx": {sniff.PPTX},
		".zip": {sniff.Zip, sniff.DOCX, sniff.XLSX, sniff.PPTX}, ".exe": {sniff.Binary},
		".doc": {sniff.DOC, sniff.OLE}, ".xls": {sniff.XLS, sniff.OLE}, ".ppt": {sniff.PPT, sniff.OLE},
	}[ext]
	if want == nil || mime == sniff.Empty {
		return false
	}
	for _, w := range want {
		if w == mime {
			return false
		}
	}
	return true
}

// recordProblem records an occurrence that has no stored content (a link,
// a member over a limit, an unreadable file).
func (p *Pipeline) recordProblem(ctx context.Context, root, path string, parent leak.ID, depth int, commit string, code leak.Reason, reason string, flags []string) error {
	return p.c.Store.PutOccurrence(ctx, store.Occurrence{Root: root, Path: path, Parent: parent, Depth: depth, Commit: commit,
		Reason: code, Error: reason, Flags: flags})
}

// unreadable records a file of the tree that could not be read (permission
// denied, vanished since the walk, an I/O error). It is flagged
// store.FlagUnreadable, so that the summary counts it among the errors and
// `leakscope errors` lists it as such, from the code and not from the
// wording of the reason.
func (p *Pipeline) unreadable(ctx context.Context, root, rel string, err error) error {
	return p.recordProblem(ctx, root, rel, leak.ID{}, 0, "", leak.ReasonUnreadable, fmt.Sprintf("unreadable: %v", err), []string{store.FlagUnreadable})
}

// finishPending extracts documents left without an extract stage by an
// interrupted run or by --retry-failed, from their stored blobs.
func (p *Pipeline) finishPending(ctx context.Context) error {
	occs, err := p.c.Store.PendingExtract(ctx)
	if err != nil {
		return err
	}
	for _, o := range occs {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := &budget{limits: p.opts.Limits}
		f := found{root: o.Root, path: o.Path, id: o.Doc, depth: o.Depth, name: lastName(o.Path)}
		if fi, err := os.Stat(p.c.Blobs.Path(o.Doc)); err == nil {
			f.size = fi.Size()
		} else {
			continue
		}
		if _, busy := p.inflight.LoadOrStore(f.id, struct{}{}); busy {
			continue
		}
		_, err := p.extract(ctx, b, f, nil)
		p.inflight.Delete(f.id)
		if err != nil {
			return err
		}
	}
	return nil
}

// nameFlags flags names built to deceive a reader: bidirectional overrides
// that make "report\u202Efdp.exe" display as "reportexe.pdf", and invisible
// or look-alike characters (zero-width spaces, full-width letters,
// ideographic spaces, combining marks).
func nameFlags(path string) []string {
	name := lastName(path)
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var bidi, odd bool
	for _, r := range name {
		switch {
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			bidi = true
		case r >= 0x200b && r <= 0x200d, r == 0xfeff, r == 0x3000, r >= 0xff01 && r <= 0xff5e,
			r >= 0x0300 && r <= 0x036f, r < 0x20, r == 0x7f:
			odd = true
		}
	}
	var f []string
	if bidi {
		f = append(f, "bidi-override-filename")
	}
	if odd {
		f = append(f, "unusual-unicode-filename")
	}
	return f
}

func lastName(path string) string {
	if i := strings.LastIndex(path, leak.ContainerSep); i >= 0 {
		return path[i+len(leak.ContainerSep):]
	}
	return path
}

// runFatal reports whether err is a failure of the case itself (its
// store, its blob store, a full disk or quota) rather than of the document
// being read. Such an error stops the run and is recorded on no document:
// recorded, it would keep a sound document failed once space is freed,
// while stopping leaves the document unfinished, and the next run redoes
// it. This is the one place the class is decided.
func runFatal(err error) bool {
	return store.IsStoreError(err) || blob.IsWriteError(err) || diskFull(err)
}

func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// explainFatal adds what to do to a run-fatal error a person will read.
func explainFatal(err error) error {
	if diskFull(err) {
		return fmt.Errorf("ingest stopped, the case's disk is full (free space and run ingest again: finished documents are kept, unfinished ones are redone): %w", err)
	}
	return err
}

// copyCtx copies with a large buffer, checking ctx between chunks.
func copyCtx(ctx context.Context, w *blob.Writer, r *os.File) (int64, error) {
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		m, err := r.Read(buf)
		if m > 0 {
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, werr
			}
			n += int64(m)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
	}
}
