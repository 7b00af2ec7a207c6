package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// ErrNotRegular is wrapped by every *NotRegularError: the path is not a
// regular file (or reaches one only through a symbolic link) and was not
// read.
var ErrNotRegular = errors.New("not a regular file")

// Kinds of refused files, as NotRegularError.Kind. They are stored in
// occurrence reasons and flags: never change them.
const (
	KindSymlink   = "symlink"
	KindFIFO      = "fifo"
	KindDevice    = "device"
	KindSocket    = "socket"
	KindDirectory = "directory"
	KindOther     = "irregular"
	KindEscape    = "outside-root" // a path leaving its root through ".."
)

// NotRegularError says what was found at a path instead of a regular file.
type NotRegularError struct {
	Path string
	Kind string // KindSymlink, KindFIFO ...
}

func (e *NotRegularError) Error() string {
	what := e.Kind
	switch e.Kind {
	case KindSymlink:
		what = "symbolic link (not followed)"
	case KindFIFO:
		what = "named pipe"
	}
	return fmt.Sprintf("%s: %s: %v", e.Path, what, ErrNotRegular)
}

func (e *NotRegularError) Unwrap() error { return ErrNotRegular }

// openFlags never follow a final symbolic link (O_NOFOLLOW), never block
// on a named pipe without a writer or a device waiting for carrier
// (O_NONBLOCK), never make a terminal ours (O_NOCTTY) and never leak into
// child tools (O_CLOEXEC).
const openFlags = unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_NOCTTY | unix.O_CLOEXEC

// Open opens rel, a "/"-separated path beneath the directory dir, for
// reading, and only if it is a regular file. It is the one way a file of
// an ingested tree is opened: between the walk that listed a file and the
// open, a hostile tree can swap the file (or a directory above it) for a
// symbolic link to /etc/passwd, or for a named pipe that would hang a
// plain open forever.
//
// On Linux 5.6 and later the open is done by openat2 with
// RESOLVE_NO_SYMLINKS and RESOLVE_BENEATH, so no component of rel may be a
// link; on older kernels (or under a seccomp filter that refuses openat2)
// only the last component is protected, by O_NOFOLLOW. The opened
// descriptor is then fstat'ed, so what is read is what was checked.
// Anything but a regular file yields a *NotRegularError.
func Open(dir, rel string) (*os.File, error) {
	rel = filepath.FromSlash(rel)
	name := filepath.Join(dir, rel)
	fd, err := openBeneath(dir, rel)
	if err != nil {
		switch {
		case errors.Is(err, unix.ELOOP):
			// A link met under RESOLVE_NO_SYMLINKS or O_NOFOLLOW.
			return nil, &NotRegularError{Path: name, Kind: KindSymlink}
		case errors.Is(err, unix.EXDEV):
			// RESOLVE_BENEATH: rel climbs out of dir through "..".
			return nil, &NotRegularError{Path: name, Kind: KindEscape}
		}
		if errors.Is(err, unix.ENXIO) {
			// A socket, or a device without a driver, cannot be opened
			// at all; say which it is.
			kind := KindOther
			var st unix.Stat_t
			if unix.Lstat(name, &st) == nil && kindOf(st.Mode) != "" {
				kind = kindOf(st.Mode)
			}
			return nil, &NotRegularError{Path: name, Kind: kind}
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "fstat", Path: name, Err: err}
	}
	if kind := kindOf(st.Mode); kind != "" {
		unix.Close(fd)
		return nil, &NotRegularError{Path: name, Kind: kind}
	}
	// O_NONBLOCK means nothing to a regular file, but it is cleared so
	// that the descriptor behaves as a plain open would.
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "fcntl", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// OpenFile is Open for a path given whole: its directory is trusted (it is
// the root the user named), its base name is not.
func OpenFile(path string) (*os.File, error) {
	return Open(filepath.Dir(path), filepath.Base(path))
}

// Open opens the item's file with Open, beneath the root it was walked
// from.
func (it Item) Open() (*os.File, error) {
	if it.dir == "" {
		return OpenFile(it.Abs)
	}
	return Open(it.dir, it.Rel)
}

// openBeneath returns a descriptor for rel under dir, refusing symbolic
// links in every component where the kernel allows it.
func openBeneath(dir, rel string) (int, error) {
	dfd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(dfd)
	how := unix.OpenHow{
		Flags:   uint64(openFlags),
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	for {
		fd, err := unix.Openat2(dfd, rel, &how)
		switch {
		case err == unix.EINTR || err == unix.EAGAIN:
			// openat2 returns EAGAIN when a rename raced the lookup.
			continue
		case err == unix.ENOSYS || err == unix.EPERM:
			// No openat2 (kernel before 5.6, or a seccomp filter).
			return openLast(dfd, rel)
		}
		return fd, err
	}
}

// openLast is the fallback of openBeneath: only the last component is
// protected (O_NOFOLLOW).
func openLast(dfd int, rel string) (int, error) {
	for {
		fd, err := unix.Openat(dfd, rel, openFlags, 0)
		if err == unix.EINTR {
			continue
		}
		return fd, err
	}
}

// kindOf names a file type that is not regular; "" for a regular file.
func kindOf(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFREG:
		return ""
	case unix.S_IFLNK:
		return KindSymlink
	case unix.S_IFIFO:
		return KindFIFO
	case unix.S_IFCHR, unix.S_IFBLK:
		return KindDevice
	case unix.S_IFSOCK:
		return KindSocket
	case unix.S_IFDIR:
		return KindDirectory
	}
	return KindOther
}
