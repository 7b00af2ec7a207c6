package mail

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// MessageSep is the separator the pipeline must put between an mbox
// message child ("box.mbox!/2") and the names of that message's own
// members, so that an attachment reads "box.mbox!/2/a.txt" as the contract
// says. It needs a field on extract.Child:
//
//	// Sep joins this child's own members to its path; "" means
//	// leak.ContainerSep ("!/").
//	Sep string
//
// which MBOX would set to MessageSep on every message it hands over.
const MessageSep = "/"

// MBOX reads a Unix mail box: one child per message, named "1", "2", ...
type MBOX struct{}

var _ extract.Extractor = MBOX{}

// Name implements extract.Extractor.
func (MBOX) Name() string { return "mbox" }

// Accepts implements extract.Extractor.
func (MBOX) Accepts() []string { return []string{sniff.MBOX} }

// Extract implements extract.Extractor. Each message is spooled to a file
// in in.TempDir (bounded by Limits.MaxFileSize) so that a large message
// costs no memory.
func (MBOX) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("mbox: %w", err)
	}
	defer f.Close()
	dir := in.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	spool, err := os.CreateTemp(dir, "mbox-msg-")
	if err != nil {
		return fmt.Errorf("mbox: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	maxMsg := in.Limits.MaxFileSize
	if maxMsg <= 0 {
		maxMsg = 1 << 30
	}

	br := bufio.NewReaderSize(f, 64<<10)
	n := 0
	var size int64
	open := false
	over := false
	flush := func() error {
		if !open {
			return nil
		}
		open = false
		n++
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return err
		}
		ch := extract.Child{Name: strconv.Itoa(n), R: io.LimitReader(spool, size), Size: size}
		if over {
			ch.Flags = []string{"truncated"}
		}
		if err := out.Child(ctx, ch); err != nil {
			return err
		}
		if err := spool.Truncate(0); err != nil {
			return err
		}
		_, err := spool.Seek(0, io.SeekStart)
		size, over = 0, false
		return err
	}
	w := bufio.NewWriterSize(spool, 64<<10)
	for lines := 0; ; lines++ {
		if lines&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, rerr := br.ReadSlice('\n')
		long := rerr == bufio.ErrBufferFull
		if len(line) > 0 {
			if bytes.HasPrefix(line, []byte("From ")) {
				if err := w.Flush(); err != nil {
					return fmt.Errorf("mbox: spool: %w", err)
				}
				if err := flush(); err != nil {
					return fmt.Errorf("mbox: message %d: %w", n, err)
				}
				open = true
				// The rest of a long separator line is dropped below.
				for long {
					_, rerr = br.ReadSlice('\n')
					long = rerr == bufio.ErrBufferFull
				}
				if rerr == io.EOF {
					break
				}
				if rerr != nil {
					return fmt.Errorf("mbox: %w", rerr)
				}
				continue
			}
			if !open {
				open = true // text before the first "From " line: a message without one
			}
			if isQuotedFrom(line) {
				line = line[1:]
			}
			if size+int64(len(line)) > maxMsg {
				over = true
			} else {
				w.Write(line)
				size += int64(len(line))
			}
		}
		for long {
			// Continuation of a line longer than the buffer: no unquoting.
			line, rerr = br.ReadSlice('\n')
			long = rerr == bufio.ErrBufferFull
			if size+int64(len(line)) > maxMsg {
				over = true
			} else {
				w.Write(line)
				size += int64(len(line))
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("mbox: %w", rerr)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("mbox: spool: %w", err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("mbox: message %d: %w", n, err)
	}
	out.Meta("messages", strconv.Itoa(n))
	return nil
}

// isQuotedFrom reports a ">From " line (or ">>From " ...), which mboxrd
// and mboxo write for a body line that began with "From ".
func isQuotedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}
