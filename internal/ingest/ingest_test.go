package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/registry"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/store"
)

// writeTree generates a small dump: text files, a zip of members and a
// zip nested in a zip, so that a full disk can strike at the top level,
// in a member and in a nested member.
func writeTree(t *testing.T, dir string) {
	t.Helper()
	for i := range 6 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("note%d.txt", i)), []byte(fmt.Sprintf("Acme Telecom note %d %s\n", i, strings.Repeat("x", 2000*i))))
	}
	var members []zipMember
	for i := range 5 {
		members = append(members, zipMember{name: fmt.Sprintf("m/%d.txt", i), body: []byte(fmt.Sprintf("Nordhavn Shipping member %d %s\n", i, strings.Repeat("y", 3000)))})
	}
	inner := zipBytes(t, members...)
	writeFile(t, filepath.Join(dir, "outer.zip"), zipBytes(t,
		zipMember{name: "inner.zip", body: inner, store: true},
		zipMember{name: "readme.txt", body: []byte("Acme Telecom readme\n")}))
}

// caseState is what a run leaves in a case, for comparing two cases.
type caseState struct {
	Docs     []docState
	Problems []string
}

type docState struct {
	Paths               []string
	Status, Error, Text string
	Flags               []string
	OccFlags, OccErrors []string
	Stages              string
}

func snapshot(t *testing.T, c *casedir.Case) caseState {
	t.Helper()
	ctx := t.Context()
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var s caseState
	for _, d := range docs {
		text, _, _ := c.Store.Text(ctx, d.ID)
		ds := docState{Paths: d.Paths(), Status: d.Status, Error: d.Error, Text: text, Flags: d.Flags}
		for _, o := range d.Occs {
			ds.OccFlags = append(ds.OccFlags, fmt.Sprint(o.Flags))
			ds.OccErrors = append(ds.OccErrors, o.Error)
		}
		done, err := c.Store.StageDone(ctx, d.ID, store.StageExtract, ExtractVersion)
		if err != nil {
			t.Fatal(err)
		}
		ds.Stages = fmt.Sprintf("extract done %v", done)
		s.Docs = append(s.Docs, ds)
	}
	probs, err := c.Store.Problems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range probs {
		s.Problems = append(s.Problems, fmt.Sprintf("%s: %s %v", o.Path, o.Error, o.Flags))
	}
	sort.Strings(s.Problems)
	return s
}

func openCase(t *testing.T) *casedir.Case {
	t.Helper()
	c, err := casedir.Open(t.Context(), filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestDiskFull fills the disk at several points of a run: the run must
// stop with the disk error and record it on no document, and a run once
// space is freed (plain, or with --retry-failed) must leave the case as a
// clean run does.
func TestDiskFull(t *testing.T) {
	ctx := t.Context()
	dump := filepath.Join(t.TempDir(), "dump")
	os.MkdirAll(dump, 0o755)
	writeTree(t, dump)

	clean := openCase(t)
	if _, err := New(clean, Options{Workers: 1}).Run(ctx, []string{dump}); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, clean)
	if len(want.Docs) < 10 {
		t.Fatalf("clean run: %d documents, the tree has more", len(want.Docs))
	}
	var total int64
	for _, d := range want.Docs {
		info, _ := clean.Store.Resolve(ctx, d.Paths[0])
		fi, err := os.Stat(clean.Blobs.Path(info))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}

	tests := []struct {
		name        string
		quota       int64
		workers     int
		retryFailed bool
	}{
		{name: "first write", quota: 1, workers: 1},
		{name: "a third in", quota: total / 3, workers: 1},
		{name: "two thirds in", quota: 2 * total / 3, workers: 1},
		{name: "two thirds in, parallel", quota: 2 * total / 3, workers: 4},
		{name: "a third in, retry failed", quota: total / 3, workers: 1, retryFailed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := openCase(t)
			c.Blobs.SetQuota(tt.quota)
			_, err := New(c, Options{Workers: tt.workers}).Run(ctx, []string{dump})
			if !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("full disk: run returned %v, want a run-fatal ENOSPC", err)
			} else if !strings.Contains(err.Error(), "free space") {
				t.Errorf("message %q does not say what to do", err)
			}
			for _, d := range snapshot(t, c).Docs {
				if strings.Contains(d.Error, "space") {
					t.Errorf("%s: disk error recorded on the document: %q", d.Paths, d.Error)
				}
			}
			c.Blobs.SetQuota(0)
			if _, err := New(c, Options{Workers: tt.workers, RetryFailed: tt.retryFailed}).Run(ctx, []string{dump}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, snapshot(t, c)); diff != "" {
				t.Errorf("after space was freed (-clean +got):\n%s", diff)
			}
		})
	}
}

// recordingStage records the text each document had when it ran. Run it
// with one worker.
type recordingStage struct{ seen map[string]string }

