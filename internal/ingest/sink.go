package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// sink is the pipeline's extract.Sink for one document. It caps text,
// stores members in the blob store under the container's budgets and
// recurses into them.
type sink struct {
	// run is the ingest run's context. Members are extracted under it,
	// not under the context handed to Child, which carries the container's
	// own parse deadline: a zip of a thousand scans must not time out its
	// members. (Stored here against the usual rule because Sink.Child
	// receives the extractor's context, not the run's.)
	run       context.Context
	p         *Pipeline
	b         *budget
	f         found
	c         container
	text      strings.Builder
	truncated bool
	pages     []store.Page
	meta      map[string]string
	flags     flagSet
	ocr       bool
	artifacts map[string][]byte
	names     map[string]int
	fatal     error // a run-fatal error met while storing a member

	// Members handed to helper goroutines: the container's extraction is
	// recorded only after all of them are done (wait), so that a crash
	// never leaves a finished container with unfinished members.
	wg      sync.WaitGroup
	asyncMu sync.Mutex
	async   error    // first run-fatal error of a helper
	inh     []string // flags inherited from members done by helpers
}

var _ extract.Sink = (*sink)(nil)

func newSink(run context.Context, p *Pipeline, b *budget, f found) *sink {
	return &sink{run: run, p: p, b: b, f: f, c: container{b: b, size: f.size}}
}

type flagSet struct{ list []string }

func (s *flagSet) add(f string) {
	for _, x := range s.list {
		if x == f {
			return
		}
	}
	s.list = append(s.list, f)
}

func (s *sink) Text(t string) {
	if s.truncated {
		return
	}
	if !utf8.ValidString(t) {
		t = strings.ToValidUTF8(t, "\uFFFD")
	}
	room := int(s.p.opts.Limits.MaxText) - s.text.Len()
	if len(t) > room {
		cut := max(room, 0)
		for cut > 0 && !utf8.RuneStart(t[cut]) {
			cut--
		}
		t = t[:cut]
		s.truncated = true
	}
	s.text.WriteString(t)
}

func (s *sink) Page(pg extract.Page) {
	if s.text.Len() > 0 && len(s.pages) > 0 {
		s.Text("\f")
	} else if s.text.Len() > 0 {
		s.Text("\n\f")
	}
	start := s.text.Len()
	s.Text(pg.Text)
	if pg.OCR {
		s.ocr = true
	}
	s.pages = append(s.pages, store.Page{Number: pg.Number, Label: pg.Label, OCR: pg.OCR, Confidence: pg.Confidence, Start: start, End: s.text.Len()})
}

func (s *sink) Meta(k, v string) {
	if s.meta == nil {
		s.meta = map[string]string{}
	}
	if len(s.meta) >= 500 || len(v) > 64<<10 {
		return
	}
	s.meta[strings.ToValidUTF8(k, "?")] = strings.ToValidUTF8(v, "\uFFFD")
}

func (s *sink) Flag(f string) { s.flags.add(f) }

func (s *sink) Attach(name string, data []byte) {
	if s.artifacts == nil {
		s.artifacts = map[string][]byte{}
	}
	if len(data) <= 64<<20 {
		s.artifacts[name] = data
	}
}

// memberName makes a child's name safe to show and unique within its
// container while keeping its bytes: hostile names are flagged, not
// rewritten, because the exact bytes are evidence.
func (s *sink) memberName(name string) (string, []string) {
	var flags []string
	clean := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(clean, "/") || (len(clean) > 1 && clean[1] == ':') {
		flags = append(flags, "absolute-path")
	}
	for _, part := range strings.Split(clean, "/") {
		if part == ".." {
			flags = append(flags, "path-traversal")
			break
		}
	}
	if name == "" {
		name = "unnamed"
	}
	if s.names == nil {
		s.names = map[string]int{}
	}
	s.names[name]++
	if n := s.names[name]; n > 1 {
		name = fmt.Sprintf("%s#%d", name, n)
	}
	return name, flags
}

