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
// says. MBOX sets it as extract.Child.Sep on every message it hands over.
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
		ch := extract.Child{Name: strconv.Itoa(n), R: io.LimitReader(spool, size), Size: size, Sep: MessageSep}
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
	// Messages are handed over in RFC 5322 canonical form: line ends CRLF
	// (mbox stores LF), ">From " unquoted, and without the blank line that
	// separates a message from the next "From " line. So a message found
	// both as an .eml and inside a mail box is one document.
	blanks := 0
	put := func(line []byte) {
		if size+int64(len(line))+1 > maxMsg {
			over = true
			return
		}
		if bytes.HasSuffix(line, []byte("\n")) && !bytes.HasSuffix(line, []byte("\r\n")) {
			w.Write(line[:len(line)-1])
			w.WriteString("\r\n")
			size += int64(len(line)) + 1
			return
		}
		w.Write(line)
		size += int64(len(line))
	}
	endMessage := func() {
		// The last blank line is the mbox separator, not message content.
		for ; blanks > 1; blanks-- {
			put([]byte("\n"))
		}
		blanks = 0
	}
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
				endMessage()
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
			if !long && (string(line) == "\n" || string(line) == "\r\n") {
				blanks++
			} else {
				for ; blanks > 0; blanks-- {
					put([]byte("\n"))
				}
				put(line)
			}
		}
		for long {
			// Continuation of a line longer than the buffer: no unquoting.
			line, rerr = br.ReadSlice('\n')
			long = rerr == bufio.ErrBufferFull
			put(line)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("mbox: %w", rerr)
		}
	}
	endMessage()
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
