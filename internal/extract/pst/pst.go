package pst

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// Program is the reader run by default.
const Program = "readpst"

// Extractor runs readpst and hands each message to the pipeline. Limiter,
// when set, bounds concurrent runs across goroutines. It is safe for
// concurrent use.
type Extractor struct {
	Limiter tool.Limiter
	// Program overrides the reader (tests); empty means Program.
	Program string
}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "pst" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.PST} }

// message is one file readpst wrote.
type message struct {
	folder string // slash-separated, relative to the output directory
	base   string // file name
	num    int    // the number in the name, -1 if none
	size   int64
}

// Extract implements extract.Extractor.
func (x Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pst %s: %w", in.Name, err)
	}
	dir, err := os.MkdirTemp(in.TempDir, "readpst-")
	if err != nil {
		return fmt.Errorf("pst %s: %w", in.Name, err)
	}
	defer os.RemoveAll(dir)
	if err := x.run(ctx, in, dir); err != nil {
		return fmt.Errorf("pst %s: %w", in.Name, err)
	}
	msgs, err := list(dir, in.Limits.MaxEntries, in.Limits.MaxExpanded)
	if err != nil {
		return fmt.Errorf("pst %s: %w", in.Name, err)
	}
	counts := map[string]int{}
	var folders []string
	for _, m := range msgs {
		if counts[m.folder] == 0 {
			folders = append(folders, m.folder)
		}
		counts[m.folder]++
	}
	body := text.Cap(out, in.Limits.MaxText)
	for _, f := range folders {
		body.Text(fmt.Sprintf("%s (%d)\n", f, counts[f]))
	}
	out.Meta("messages", strconv.Itoa(len(msgs)))
	out.Meta("folders", strconv.Itoa(len(folders)))
	for _, m := range msgs {
		// Only a budget or a cancellation ends the mailbox; a message
		// that cannot be read is recorded on its own occurrence.
		if err := x.child(ctx, dir, m, out); err != nil && (extract.IsLimit(err) || ctx.Err() != nil) {
			return fmt.Errorf("pst %s: %w", in.Name, err)
		}
	}
	return nil
}

func (x Extractor) run(ctx context.Context, in *extract.Input, dir string) error {
	if x.Limiter != nil {
		if err := x.Limiter.Acquire(ctx); err != nil {
			return err
		}
		defer x.Limiter.Release()
	}
	prog := x.Program
	if prog == "" {
		prog = Program
	}
	// -e one MIME file per message, attachments inline; -D deleted items
	// too; -b no RTF body copies; -q quiet; -o the output directory.
	_, err := tool.Run(ctx, tool.Cmd{
		Name:    prog,
		Args:    []string{"-e", "-D", "-b", "-q", "-o", dir, in.File},
		Dir:     in.TempDir,
		Env:     []string{"LC_ALL=C.UTF-8"},
		Timeout: in.Limits.ToolTimeout,
		MaxOut:  64 << 10,
	})
	return err
}

// list walks readpst's output: regular files only, in folder order, then
// by message number. Past maxEntries files (0: no cap) or maxBytes bytes
// (0: no cap) it returns a *extract.LimitError.
func list(dir string, maxEntries int, maxBytes int64) ([]message, error) {
	var msgs []message
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // directories; readpst writes no links, and none is followed
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		m := message{folder: path.Dir(rel), base: path.Base(rel), num: -1, size: info.Size()}
		if m.folder == "." {
			m.folder = ""
		}
		if n, err := strconv.Atoi(strings.TrimSuffix(m.base, path.Ext(m.base))); err == nil {
			m.num = n
		}
		msgs = append(msgs, m)
		total += m.size
		if maxEntries > 0 && len(msgs) > maxEntries {
			return &extract.LimitError{What: "entries", Limit: int64(maxEntries), Got: int64(len(msgs))}
		}
		if maxBytes > 0 && total > maxBytes {
			return &extract.LimitError{What: "expanded", Limit: maxBytes, Got: total}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("readpst output: %w", err)
	}
	sort.SliceStable(msgs, func(i, j int) bool {
		a, b := msgs[i], msgs[j]
		if a.folder != b.folder {
			return a.folder < b.folder
		}
		if a.num != b.num {
			return a.num < b.num
		}
		return a.base < b.base
	})
	return msgs, nil
}

// name is the child name of m: "<folder>/<n>" for a message, the file
// name kept for contacts and appointments.
func (m message) name() string {
	base := m.base
	if strings.EqualFold(path.Ext(base), ".eml") && m.num >= 0 {
		base = strconv.Itoa(m.num)
	}
	if m.folder == "" {
		return base
	}
	return m.folder + "/" + base
}

func (x Extractor) child(ctx context.Context, dir string, m message, out extract.Sink) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(m.folder), m.base))
	if err != nil {
		return out.Child(ctx, extract.Child{Name: m.name(), Size: m.size, Skip: "unreadable readpst output: " + err.Error()})
	}
	defer f.Close()
	return out.Child(ctx, extract.Child{Name: m.name(), R: f, Size: m.size})
}
