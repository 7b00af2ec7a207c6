package ole

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"
)

// Signature is the first eight bytes of every compound file.
var Signature = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// Special sector numbers of the FAT (MS-CFB 2.1).
const (
	maxRegSect = 0xfffffffa
	difSect    = 0xfffffffc
	fatSect    = 0xfffffffd
	endOfChain = 0xfffffffe
	freeSect   = 0xffffffff
	noStream   = 0xffffffff
)

const (
	headerSize   = 512
	dirEntrySize = 128
)

// Errors of hostile or damaged files. They are wrapped with the place
// they were found.
var (
	// ErrFormat means the bytes are not a compound file or break its
	// structure beyond repair (bad signature, impossible sector size).
	ErrFormat = errors.New("not a valid compound file")
	// ErrTruncated means a chain points past the end of the file or ends
	// before the declared size: the file was cut short or damaged.
	ErrTruncated = errors.New("compound file truncated or damaged")
	// ErrLoop means a sector chain or the directory tree revisits itself.
	ErrLoop = errors.New("compound file has a cyclic chain")
	// ErrTooLarge means a stream or table exceeds a Limits bound.
	ErrTooLarge = errors.New("compound file stream exceeds limit")
)

// Limits bounds what a File reads from hostile input.
type Limits struct {
	// MaxStream is the largest stream ReadStream reads into memory.
	MaxStream int64
	// MaxEntries is the most directory entries read.
	MaxEntries int
}

// DefaultLimits are sized for metadata and mail: streams up to 64 MiB are
// read into memory, larger ones only through Stream.
func DefaultLimits() Limits {
	return Limits{MaxStream: 64 << 20, MaxEntries: 1 << 16}
}

// EntryType is the object type of a directory entry.
type EntryType uint8

// Directory entry types (MS-CFB 2.6.1).
const (
	TypeUnknown EntryType = 0
	TypeStorage EntryType = 1
	TypeStream  EntryType = 2
	TypeRoot    EntryType = 5
)

// Entry is one directory entry: a storage (a folder) or a stream (a file).
type Entry struct {
	// ID is the entry's index in the directory; the root is 0.
	ID       int
	Name     string
	Type     EntryType
	CLSID    [16]byte
	Created  time.Time // zero when unset
	Modified time.Time // zero when unset
	// Size is the declared stream size in bytes (the mini stream's size
	// for the root).
	Size int64

	left, right, child uint32
	start              uint32
}

// IsStorage reports whether e can hold children (a storage or the root).
func (e *Entry) IsStorage() bool { return e.Type == TypeStorage || e.Type == TypeRoot }

// File is an open compound file. Its methods are safe for concurrent use
// when the underlying io.ReaderAt is.
type File struct {
	r          io.ReaderAt
	size       int64
	limits     Limits
	Major      uint16 // 3 (512-byte sectors) or 4 (4096-byte sectors)
	sectorSize int64
	miniSize   int64
	miniCutoff int64
	nSectors   uint32 // sectors that fit in the file
	fat        []uint32
	miniFAT    []uint32
	entries    []*Entry
	mini       *Stream // the mini stream container, nil when absent
	// Damaged is set when some table (FAT, directory, mini FAT) could not
	// be read in full; what was read is still used.
	Damaged bool
}

// Open reads the header, FAT, mini FAT and directory of the compound file
// r of size bytes with DefaultLimits.
func Open(r io.ReaderAt, size int64) (*File, error) { return OpenLimits(r, size, DefaultLimits()) }

