package archive

import "io"

// peekReader reads the first block of its reader ahead of time, so that an
// error at the very start (a wrong password, an unsupported method) is
// known before the member is handed over.
type peekReader struct {
	r    io.Reader
	buf  []byte
	err  error
	done bool
}

func (p *peekReader) peek() error {
	if p.done {
		return p.err
	}
	p.done = true
	b := make([]byte, 4096)
	n, err := io.ReadFull(p.r, b)
	p.buf = b[:n]
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = io.EOF
	}
	p.err = err
	if err == io.EOF {
		return nil
	}
	return err
}

func (p *peekReader) Read(b []byte) (int, error) {
	if !p.done {
		if err := p.peek(); err != nil && len(p.buf) == 0 {
			return 0, err
		}
	}
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.r.Read(b)
}
