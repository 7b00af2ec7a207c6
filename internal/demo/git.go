package demo

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/leakscope/leakscope/internal/sniff"
)

// gitRepo is a small repository built object by object in memory, so that
// its commit hashes are the same on every run. It is written out twice: as
// the .git directory of a working tree and as a bundle.
type gitRepo struct {
	dir     string // working tree, relative to the demo root
	st      *memory.Storage
	objects []plumbing.Hash // every object, in creation order
	seen    map[plumbing.Hash]bool
	head    plumbing.Hash
	tip     map[string][]byte // the files of the last commit
	tipTime time.Time
}

func (g *gitRepo) put(fn func(plumbing.EncodedObject) error) (plumbing.Hash, error) {
	obj := g.st.NewEncodedObject()
	if err := fn(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := g.st.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if !g.seen[h] {
		g.seen[h] = true
		g.objects = append(g.objects, h)
	}
	return h, nil
}

func (g *gitRepo) blob(data []byte) (plumbing.Hash, error) {
	return g.put(func(o plumbing.EncodedObject) error {
		o.SetType(plumbing.BlobObject)
		w, err := o.Writer()
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
		return w.Close()
	})
}

// tree writes the trees for files (slash paths -> blob) and returns the
// root. Entries are in git's order: a directory sorts as its name plus "/".
func (g *gitRepo) tree(files map[string]plumbing.Hash) (plumbing.Hash, error) {
	type ent struct {
		key string
		e   object.TreeEntry
	}
	var ents []ent
	subdirs := map[string]map[string]plumbing.Hash{}
	for p, h := range files {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if subdirs[dir] == nil {
				subdirs[dir] = map[string]plumbing.Hash{}
			}
			subdirs[dir][rest] = h
			continue
		}
		ents = append(ents, ent{p, object.TreeEntry{Name: p, Mode: filemode.Regular, Hash: h}})
	}
	dirs := make([]string, 0, len(subdirs))
	for dir := range subdirs {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs) // object order decides the bundle's bytes
	for _, dir := range dirs {
		sub := subdirs[dir]
		h, err := g.tree(sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		ents = append(ents, ent{dir + "/", object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h}})
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].key < ents[j].key })
	t := &object.Tree{}
	for _, e := range ents {
		t.Entries = append(t.Entries, e.e)
	}
	return g.put(t.Encode)
}

// commit records a commit of files (the full tree) on top of parent.
func (g *gitRepo) commit(files map[string][]byte, parent plumbing.Hash, who person, when time.Time, msg string) (plumbing.Hash, map[string]plumbing.Hash, error) {
	blobs := map[string]plumbing.Hash{}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		h, err := g.blob(files[p])
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		blobs[p] = h
	}
	tree, err := g.tree(blobs)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	sig := object.Signature{Name: who.name, Email: who.email, When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree}
	if !parent.IsZero() {
		c.ParentHashes = []plumbing.Hash{parent}
	}
	h, err := g.put(c.Encode)
	return h, blobs, err
}

// bundle writes a v2 git bundle: the header naming the branch and HEAD,
// then a packfile of every object (no deltas, so it is byte-stable).
func (g *gitRepo) bundle() ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# v2 git bundle\n%s refs/heads/main\n%s HEAD\n\n", g.head, g.head)
	if _, err := packfile.NewEncoder(&buf, g.st, false).Encode(g.objects, 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeDotGit creates dir/.git with every object loose, the main branch at
// the last commit, and an index matching the working tree files that flush
// already wrote. The index carries no device, inode or owner, so it does not
// depend on the machine; git refreshes those on its first status.
func (g *gitRepo) writeDotGit(dir string) error {
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		return err
	}
	for _, h := range g.objects {
		obj, err := g.st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return err
		}
		if _, err := r.Storer.SetEncodedObject(obj); err != nil {
			return err
		}
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), g.head)); err != nil {
		return err
	}
	idx := &index.Index{Version: 2}
	names := make([]string, 0, len(g.tip))
	for p := range g.tip {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		data := g.tip[p]
		idx.Entries = append(idx.Entries, &index.Entry{
			Hash: plumbing.ComputeHash(plumbing.BlobObject, data), Name: p, Mode: filemode.Regular,
			Size: uint32(len(data)), CreatedAt: g.tipTime, ModifiedAt: g.tipTime,
		})
	}
	return r.Storer.SetIndex(idx)
}

