package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// DefaultSeed is the seed used when Options.Seed is empty.
const DefaultSeed = "leakscope-demo"

// Options tune Write. The zero value writes the default demo.
type Options struct {
	// Seed selects the indicator values and chat seconds; "" is DefaultSeed.
	Seed string
	// FontPath is a CJK font (TrueType, OpenType or a .ttc collection) for
	// the chat screenshot; "" searches the usual system locations.
	FontPath string
	// NoSystemFont draws the screenshot with the built-in bitmap font, in
	// English, so that its bytes do not depend on the fonts installed.
	NoSystemFont bool
	// Logger receives one Info event per run and a Warn when no CJK font is
	// found; nil discards.
	Logger *slog.Logger
}

// Manifest describes what Write wrote and what a correct pipeline should
// find in it.
type Manifest struct {
	Seed string `json:"seed"`
	// Files are the top-level files, sorted by path, plus one Dir entry for
	// the git directory of the working tree.
	Files []File `json:"files"`
	// Members are the files inside containers (archives, mail, git), sorted
	// by path.
	Members []File `json:"members"`
	// Notes say which optional parts were degraded (no CJK font).
	Notes []string `json:"notes,omitempty"`
	Truth Truth    `json:"truth"`
}

// File is one file written, or one member of a container.
type File struct {
	// Path is relative to the demo directory, slash-separated, with "!/" at
	// each container boundary (DESIGN.md).
	Path string `json:"path"`
	// Container is the path of the enclosing container, "" at top level.
	Container string `json:"container,omitempty"`
	// Dir marks the git directory entry, which has no bytes of its own.
	Dir    bool   `json:"dir,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	// MIME is the type internal/sniff gives the bytes.
	MIME string `json:"mime,omitempty"`
	// Format is a finer kind, the vocabulary of the shared corpus truth:
	// chat-md, chat-json, chat-screenshot, txt, md, csv, html, docx, xlsx,
	// pptx, pdf-text, eml, mbox, zip, tar.gz, git-bundle, git-dir, empty.
	Format      string    `json:"format"`
	Languages   []string  `json:"languages,omitempty"`
	Encoding    string    `json:"encoding,omitempty"`
	What        string    `json:"what"`
	Flags       []string  `json:"flags,omitempty"`
	OCRRequired bool      `json:"ocr_required,omitempty"`
	ModTime     time.Time `json:"mtime,omitzero"`
	Author      string    `json:"author,omitempty"`
	// Members lists every file inside a container, nested ones included, as
	// full paths.
	Members []string `json:"members,omitempty"`
}

// Write writes the demo leak into dir, which must be empty or absent, and
// returns its manifest. The same Options give the same bytes on every run.
func Write(dir string, opts Options) (Manifest, error) {
	start := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := checkEmpty(dir); err != nil {
		return Manifest{}, fmt.Errorf("demo: %w", err)
	}
	b, err := build(opts, log)
	if err != nil {
		return Manifest{}, fmt.Errorf("demo: %w", err)
	}
	if err := b.flush(dir); err != nil {
		return Manifest{}, fmt.Errorf("demo: write %s: %w", dir, err)
	}
	m := b.manifest()
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	log.Info("demo written", "path", dir, "files", len(m.Files), "members", len(m.Members), "bytes", size, "dur", time.Since(start))
	return m, nil
}

func checkEmpty(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if err != nil && err != io.EOF {
		return err
	}
	if len(names) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// blob is a File with its bytes and the plain text a reader would see in
// it, from which the truth (evidence, indicators) is computed.
type blob struct {
	File
	data []byte
	text string
}

// builder assembles the demo in memory; flush writes it.
type builder struct {
	s     *story
	opts  Options
	log   *slog.Logger
	top   []*blob
	mem   []*blob
	notes []string
	git   *gitRepo
	shot  shot
	truth Truth
}

func build(opts Options, log *slog.Logger) (*builder, error) {
	if opts.Seed == "" {
		opts.Seed = DefaultSeed
	}
	b := &builder{s: newStory(opts.Seed), opts: opts, log: log}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"chats", b.chats},
		{"notes", b.notesFiles},
		{"business", b.business},
		{"mail", b.mail},
		{"screenshot", b.screenshot},
		{"git", b.gitFiles},
		{"archives", b.archives},
		{"misc", b.misc},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return nil, fmt.Errorf("%s: %w", st.name, err)
		}
	}
	sort.Slice(b.top, func(i, j int) bool { return b.top[i].Path < b.top[j].Path })
	sort.Slice(b.mem, func(i, j int) bool { return b.mem[i].Path < b.mem[j].Path })
	b.linkMembers()
	b.truth = b.computeTruth()
	return b, nil
}

// add records a top-level file.
func (b *builder) add(f File, data []byte, text string) *blob {
	f.Flags = slices.Clone(f.Flags) // computeTruth appends to it
	bl := &blob{File: f, data: data, text: text}
	if !f.Dir {
		bl.Size = int64(len(data))
		sum := sha256.Sum256(data)
		bl.SHA256 = hex.EncodeToString(sum[:])
	}
	b.top = append(b.top, bl)
	return bl
}

// member records a file found inside container under name and returns its
// full path.
func (b *builder) member(container, name string, f File, data []byte, text string) string {
	f.Path = container + leak.ContainerSep + name
	f.Flags = slices.Clone(f.Flags)
	f.Container = container
	bl := &blob{File: f, data: data, text: text}
	bl.Size = int64(len(data))
	sum := sha256.Sum256(data)
	bl.SHA256 = hex.EncodeToString(sum[:])
	b.mem = append(b.mem, bl)
	return f.Path
}

// linkMembers fills each container's Members with every path below it.
func (b *builder) linkMembers() {
	all := append(append([]*blob(nil), b.top...), b.mem...)
	for _, c := range all {
		prefix := c.Path + leak.ContainerSep
		for _, m := range b.mem {
			if strings.HasPrefix(m.Path, prefix) {
				c.Members = append(c.Members, m.Path)
			}
		}
	}
}

func (b *builder) manifest() Manifest {
	m := Manifest{Seed: b.opts.Seed, Notes: b.notes, Truth: b.truth}
	for _, f := range b.top {
		m.Files = append(m.Files, f.File)
	}
	for _, f := range b.mem {
		m.Members = append(m.Members, f.File)
	}
	return m
}

// flush writes the top-level files through an os.Root on dir, so that no
// path of the demo can land outside it, then the git directory.
func (b *builder) flush(dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range b.top {
		if f.Dir {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return fmt.Errorf("path %q is not local", f.Path)
		}
		if d := path.Dir(f.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		if err := root.WriteFile(f.Path, f.data, 0o644); err != nil {
			return err
		}
		if !f.ModTime.IsZero() {
			if err := root.Chtimes(f.Path, f.ModTime, f.ModTime); err != nil {
				return err
			}
		}
	}
	if b.git != nil {
		if err := b.git.writeDotGit(filepath.Join(dir, filepath.FromSlash(b.git.dir))); err != nil {
			return fmt.Errorf("git: %w", err)
		}
	}
	return nil
}

// files returns every blob, top level and members, in path order.
func (b *builder) files() []*blob {
	all := append(append([]*blob(nil), b.top...), b.mem...)
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	return all
}
