package msg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/ole"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Meta keys and flags written besides the mail extractor's.
const (
	// MetaClass is the Outlook item class: IPM.Note, IPM.Contact ...
	MetaClass = "message-class"
	// FlagCorrupt marks a file whose tables or properties could not be
	// read in full.
	FlagCorrupt = "corrupt"
)

// maxEmbedDepth bounds embedded messages inside embedded messages.
const maxEmbedDepth = 8

// Extractor reads Outlook .msg files. It is stateless and safe for
// concurrent use.
type Extractor struct{}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "msg" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.MSG} }

// Extract implements extract.Extractor.
func (Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("msg %s: %w", in.Name, err)
	}
	fh, err := in.Open()
	if err != nil {
		return fmt.Errorf("msg: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("msg: %w", err)
	}
	f, err := ole.Open(fh, st.Size())
	if err != nil {
		out.Flag(FlagCorrupt)
		return fmt.Errorf("msg %s: %w", in.Name, err)
	}
	maxText := in.Limits.MaxText
	if maxText <= 0 {
		maxText = 32 << 20
	}
	m, err := readMessage(ctx, f, f.Root(), 32, 0, maxText)
	if err != nil {
		return fmt.Errorf("msg %s: %w", in.Name, err)
	}
	c := text.Cap(out, maxText)
	if h := m.header(); h != "" {
		c.Text(h + "\n")
	}
	if m.fields != "" {
		c.Text(m.fields + "\n")
	}
	c.Text(m.body)
	for _, kv := range [][2]string{{"from", m.from}, {"to", m.to}, {"cc", m.cc}, {"bcc", m.bcc},
		{"subject", m.subject}, {"date", m.date}, {"message-id", m.msgID}, {MetaClass, m.class}} {
		if kv[1] != "" {
			out.Meta(kv[0], kv[1])
		}
	}
	if m.smimeEncrypted {
		out.Flag(ole.FlagEncrypted)
	}
	if err := emitAttachments(ctx, in, f, m, out); err != nil {
		return fmt.Errorf("msg %s: %w", in.Name, err)
	}
	if m.corrupt || f.Damaged {
		out.Flag(FlagCorrupt)
	}
	return nil
}

// attachment is one __attach_version1.0_# storage, resolved.
type attachment struct {
	name     string
	data     *ole.Entry // the bytes of a by-value attachment
	embedded *ole.Entry // the storage of an embedded message
	object   bool       // an OLE object storage, not a message
}

func resolveAttachment(f *ole.File, e *ole.Entry, cp, n int) attachment {
	a := openNode(f, e, 8, cp)
	var at attachment
	for _, id := range []uint16{pidAttachLongName, pidAttachFilename, pidDisplayName} {
		if s := clean(a.str(id)); s != "" {
			at.name = s
			break
		}
	}
	if d, ok := a.substg(pidAttachData, typeBinary); ok && d.Type == ole.TypeStream {
		at.data = d
	} else if d, ok := a.substg(pidAttachData, typeObject); ok && d.IsStorage() {
		if _, isMsg := f.Child(d, "__properties_version1.0"); isMsg {
			at.embedded = d
		} else {
			at.object = true
		}
	}
	if at.name == "" {
		at.name = fmt.Sprintf("attachment-%d", n)
	}
	if at.embedded != nil && !strings.EqualFold(path.Ext(at.name), ".eml") {
		at.name += ".eml"
	}
	return at
}

// emitAttachments hands each attachment to the sink: bytes as they are,
// an embedded message rewritten as an RFC 5322 message (so that the mail
// extractor reads it and its own attachments).
func emitAttachments(ctx context.Context, in *extract.Input, f *ole.File, m *message, out extract.Sink) error {
	for i, e := range m.attachments {
		if err := ctx.Err(); err != nil {
			return err
		}
		at := resolveAttachment(f, e, m.n.cp, i+1)
		var err error
		switch {
		case at.data != nil:
			s, serr := f.Stream(at.data)
			if serr != nil {
				m.corrupt = true
				continue
			}
			err = out.Child(ctx, extract.Child{Name: at.name, R: s, Size: s.Size()})
		case at.embedded != nil:
			err = emitEmbedded(ctx, in, f, at, m.n.cp, out)
		case at.object:
			// An embedded OLE object (a Word document pasted into the
			// mail) is a storage, not a file; it is not rebuilt.
			out.Flag("embedded-object")
			continue
		default:
			continue // by reference or empty: nothing to hand over
		}
		if err != nil {
			if extract.IsLimit(err) || ctx.Err() != nil {
				return err
			}
			var pe *os.PathError
			if errors.As(err, &pe) {
				return err
			}
			m.corrupt = true
		}
	}
	return nil
}

func emitEmbedded(ctx context.Context, in *extract.Input, f *ole.File, at attachment, cp int, out extract.Sink) error {
	tmp, err := os.CreateTemp(in.TempDir, "embedded-*.eml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	budget := embedBudget(in)
	w := &capWriter{w: tmp, left: budget}
	if err := writeEML(ctx, w, f, at.embedded, cp, in.Limits.MaxText, 1); err != nil {
		if errors.Is(err, errBudget) {
			return &extract.LimitError{What: "expanded", Limit: budget, Got: budget + 1}
		}
		return err
	}
	if _, err := tmp.Seek(0, 0); err != nil {
		return err
	}
	return out.Child(ctx, extract.Child{Name: at.name, R: tmp, Size: w.n})
}

// embedBudget bounds the size of a rewritten embedded message: attachment
// chains of a hostile file may share sectors, so the sum of their sizes is
// not bounded by the file's size.
func embedBudget(in *extract.Input) int64 {
	b := 4*in.Size + 16<<20
	if mx := in.Limits.MaxFileSize; mx > 0 && b > mx {
		b = mx
	}
	return b
}