// Child stores a member and processes it, depth first.
func (s *sink) Child(ctx context.Context, ch extract.Child) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.fatal != nil {
		// The case cannot take more (a full disk): an extractor that goes
		// on past a failed member must not store the next ones.
		return s.fatal
	}
	l := s.p.opts.Limits
	s.c.entries++
	if l.MaxEntries > 0 && s.c.entries > l.MaxEntries {
		return &extract.LimitError{What: "entries", Limit: int64(l.MaxEntries), Got: int64(s.c.entries)}
	}
	name, nflags := s.memberName(ch.Name)
	for _, f := range nflags {
		s.flags.add(f)
	}
	sep := s.f.sep
	if sep == "" {
		sep = leak.ContainerSep
	}
	p := s.f.path + sep + name
	depth := s.f.depth + 1
	s.p.files.Add(1)
	record := func(code leak.Reason, reason string, flags ...string) error {
		err := s.p.recordProblem(ctx, s.f.root, p, s.f.id, depth, ch.Commit, code, reason, append(flags, nflags...))
		if err != nil {
			s.fatal = err
		}
		return err
	}
	if len(p) > l.MaxPathLen {
		le := &extract.LimitError{What: "path", Limit: int64(l.MaxPathLen), Got: int64(len(p))}
		return record(leak.LimitReason(le.What), le.Error())
	}
	if ch.Skip != "" {
		return record(skipCode(ch.Flags), ch.Skip, ch.Flags...)
	}
	if ch.Link != "" || ch.R == nil {
		s.flags.add("symlink")
		return record(leak.ReasonSymlink, "link to "+ch.Link+" not followed", "symlink")
	}
	if depth > l.MaxDepth {
		le := &extract.LimitError{What: "depth", Limit: int64(l.MaxDepth), Got: int64(depth)}
		s.flags.add("deep-nesting")
		if err := record(leak.LimitReason(le.What), le.Error(), "deep-nesting"); err != nil {
			return err
		}
		return le
	}
	if ch.Size > l.MaxFileSize {
		le := &extract.LimitError{What: "size", Limit: l.MaxFileSize, Got: ch.Size}
		return record(leak.LimitReason(le.What), le.Error())
	}
	w, err := s.p.c.Blobs.NewWriter(0)
	if err != nil {
		s.fatal = err
		return err
	}
	m := &meter{r: ch.R, c: &s.c, size: l.MaxFileSize}
	buf := make([]byte, 256<<10)
	_, err = copyBuf(w, m, buf)
	if err != nil {
		w.Abort()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if runFatal(err) {
			s.fatal = fmt.Errorf("store member %s: %w", p, err)
			return s.fatal
		}
		var le *extract.LimitError
		if errors.As(err, &le) {
			if rerr := record(leak.LimitReason(le.What), le.Error(), "limit-"+le.What); rerr != nil {
				return rerr
			}
			if le.What == "size" {
				return nil // one member too big; the others may be fine
			}
			return le
		}
		// A damaged member: record it and let the extractor decide.
		if rerr := record(leak.ReasonCorrupt, fmt.Sprintf("read member: %v", err), "corrupt"); rerr != nil {
			return rerr
		}
		return fmt.Errorf("member %s: %w", ch.Name, err)
	}
	id, size, err := w.Commit()
	if err != nil {
		s.fatal = err
		return err
	}
	childSep := ch.Sep
	f := found{root: s.f.root, path: p, id: id, size: size, mtime: ch.ModTime, parent: s.f.id, depth: depth,
		commit: ch.Commit, flags: append(nflags, ch.Flags...), name: path.Base(name), sep: childSep}
	// The member is stored; extracting it can run beside its container's
	// other members when a helper slot is free (one big archive then
	// uses every core), or here, depth first, when none is.
	if s.p.tryHelper() {
		s.wg.Go(func() {
			defer s.p.releaseHelper()
			inh, err := s.p.found(s.run, s.b, f)
			s.asyncMu.Lock()
			defer s.asyncMu.Unlock()
			if err != nil && s.async == nil {
				s.async = err
			}
			s.inh = append(s.inh, inh...)
		})
		return nil
	}
	inh, err := s.p.found(s.run, s.b, f)
	if err != nil {
		s.fatal = err
		return err
	}
	for _, fl := range inh {
		s.flags.add(fl)
	}
	return nil
}

// wait waits for the members handed to helpers and folds in their
// outcome. It returns a run-fatal error of theirs.
func (s *sink) wait() error {
	s.wg.Wait()
	for _, fl := range s.inh {
		s.flags.add(fl)
	}
	s.inh = nil
	if s.fatal == nil {
		s.fatal = s.async
	}
	return s.async
}

func copyBuf(w interface{ Write([]byte) (int, error) }, r interface{ Read([]byte) (int, error) }, buf []byte) (int64, error) {
	var n int64
	for {
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

// skipCode is the reason code of a member its container could not give:
// encrypted when the extractor flagged it so (a password-protected zip
// entry), else skipped (an unsupported compression method, a volume of a
// split archive).
func skipCode(flags []string) leak.Reason {
	for _, f := range flags {
		if f == "encrypted" {
			return leak.ReasonEncrypted
		}
	}
	return leak.ReasonSkipped
}