func (recordingStage) Name() string { return "record" }
func (recordingStage) Version() int { return 1 }
func (s recordingStage) Process(ctx context.Context, c *casedir.Case, d *StageDoc) error {
	s.seen[d.Info.ID.String()] = d.Text
	return nil
}

// flakyText is a text extractor whose outcome the test sets: with fail set
// it salvages part of the text, flags the document and fails, as a parser
// of a damaged file does (with limit set, on a limit).
type flakyText struct{ fail, limit *bool }

func (flakyText) Name() string      { return "flaky" }
func (flakyText) Accepts() []string { return []string{sniff.Text} }
func (x flakyText) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	b, err := os.ReadFile(in.File)
	if err != nil {
		return err
	}
	if *x.fail {
		out.Text("salvaged: " + string(b[:len(b)/2]))
		out.Flag("corrupt")
		if x.limit != nil && *x.limit {
			return &extract.LimitError{What: "time", Limit: 1, Got: 2}
		}
		return errors.New("damaged after the first half")
	}
	out.Text(string(b))
	return nil
}

// TestSalvagedAndRetried checks that a document whose extraction failed
// after salvaging text goes through the later stages (so that it is
// searchable), and that --retry-failed resets its status, error and flags
// and runs the later stages again on the new text.
func TestSalvagedAndRetried(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	writeFile(t, filepath.Join(dump, "report.txt"), []byte("Nordhavn Shipping quarterly report\n"))
	c := openCase(t)
	fail := true
	reg, err := registry.New([]extract.Extractor{flakyText{fail: &fail}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, Options{Workers: 1, Registry: reg}).Run(ctx, []string{dump}); err != nil {
		t.Fatal(err)
	}
	d := hostileDoc(t, c, "report.txt")
	wantStatus(t, d, "error", "damaged")
	rec := recordingStage{seen: map[string]string{}}
	if err := RunStages(ctx, c, []Stage{rec}, 1, nil); err != nil {
		t.Fatal(err)
	}
	if got := rec.seen[d.ID.String()]; !strings.HasPrefix(got, "salvaged: ") {
		t.Fatalf("stage saw %q for the salvaged document, want its salvaged text", got)
	}

	fail = false
	if _, err := New(c, Options{Workers: 1, Registry: reg, RetryFailed: true}).Run(ctx, []string{dump}); err != nil {
		t.Fatal(err)
	}
	d = hostileDoc(t, c, "report.txt")
	wantStatus(t, d, "ok")
	if d.Error != "" || len(d.Flags) != 0 {
		t.Errorf("after the retry: error %q, flags %q, want none", d.Error, d.Flags)
	}
	clear(rec.seen)
	if err := RunStages(ctx, c, []Stage{rec}, 1, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.seen[d.ID.String()], "Nordhavn Shipping quarterly report\n"; got != want {
		t.Errorf("after the retry the stage saw %q, want the new text %q", got, want)
	}
}

// TestRetryResetsFirst checks that --retry-failed resets a failed
// document before extracting it again: when the retry itself stops (a
// full disk), the document is pending, not left with its old error and
// flags.
func TestRetryResetsFirst(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	writeFile(t, filepath.Join(dump, "report.txt"), []byte("Nordhavn Shipping quarterly report\n"))
	writeFile(t, filepath.Join(dump, "later.txt"), []byte("Acme Telecom, a file written later\n"))
	c := openCase(t)
	fail := true
	reg, err := registry.New([]extract.Extractor{flakyText{fail: &fail}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, Options{Workers: 1, Registry: reg}).Run(ctx, []string{filepath.Join(dump, "report.txt")}); err != nil {
		t.Fatal(err)
	}
	fail = false
	c.Blobs.SetQuota(1)
	if _, err := New(c, Options{Workers: 1, Registry: reg, RetryFailed: true}).Run(ctx, []string{filepath.Join(dump, "later.txt")}); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("retry on a full disk: %v, want ENOSPC", err)
	}
	d := hostileDoc(t, c, "report.txt")
	if d.Status != "pending" || d.Error != "" || len(d.Flags) != 0 {
		t.Errorf("after a retry cut short: status %q, error %q, flags %q; want pending with no error or flag", d.Status, d.Error, d.Flags)
	}
	counts, err := c.Store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Failed != 0 {
		t.Errorf("%d failed documents, want 0: the reset one is pending", counts.Failed)
	}
}

// TestUnreadable checks that a file that cannot be read is counted in the
// summary's errors and recorded as unreadable. The file vanishes after
// the walk, which fails the same way for every user (root reads a file
// whatever its permission bits): with one worker, the history walker of
// the .git directory, which sorts first, deletes it before it is read.
func TestUnreadable(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	os.MkdirAll(filepath.Join(dump, "repo", ".git"), 0o755)
	writeFile(t, filepath.Join(dump, "repo", "kept.txt"), []byte("Acme Telecom kept\n"))
	gone := filepath.Join(dump, "repo", "vanishing.txt")
	writeFile(t, gone, []byte("Acme Telecom vanishing\n"))
	c := openCase(t)
	sum, err := New(c, Options{Workers: 1, HistoryWalker: func(ctx context.Context, gitDir string, emit func(extract.Child) error) error {
		return os.Remove(gone)
	}}).Run(ctx, []string{dump})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 1 {
		t.Errorf("summary errors %d, want 1 (the vanished file)", sum.Errors)
	}
	p := hostileProblem(t, c, "repo/vanishing.txt")
	wantFlags(t, "vanishing.txt", p.Flags, store.FlagUnreadable)
	if !strings.Contains(p.Error, "unreadable") {
		t.Errorf("reason %q does not say unreadable", p.Error)
	}
	reasons, err := c.Store.ErrorReasons(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 1 || reasons[0].Status != store.FlagUnreadable {
		t.Errorf("error reasons %+v, want one unreadable", reasons)
	}
}

// TestLimitMessages checks that a limit is hit only when exceeded and that
// its message then says so with the real value: an expansion ratio of
// 200.001 against 200 used to read "limit ratio: 200 > 200", and a parse
// timeout "limit time: 300 > 300".
func TestLimitMessages(t *testing.T) {
	lim := leak.DefaultLimits()
	lim.MinRatioBytes = 0
	tests := []struct {
		name string
		err  func() error
		want string // "" for no error
	}{
		{name: "ratio reached", err: func() error { return meterRead(lim, 1000, 200_000) }},
		{name: "ratio just exceeded", err: func() error { return meterRead(lim, 1000, 200_001) }, want: "limit ratio: 200.01 > 200"},
		{name: "ratio exceeded by a half", err: func() error {
			return &extract.LimitError{What: "ratio", Limit: 200_000, Got: 250_500, Per: 1000}
		}, want: "limit ratio: 250.5 > 200"},
		{name: "rounding keeps the order", err: func() error {
			return &extract.LimitError{What: "ratio", Limit: 1998, Got: 1999, Per: 1000}
		}, want: "limit ratio: 2 > 1.99"},
		{name: "time at the deadline", err: func() error { return timeLimit(5*time.Minute, 5*time.Minute) }, want: "limit time: 300.01 > 300"},
		{name: "time past the deadline", err: func() error { return timeLimit(5*time.Minute, 5*time.Minute+1500*time.Millisecond) }, want: "limit time: 301.5 > 300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
			var le *extract.LimitError
			if errors.As(err, &le) && le.Got <= le.Limit {
				t.Errorf("%+v: Got %d is not over Limit %d", le, le.Got, le.Limit)
			}
		})
	}
}

// meterRead reads out bytes through a meter of a container of size bytes.
func meterRead(lim leak.Limits, size, out int64) error {
	m := &meter{r: io.LimitReader(zeros{}, out), c: &container{b: &budget{limits: lim}, size: size}, size: lim.MaxFileSize}
	buf := make([]byte, 1) // byte by byte: the limit trips at its first byte over
	for {
		if _, err := m.Read(buf); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestRetryFixesContainerFlags checks that --retry-failed re-extracts the
// containers of a failed member too: a zip takes the limit flags of its
// members, and once the member succeeds the zip must lose the flag, ending
// as a clean run leaves it.
func TestRetryFixesContainerFlags(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	inner := zipBytes(t, zipMember{name: "report.txt", body: []byte("Nordhavn Shipping quarterly report\n")})
	writeFile(t, filepath.Join(dump, "outer.zip"), zipBytes(t, zipMember{name: "inner.zip", body: inner, store: true}))
	run := func(c *casedir.Case, fail, retry bool) {
		t.Helper()
		limit := true
		list := registry.Default(registry.Options{}).Extractors()
		for i, e := range list {
			if slices.Contains(e.Accepts(), sniff.Text) {
				list = slices.Delete(list, i, i+1)
				break
			}
		}
		reg, err := registry.New(append(list, flakyText{fail: &fail, limit: &limit}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(c, Options{Workers: 1, Registry: reg, RetryFailed: retry}).Run(ctx, []string{dump}); err != nil {
			t.Fatal(err)
		}
	}
	clean := openCase(t)
	run(clean, false, false)
	c := openCase(t)
	run(c, true, false)
	if d := hostileDoc(t, c, "outer.zip"); !slices.Contains(d.Flags, "limit-time") {
		t.Fatalf("outer.zip flags %q: the member's limit is not inherited, the test checks nothing", d.Flags)
	}
	run(c, false, true)
	if diff := cmp.Diff(snapshot(t, clean), snapshot(t, c)); diff != "" {
		t.Errorf("after --retry-failed (-clean +got):\n%s", diff)
	}
}
