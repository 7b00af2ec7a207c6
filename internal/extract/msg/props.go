package msg

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/charset"
	"github.com/leakscope/leakscope/internal/ole"
)

// MAPI property types (MS-OXCDATA 2.11.1) found in .msg files.
const (
	typeInt16   = 0x0002
	typeInt32   = 0x0003
	typeBool    = 0x000b
	typeObject  = 0x000d
	typeInt64   = 0x0014
	typeString8 = 0x001e
	typeUnicode = 0x001f
	typeTime    = 0x0040
	typeBinary  = 0x0102
)

// MAPI property identifiers read here (MS-OXPROPS).
const (
	pidMessageClass      = 0x001a
	pidSubject           = 0x0037
	pidClientSubmitTime  = 0x0039
	pidSentReprName      = 0x0042
	pidSentReprEmail     = 0x0065
	pidTransportHeaders  = 0x007d
	pidRecipientType     = 0x0c15
	pidSenderName        = 0x0c1a
	pidSenderEmail       = 0x0c1f
	pidDisplayBcc        = 0x0e02
	pidDisplayCc         = 0x0e03
	pidDisplayTo         = 0x0e04
	pidDeliveryTime      = 0x0e06
	pidBody              = 0x1000
	pidRTFCompressed     = 0x1009
	pidBodyHTML          = 0x1013
	pidInternetMessageID = 0x1035
	pidDisplayName       = 0x3001
	pidEmailAddress      = 0x3003
	pidCreationTime      = 0x3007
	pidAttachData        = 0x3701
	pidAttachFilename    = 0x3704
	pidAttachMethod      = 0x3705
	pidAttachLongName    = 0x3707
	pidAttachMIMETag     = 0x370e
	pidSMTPAddress       = 0x39fe
	pidInternetCodepage  = 0x3fde
	pidMessageCodepage   = 0x3ffd
	pidSenderSMTPAddress = 0x5d01
)

// maxString caps one string property read into memory; bodies larger than
// this are cut (and the pipeline caps text anyway).
const maxString = 64 << 20

// node is one storage of a message: the message itself, a recipient, an
// attachment, or an embedded message.
type node struct {
	f     *ole.File
	e     *ole.Entry
	kids  map[string]*ole.Entry // upper-cased name -> entry
	fixed map[uint32][8]byte    // property tag -> inline value
	cp    int                   // code page of 8-bit strings
	errs  []error
}

// openNode indexes storage e. headerLen is the length of the header of
// its __properties_version1.0 stream: 32 for the top message, 24 for an
// embedded message, 8 for recipients and attachments.
func openNode(f *ole.File, e *ole.Entry, headerLen int, cp int) *node {
	n := &node{f: f, e: e, kids: map[string]*ole.Entry{}, fixed: map[uint32][8]byte{}, cp: cp}
	kids, err := f.Children(e)
	if err != nil {
		n.errs = append(n.errs, err)
	}
	for _, k := range kids {
		n.kids[strings.ToUpper(k.Name)] = k
	}
	if pe, ok := n.kids["__PROPERTIES_VERSION1.0"]; ok {
		b, err := f.ReadStream(pe)
		if err != nil {
			n.errs = append(n.errs, fmt.Errorf("properties: %w", err))
		}
		for off := headerLen; off+16 <= len(b); off += 16 {
			var v [8]byte
			copy(v[:], b[off+8:off+16])
			n.fixed[binary.LittleEndian.Uint32(b[off:])] = v
		}
	}
	if c := n.int(pidMessageCodepage); c > 0 {
		n.cp = int(c)
	} else if c := n.int(pidInternetCodepage); c > 0 && n.cp == 0 {
		n.cp = int(c)
	}
	return n
}

// substg returns the stream holding property id of type typ.
func (n *node) substg(id, typ uint16) (*ole.Entry, bool) {
	e, ok := n.kids[fmt.Sprintf("__SUBSTG1.0_%04X%04X", id, typ)]
	return e, ok
}

// bytes reads a stream property, capped at maxString.
func (n *node) bytes(id, typ uint16) ([]byte, bool) {
	e, ok := n.substg(id, typ)
	if !ok || e.Type != ole.TypeStream {
		return nil, false
	}
	s, err := n.f.Stream(e)
	if err != nil {
		n.errs = append(n.errs, err)
		return nil, false
	}
	b := make([]byte, min(s.Available(), maxString))
	m, err := s.ReadAt(b, 0)
	if err != nil && m < len(b) {
		n.errs = append(n.errs, fmt.Errorf("property %04X: %w", id, err))
	}
	return b[:m], true
}

// str returns string property id, from its Unicode or 8-bit stream.
func (n *node) str(id uint16) string {
	if b, ok := n.bytes(id, typeUnicode); ok {
		return ole.DecodeUTF16(b)
	}
	if b, ok := n.bytes(id, typeString8); ok {
		return decode8(b, n.cp)
	}
	return ""
}

// decode8 decodes an 8-bit string in code page cp; without a code page
// the bytes are detected (GBK, Big5 ... are common in leaked mail).
func decode8(b []byte, cp int) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	if cp == 0 && !utf8.Valid(b) {
		if s, _, err := charset.Decode(b); err == nil {
			return strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	return ole.DecodeCodePage(b, cp)
}

// int returns the inline integer property id, 0 when absent.
func (n *node) int(id uint16) int64 {
	for _, t := range []uint16{typeInt32, typeInt16, typeInt64, typeBool} {
		if v, ok := n.fixed[uint32(id)<<16|uint32(t)]; ok {
			switch t {
			case typeInt16, typeBool:
				return int64(int16(binary.LittleEndian.Uint16(v[:])))
			case typeInt32:
				return int64(int32(binary.LittleEndian.Uint32(v[:])))
			default:
				return int64(binary.LittleEndian.Uint64(v[:]))
			}
		}
	}
	return 0
}

// time returns the inline time property id, zero when absent.
func (n *node) time(id uint16) time.Time {
	v, ok := n.fixed[uint32(id)<<16|typeTime]
	if !ok {
		return time.Time{}
	}
	return ole.FileTime(binary.LittleEndian.Uint64(v[:]))
}

// storages lists the child storages whose names start with prefix, in
// directory order.
func (n *node) storages(prefix string) []*ole.Entry {
	kids, _ := n.f.Children(n.e)
	var out []*ole.Entry
	for _, k := range kids {
		if k.IsStorage() && strings.HasPrefix(strings.ToUpper(k.Name), prefix) {
			out = append(out, k)
		}
	}
	return out
}