// OpenLimits is Open with explicit limits.
func OpenLimits(r io.ReaderAt, size int64, l Limits) (*File, error) {
	if l.MaxStream <= 0 {
		l.MaxStream = DefaultLimits().MaxStream
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits().MaxEntries
	}
	var h [headerSize]byte
	if size < headerSize {
		return nil, fmt.Errorf("cfb header: %d bytes: %w", size, ErrTruncated)
	}
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, fmt.Errorf("cfb header: %w", err)
	}
	if !bytes.Equal(h[:8], Signature) {
		return nil, fmt.Errorf("cfb header: signature: %w", ErrFormat)
	}
	le := binary.LittleEndian
	f := &File{r: r, size: size, limits: l, Major: le.Uint16(h[26:])}
	shift := le.Uint16(h[30:])
	miniShift := le.Uint16(h[32:])
	// Version 3 uses 512-byte sectors, version 4 4096; anything else is
	// accepted only within those bounds so that a tampered version field
	// does not stop an otherwise readable file.
	if shift != 9 && shift != 12 {
		return nil, fmt.Errorf("cfb header: sector shift %d: %w", shift, ErrFormat)
	}
	if miniShift != 6 {
		return nil, fmt.Errorf("cfb header: mini sector shift %d: %w", miniShift, ErrFormat)
	}
	f.sectorSize = 1 << shift
	f.miniSize = 1 << miniShift
	f.miniCutoff = int64(le.Uint32(h[56:]))
	if f.miniCutoff != 4096 {
		f.miniCutoff = 4096 // the only value the spec allows
	}
	n := (size - f.sectorSize) / f.sectorSize
	if (size-f.sectorSize)%f.sectorSize != 0 {
		n++ // a last partial sector is still addressable
	}
	if n < 0 {
		n = 0
	}
	if n > maxRegSect {
		n = maxRegSect
	}
	f.nSectors = uint32(n)

	if err := f.readFAT(h[:]); err != nil {
		return nil, err
	}
	if err := f.readDirectory(le.Uint32(h[48:])); err != nil {
		return nil, err
	}
	f.readMiniFAT(le.Uint32(h[60:]), le.Uint32(h[64:]))
	if root := f.entries[0]; root.start < maxRegSect && root.Size > 0 {
		if s, err := f.chainStream(root.start, root.Size); err == nil {
			f.mini = s
		} else {
			f.Damaged = true
		}
	}
	return f, nil
}

// sectorOffset is where sector s starts in the file.
func (f *File) sectorOffset(s uint32) int64 { return (int64(s) + 1) * f.sectorSize }

// readSector reads sector s into buf (len sectorSize). A sector cut by
// the end of the file is zero-filled and reported as truncated.
func (f *File) readSector(s uint32, buf []byte) error {
	if s >= f.nSectors {
		return fmt.Errorf("sector %d of %d: %w", s, f.nSectors, ErrTruncated)
	}
	n, err := f.r.ReadAt(buf, f.sectorOffset(s))
	if n == len(buf) {
		return nil
	}
	clear(buf[n:])
	if err == nil || errors.Is(err, io.EOF) {
		err = ErrTruncated
	}
	return fmt.Errorf("sector %d: %w", s, err)
}

// readFAT collects the FAT sector numbers from the header's 109 DIFAT
// entries and the DIFAT chain, then reads those sectors. The number of FAT
// sectors is bounded by what the file could address, so a header claiming
// four billion of them costs nothing.
func (f *File) readFAT(h []byte) error {
	le := binary.LittleEndian
	perSector := uint32(f.sectorSize / 4)
	// Enough FAT sectors to describe every sector of the file.
	maxFAT := f.nSectors/perSector + 1
	declared := le.Uint32(h[44:])
	want := min(declared, maxFAT)
	var fatSectors []uint32
	add := func(s uint32) bool {
		if uint32(len(fatSectors)) >= want {
			return false
		}
		if s < maxRegSect {
			fatSectors = append(fatSectors, s)
		}
		return true
	}
	for i := range 109 {
		if !add(le.Uint32(h[76+4*i:])) {
			break
		}
	}
	difat := le.Uint32(h[68:])
	buf := make([]byte, f.sectorSize)
	seen := map[uint32]bool{}
	for difat < maxRegSect && uint32(len(fatSectors)) < want {
		if seen[difat] {
			f.Damaged = true
			break
		}
		seen[difat] = true
		if err := f.readSector(difat, buf); err != nil {
			f.Damaged = true
			break
		}
		for i := uint32(0); i < perSector-1; i++ {
			if !add(le.Uint32(buf[4*i:])) {
				break
			}
		}
		difat = le.Uint32(buf[f.sectorSize-4:])
	}
	f.fat = make([]uint32, 0, min(uint64(len(fatSectors))*uint64(perSector), uint64(f.nSectors)+uint64(perSector)))
	for _, s := range fatSectors {
		if err := f.readSector(s, buf); err != nil {
			f.Damaged = true
			// Keep the indexes of later sectors right.
			for range perSector {
				f.fat = append(f.fat, freeSect)
			}
			continue
		}
		for i := range perSector {
			f.fat = append(f.fat, le.Uint32(buf[4*i:]))
		}
	}
	if len(f.fat) == 0 {
		return fmt.Errorf("cfb fat: no readable sector: %w", ErrTruncated)
	}
	return nil
}

