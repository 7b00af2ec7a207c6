package extracttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/extract"
)

// DefaultMaxChildBytes caps how much of one child a Recorder keeps when
// MaxChildBytes is zero, so that a test over a zip bomb cannot exhaust memory.
const DefaultMaxChildBytes = 64 << 20

// Child is a recorded container member: extract.Child with its body read.
type Child struct {
	Name    string
	Size    int64 // declared size, -1 if unknown
	ModTime time.Time
	Commit  string
	Link    string
	Flags   []string
	// Skip is why the member could not be stored (extract.Child.Skip).
	Skip string
	// Data is the body read from R; nil for a link or a skipped member.
	Data []byte
	// ReadErr is the error that ended reading R early, "" if none.
	ReadErr string
}

// KV is one Meta call.
type KV struct{ Key, Value string }

// Recorder is an in-memory extract.Sink. The zero value is ready to use.
// Like every Sink it is not safe for concurrent use.
type Recorder struct {
	// MaxChildren, if positive, makes the Child call after the
	// MaxChildren-th return a *extract.LimitError{What: "entries"}.
	MaxChildren int
	// MaxChildBytes caps the bytes read from one child; more is a
	// *extract.LimitError{What: "size"}. Zero means DefaultMaxChildBytes.
	MaxChildBytes int64
	// OnChild, if set, is called after a child is recorded; a non-nil error
	// is returned from Child. Tests use it to cancel a context midway.
	OnChild func(c Child) error

	text     strings.Builder
	Pages    []extract.Page
	MetaKV   []KV
	Flags    []string
	Attached map[string][]byte
	Children []Child
	// ChildCalls counts Child calls, including refused ones.
	ChildCalls int
	// Refused counts Child calls after a limit error was returned.
	Refused int
	limited bool
}

var _ extract.Sink = (*Recorder)(nil)

// Text implements extract.Sink.
func (r *Recorder) Text(s string) { r.text.WriteString(s) }

// Page implements extract.Sink; like the pipeline it appends the page text
// to the body, pages separated by a form feed.
func (r *Recorder) Page(p extract.Page) {
	if len(r.Pages) > 0 {
		r.text.WriteString("\f")
	}
	r.text.WriteString(p.Text)
	r.Pages = append(r.Pages, p)
}

// Meta implements extract.Sink.
func (r *Recorder) Meta(key, value string) { r.MetaKV = append(r.MetaKV, KV{key, value}) }

// Flag implements extract.Sink.
func (r *Recorder) Flag(flag string) { r.Flags = append(r.Flags, flag) }

// Attach implements extract.Sink.
func (r *Recorder) Attach(name string, data []byte) {
	if r.Attached == nil {
		r.Attached = map[string][]byte{}
	}
	r.Attached[name] = slices.Clone(data)
}

// Child implements extract.Sink. It reads the body fully (up to
// MaxChildBytes), as the pipeline does before Child returns.
func (r *Recorder) Child(ctx context.Context, c extract.Child) error {
	r.ChildCalls++
	if r.limited {
		r.Refused++
		return &extract.LimitError{What: "entries", Limit: int64(r.MaxChildren), Got: int64(r.ChildCalls)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.MaxChildren > 0 && len(r.Children) >= r.MaxChildren {
		r.limited = true
		return &extract.LimitError{What: "entries", Limit: int64(r.MaxChildren), Got: int64(r.ChildCalls)}
	}
	rc := Child{
		Name: c.Name, Size: c.Size, ModTime: c.ModTime, Commit: c.Commit,
		Link: c.Link, Flags: slices.Clone(c.Flags), Skip: c.Skip,
	}
	var limitErr error
	if c.R != nil {
		max := r.MaxChildBytes
		if max <= 0 {
			max = DefaultMaxChildBytes
		}
		data, err := io.ReadAll(io.LimitReader(c.R, max+1))
		if int64(len(data)) > max {
			data = data[:max]
			limitErr = &extract.LimitError{What: "size", Limit: max, Got: max + 1}
			r.limited = true
		}
		if data == nil {
			data = []byte{}
		}
		rc.Data = data
		if err != nil {
			rc.ReadErr = err.Error()
		}
	}
	r.Children = append(r.Children, rc)
	if limitErr != nil {
		return limitErr
	}
	if r.OnChild != nil {
		return r.OnChild(rc)
	}
	return nil
}

// Body returns the text written with Text and Page.
func (r *Recorder) Body() string { return r.text.String() }

// Meta returns the last value recorded for key, "" if none.
func (r *Recorder) MetaValue(key string) string {
	for i := len(r.MetaKV) - 1; i >= 0; i-- {
		if r.MetaKV[i].Key == key {
			return r.MetaKV[i].Value
		}
	}
	return ""
}

// HasFlag reports whether flag was recorded.
func (r *Recorder) HasFlag(flag string) bool { return slices.Contains(r.Flags, flag) }

// Names returns the names of the recorded children in order.
func (r *Recorder) Names() []string {
	out := make([]string, 0, len(r.Children))
	for _, c := range r.Children {
		out = append(out, c.Name)
	}
	return out
}

// ChildNamed returns the first child called name.
func (r *Recorder) ChildNamed(name string) (Child, bool) {
	for _, c := range r.Children {
		if c.Name == name {
			return c, true
		}
	}
	return Child{}, false
}

// Summary is a stable, readable digest of a recording for golden files:
// child bodies are given as their length and, when short valid UTF-8, text.
type Summary struct {
	Text     string            `json:"text,omitempty"`
	Pages    int               `json:"pages,omitempty"`
	Meta     []KV              `json:"meta,omitempty"`
	Flags    []string          `json:"flags,omitempty"`
	Attached []string          `json:"attached,omitempty"`
	Children []ChildSummary    `json:"children,omitempty"`
	Extra    map[string]string `json:"extra,omitempty"`
}

// ChildSummary describes one child in a Summary.
type ChildSummary struct {
	Name    string   `json:"name"`
	Size    int64    `json:"size"`
	Len     int      `json:"len"`
	Commit  string   `json:"commit,omitempty"`
	Link    string   `json:"link,omitempty"`
	Flags   []string `json:"flags,omitempty"`
	Skip    string   `json:"skip,omitempty"`
	Body    string   `json:"body,omitempty"`
	ReadErr string   `json:"read_err,omitempty"`
}

// Summary digests the recording. Bodies of children up to maxBody bytes
// that are valid UTF-8 are included verbatim.
func (r *Recorder) Summary(maxBody int) Summary {
	s := Summary{Text: r.Body(), Pages: len(r.Pages), Meta: r.MetaKV, Flags: r.Flags}
	for k := range r.Attached {
		s.Attached = append(s.Attached, k)
	}
	slices.Sort(s.Attached)
	for _, c := range r.Children {
		cs := ChildSummary{Name: c.Name, Size: c.Size, Len: len(c.Data), Commit: c.Commit,
			Link: c.Link, Flags: c.Flags, Skip: c.Skip, ReadErr: c.ReadErr}
		if len(c.Data) <= maxBody && isUTF8(c.Data) {
			cs.Body = string(c.Data)
		}
		s.Children = append(s.Children, cs)
	}
	return s
}

// JSON renders the summary indented, with a trailing newline.
func (s Summary) JSON() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("extracttest: marshal summary: %v", err)) // only plain types: cannot happen
	}
	return append(b, '\n')
}