// gitFiles builds the ops-tools repository: three commits, the first adds
// a note naming a target, the last deletes it. The working tree goes to
// repo/, the history to repo/.git and to archives/ops-tools.bundle.
func (b *builder) gitFiles() error {
	s := b.s
	ma, su := s.person("ma"), s.person("su")
	t5 := s.targets[4]
	g := &gitRepo{dir: "repo", st: memory.NewStorage(), seen: map[plumbing.Hash]bool{}}

	readme1 := "# ops-tools\n\n内部运维脚本，勿外传。\n"
	readme2 := readme1 + "\n部署：见 deploy/hosts.txt\n"
	sync := fmt.Sprintf("#!/bin/sh\n# 同步数据到跳板机\nrsync -az /data/ root@%s:/backup/\n", s.c2IP)
	note := fmt.Sprintf("# 肯尼亚方向\n\n- %s（%s）计费库，%s，%s\n- 入口：供应商 VPN\n", t5.nameZH, t5.nameEN, t5.volumeZH, t5.date)
	hosts := fmt.Sprintf("relay   %s\nbackup  %s\n", s.c2IP, s.vpnIP)

	v1 := map[string][]byte{"README.md": []byte(readme1), "scripts/sync.sh": []byte(sync), "notes/kenya_targets.md": []byte(note)}
	v2 := map[string][]byte{"README.md": []byte(readme2), "scripts/sync.sh": []byte(sync), "notes/kenya_targets.md": []byte(note), "deploy/hosts.txt": []byte(hosts)}
	v3 := map[string][]byte{"README.md": []byte(readme2), "scripts/sync.sh": []byte(sync), "deploy/hosts.txt": []byte(hosts)}
	c1, _, err := g.commit(v1, plumbing.ZeroHash, ma, at(2021, 5, 2, 10, 0, 0), "init: scripts and notes\n")
	if err != nil {
		return err
	}
	c2, _, err := g.commit(v2, c1, su, at(2021, 8, 15, 16, 30, 0), "add deploy hosts\n")
	if err != nil {
		return err
	}
	g.tipTime = at(2021, 11, 20, 9, 15, 0)
	c3, _, err := g.commit(v3, c2, ma, g.tipTime, "remove notes\n")
	if err != nil {
		return err
	}
	g.head, g.tip = c3, v3
	b.git = g

	meta := map[string]File{
		"README.md":              {MIME: sniff.Markdown, Format: "md", Languages: []string{"zh-Hans"}, Encoding: "utf-8", What: "repository readme"},
		"scripts/sync.sh":        {MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"}, Encoding: "utf-8", What: "shell script syncing data to the relay server"},
		"deploy/hosts.txt":       {MIME: sniff.Text, Format: "txt", Languages: []string{"en"}, Encoding: "utf-8", What: "host list"},
		"notes/kenya_targets.md": {MIME: sniff.Markdown, Format: "md", Languages: []string{"zh-Hans", "en"}, Encoding: "utf-8", What: "note naming a target, added in the first commit and deleted in the last", Flags: []string{"deleted-in-history"}},
	}
	// The versions a walker must find: every file at HEAD, and each older
	// version under the commit that introduced it.
	type version struct {
		name string
		data []byte
		old  bool
	}
	var versions []version
	for p, data := range v3 {
		versions = append(versions, version{"HEAD/" + p, data, false})
	}
	versions = append(versions,
		version{c1.String() + "/README.md", []byte(readme1), true},
		version{c1.String() + "/notes/kenya_targets.md", []byte(note), true})
	sort.Slice(versions, func(i, j int) bool { return versions[i].name < versions[j].name })

	bundle, err := g.bundle()
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	for _, container := range []string{"archives/ops-tools.bundle", g.dir + "/.git"} {
		for _, v := range versions {
			_, p, _ := strings.Cut(v.name, "/")
			f := meta[p]
			if v.old && p == "README.md" {
				f.What = "first version of the readme, changed in a later commit"
			}
			b.member(container, v.name, f, v.data, string(v.data))
		}
	}
	b.add(File{Path: "archives/ops-tools.bundle", MIME: sniff.Bundle, Format: "git-bundle", ModTime: g.tipTime,
		What: fmt.Sprintf("git bundle of repo/: 3 commits on main; notes/kenya_targets.md added in %s, deleted in %s", c1.String()[:12], c3.String()[:12])},
		bundle, "")
	b.add(File{Path: g.dir + "/.git", Dir: true, Format: "git-dir",
		What: "git directory of the working tree repo/ (loose objects, index, main branch); the same history as the bundle"}, nil, "")
	for p, data := range v3 {
		f := meta[p]
		f.Path = path.Join(g.dir, p)
		f.ModTime = g.tipTime
		b.add(f, data, string(data))
	}
	return nil
}
