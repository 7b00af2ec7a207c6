// Package gitrepo reads the files of a git history: a git bundle as an
// extractor, and a repository directory on disk through WalkHistory. It
// uses go-git only, so no git binary is needed.
//
// # Version
//
// One (path, blob) pair: the content a path had at some point. Each
// version is handed over once.
//
// # Tip
//
// The commit of the default branch: HEAD when the bundle or repository
// names it, else refs/heads/main, refs/heads/master, or the first branch.
// Versions in the tip's tree are children named "HEAD/<path>".
//
// # History-only version
//
// A version that is not in the tip's tree: an older content of a file, or
// a file deleted since. It is named "<commit>/<path>", where the commit
// (full hex) is the one that introduced that version (its blob differs from
// the path's blob in every parent), with Child.Commit set; a path absent at
// the tip is flagged "deleted-in-history". This is where leaks hide: a
// secret committed and then removed is still in the history.
//
// # Memory
//
// A bundle's pack is indexed into a scratch object store under
// Input.TempDir, not held in memory; blobs are streamed to the sink.
package gitrepo