// chain follows the FAT (or mini FAT) from start and returns at most max
// sector numbers. A revisited sector is ErrLoop; a free or unknown sector
// is ErrTruncated. The visited set is a bitmap sized by the table, so the
// memory is bounded by the file's size.
func chain(table []uint32, start uint32, max int64) ([]uint32, error) {
	var out []uint32
	// Short chains (most streams) use a map; long ones a bitmap over the
	// table, which the file's size bounds.
	var (
		bits  []uint64
		small map[uint32]bool
	)
	if max <= 256 {
		small = make(map[uint32]bool, max)
	} else {
		bits = make([]uint64, (len(table)+63)/64)
	}
	s := start
	for int64(len(out)) < max {
		if s == endOfChain {
			return out, nil
		}
		if s >= uint32(len(table)) {
			return out, fmt.Errorf("chain at sector %d: %w", s, ErrTruncated)
		}
		if small != nil {
			if small[s] {
				return out, fmt.Errorf("chain revisits sector %d: %w", s, ErrLoop)
			}
			small[s] = true
		} else {
			if bits[s/64]&(1<<(s%64)) != 0 {
				return out, fmt.Errorf("chain revisits sector %d: %w", s, ErrLoop)
			}
			bits[s/64] |= 1 << (s % 64)
		}
		out = append(out, s)
		s = table[s]
	}
	return out, nil
}

func (f *File) readDirectory(start uint32) error {
	perSector := f.sectorSize / dirEntrySize
	maxSectors := int64(f.limits.MaxEntries)/perSector + 1
	secs, err := chain(f.fat, start, maxSectors)
	if err != nil {
		f.Damaged = true
	}
	if len(secs) == 0 {
		if err == nil {
			err = ErrTruncated
		}
		return fmt.Errorf("cfb directory: %w", err)
	}
	buf := make([]byte, f.sectorSize)
	for _, s := range secs {
		if err := f.readSector(s, buf); err != nil {
			f.Damaged = true
			if len(f.entries) == 0 {
				return fmt.Errorf("cfb directory: %w", err)
			}
			break
		}
		for i := range perSector {
			if len(f.entries) >= f.limits.MaxEntries {
				break
			}
			f.entries = append(f.entries, f.parseEntry(len(f.entries), buf[i*dirEntrySize:(i+1)*dirEntrySize]))
		}
	}
	root := f.entries[0]
	if root.Type != TypeRoot {
		// Some writers leave the type unset; the first entry is the root
		// by definition.
		root.Type = TypeRoot
	}
	return nil
}

func (f *File) parseEntry(id int, b []byte) *Entry {
	le := binary.LittleEndian
	nameLen := int(le.Uint16(b[64:]))
	if nameLen > 64 {
		nameLen = 64
	}
	u := make([]uint16, 0, nameLen/2)
	for i := 0; i+1 < nameLen; i += 2 {
		c := le.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	e := &Entry{
		ID:       id,
		Name:     strings.ToValidUTF8(string(utf16.Decode(u)), "\uFFFD"),
		Type:     EntryType(b[66]),
		left:     le.Uint32(b[68:]),
		right:    le.Uint32(b[72:]),
		child:    le.Uint32(b[76:]),
		Created:  FileTime(le.Uint64(b[100:])),
		Modified: FileTime(le.Uint64(b[108:])),
		start:    le.Uint32(b[116:]),
	}
	copy(e.CLSID[:], b[80:96])
	size := le.Uint64(b[120:])
	if f.Major == 3 {
		size &= 0xffffffff // the high half is undefined in version 3
	}
	if size > 1<<62 {
		size = 1 << 62
	}
	e.Size = int64(size)
	switch e.Type {
	case TypeStorage, TypeStream, TypeRoot:
	default:
		e.Type = TypeUnknown
	}
	return e
}

func (f *File) readMiniFAT(start, count uint32) {
	if start >= maxRegSect {
		return
	}
	perSector := uint32(f.sectorSize / 4)
	// The mini FAT never needs more entries than the mini stream has
	// mini sectors, which fit in the file.
	maxSecs := int64(f.nSectors)*f.sectorSize/f.miniSize/int64(perSector) + 1
	secs, err := chain(f.fat, start, min(int64(count), maxSecs))
	if err != nil {
		f.Damaged = true
	}
	buf := make([]byte, f.sectorSize)
	le := binary.LittleEndian
	for _, s := range secs {
		if err := f.readSector(s, buf); err != nil {
			f.Damaged = true
			break
		}
		for i := range perSector {
			f.miniFAT = append(f.miniFAT, le.Uint32(buf[4*i:]))
		}
	}
}

// Entries returns every directory entry, indexed by ID. Unused slots have
// TypeUnknown.
func (f *File) Entries() []*Entry { return f.entries }

// Root returns the root storage.
func (f *File) Root() *Entry { return f.entries[0] }

// Children returns the entries of storage e in directory-tree order. A
// cyclic or out-of-range tree is cut where it goes wrong and reported as
// ErrLoop or ErrTruncated along with the children found.
func (f *File) Children(e *Entry) ([]*Entry, error) {
	if !e.IsStorage() {
		return nil, nil
	}
	var out []*Entry
	var firstErr error
	seen := make([]bool, len(f.entries))
	seen[e.ID] = true
	// An explicit stack: a degenerate tree of 65536 right siblings must
	// not recurse 65536 deep.
	type item struct {
		id      uint32
		visited bool
	}
	stack := []item{{id: e.child}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.id == noStream {
			continue
		}
		if it.id >= uint32(len(f.entries)) {
			if firstErr == nil {
				firstErr = fmt.Errorf("directory entry %d of %d: %w", it.id, len(f.entries), ErrTruncated)
			}
			continue
		}
		c := f.entries[it.id]
		if it.visited {
			out = append(out, c)
			continue
		}
		if seen[it.id] {
			if firstErr == nil {
				firstErr = fmt.Errorf("directory entry %d revisited: %w", it.id, ErrLoop)
			}
			continue
		}
		seen[it.id] = true
		stack = append(stack, item{id: c.right}, item{id: it.id, visited: true}, item{id: c.left})
	}
	return out, firstErr
}

// Child returns the child of storage e called name, compared without
// regard to case as the format does.
func (f *File) Child(e *Entry, name string) (*Entry, bool) {
	kids, _ := f.Children(e)
	for _, c := range kids {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return nil, false
}

// Find returns the entry at the path of names below the root.
func (f *File) Find(names ...string) (*Entry, bool) {
	e := f.Root()
	for _, n := range names {
		c, ok := f.Child(e, n)
		if !ok {
			return nil, false
		}
		e = c
	}
	return e, true
}

// Stream returns a reader of stream e. Reading past a broken chain
// returns ErrTruncated or ErrLoop after the bytes that could be read.
func (f *File) Stream(e *Entry) (*Stream, error) {
	if e.Type != TypeStream {
		return nil, fmt.Errorf("cfb %q: not a stream", e.Name)
	}
	if e.Size < f.miniCutoff {
		return f.miniStream(e.start, e.Size)
	}
	return f.chainStream(e.start, e.Size)
}

// ReadStream reads stream e into memory, up to Limits.MaxStream bytes; a
// larger stream is ErrTooLarge.
func (f *File) ReadStream(e *Entry) ([]byte, error) {
	if e.Size > f.limits.MaxStream {
		return nil, fmt.Errorf("cfb %q: %d bytes: %w", e.Name, e.Size, ErrTooLarge)
	}
	s, err := f.Stream(e)
	if err != nil {
		return nil, err
	}
	b := make([]byte, s.Available())
	n, err := s.ReadAt(b, 0)
	if err == io.EOF {
		err = nil
	}
	if err == nil && int64(n) < s.Size() {
		err = s.chainErr
		if err == nil {
			err = ErrTruncated
		}
		err = fmt.Errorf("cfb %q: %d of %d bytes: %w", e.Name, n, s.Size(), err)
	}
	return b[:n], err
}

// ReadPath reads the stream at the path of names below the root.
func (f *File) ReadPath(names ...string) ([]byte, error) {
	e, ok := f.Find(names...)
	if !ok {
		return nil, fmt.Errorf("cfb %s: %w", strings.Join(names, "/"), errNotFound)
	}
	return f.ReadStream(e)
}

var errNotFound = errors.New("no such stream")

// IsNotFound reports whether err is ReadPath's error for a missing stream.
func IsNotFound(err error) bool { return errors.Is(err, errNotFound) }

func (f *File) chainStream(start uint32, size int64) (*Stream, error) {
	need := (size + f.sectorSize - 1) / f.sectorSize
	secs, err := chain(f.fat, start, need)
	if err != nil && len(secs) == 0 && size > 0 {
		return nil, fmt.Errorf("cfb stream: %w", err)
	}
	s := &Stream{f: f, secs: secs, secSize: f.sectorSize, size: size, chainErr: err}
	if err == nil && int64(len(secs)) < need {
		s.chainErr = fmt.Errorf("chain of %d sectors for %d bytes: %w", len(secs), size, ErrTruncated)
	}
	return s, nil
}

func (f *File) miniStream(start uint32, size int64) (*Stream, error) {
	if size == 0 {
		return &Stream{f: f, secSize: f.miniSize}, nil
	}
	if f.mini == nil {
		return nil, fmt.Errorf("cfb mini stream absent: %w", ErrTruncated)
	}
	need := (size + f.miniSize - 1) / f.miniSize
	secs, err := chain(f.miniFAT, start, need)
	if err != nil && len(secs) == 0 {
		return nil, fmt.Errorf("cfb mini stream: %w", err)
	}
	s := &Stream{f: f, secs: secs, secSize: f.miniSize, size: size, chainErr: err, in: f.mini}
	if err == nil && int64(len(secs)) < need {
		s.chainErr = fmt.Errorf("mini chain of %d sectors for %d bytes: %w", len(secs), size, ErrTruncated)
	}
	return s, nil
}

// Stream reads one stream by following its sector chain. It implements
// io.Reader and io.ReaderAt.
type Stream struct {
	f        *File
	in       *Stream // the mini stream container, nil for a regular stream
	secs     []uint32
	secSize  int64
	size     int64
	off      int64
	chainErr error
}

// Size is the declared size of the stream.
func (s *Stream) Size() int64 { return s.size }

// Available is how many bytes the stream's chain can hold, at most Size:
// a hostile size field on a short chain must not make a caller allocate
// the declared size.
func (s *Stream) Available() int64 { return min(s.size, int64(len(s.secs))*s.secSize) }

// ReadAt implements io.ReaderAt.
func (s *Stream) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("cfb stream: negative offset")
	}
	if off >= s.size {
		return 0, io.EOF
	}
	if rem := s.size - off; int64(len(p)) > rem {
		p = p[:rem]
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		idx := pos / s.secSize
		if idx >= int64(len(s.secs)) {
			err := s.chainErr
			if err == nil {
				err = ErrTruncated
			}
			return n, fmt.Errorf("cfb stream at %d: %w", pos, err)
		}
		within := pos % s.secSize
		want := min(int64(len(p)-n), s.secSize-within)
		var (
			m   int
			err error
		)
		if s.in != nil {
			m, err = s.in.ReadAt(p[n:n+int(want)], int64(s.secs[idx])*s.secSize+within)
		} else {
			sec := s.secs[idx]
			if sec >= s.f.nSectors {
				return n, fmt.Errorf("cfb stream: sector %d: %w", sec, ErrTruncated)
			}
			m, err = s.f.r.ReadAt(p[n:n+int(want)], s.f.sectorOffset(sec)+within)
		}
		n += m
		if int64(m) < want {
			if err == nil || errors.Is(err, io.EOF) {
				err = ErrTruncated
			}
			return n, fmt.Errorf("cfb stream at %d: %w", off+int64(n), err)
		}
	}
	if off+int64(n) >= s.size {
		return n, io.EOF
	}
	return n, nil
}

// Read implements io.Reader.
func (s *Stream) Read(p []byte) (int, error) {
	if s.off >= s.size {
		return 0, io.EOF
	}
	n, err := s.ReadAt(p, s.off)
	s.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// FileTime converts a Windows FILETIME (100-ns intervals since 1601-01-01
// UTC) to a time. Zero and implausible values (before 1970 or after 2200,
// which only damaged or unset fields hold) are the zero time.
func FileTime(ft uint64) time.Time {
	if ft == 0 {
		return time.Time{}
	}
	const epochDiff = 116444736000000000 // 1601 to 1970 in 100 ns
	if ft < epochDiff {
		return time.Time{}
	}
	d := ft - epochDiff
	sec := int64(d / 1e7)
	if sec > 7258118400 { // 2200-01-01
		return time.Time{}
	}
	return time.Unix(sec, int64(d%1e7)*100).UTC()
}
