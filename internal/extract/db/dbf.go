package db

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// DBF extracts dBase, FoxPro and Clipper tables (.dbf). The file is one
// table, so its rows are the document's text: a header line of field
// names, then one line per record, cells joined by a tab. Records marked
// deleted are kept, since in a leak they are often the interesting ones,
// and counted in the metadata "deleted". Memo fields (kept in a separate
// .dbt/.fpt file) show the block number only. It is stateless and safe for
// concurrent use.
type DBF struct{}

var _ extract.Extractor = DBF{}

// Name implements extract.Extractor.
func (DBF) Name() string { return "dbf" }

// Accepts implements extract.Extractor.
func (DBF) Accepts() []string { return []string{sniff.DBF} }

// dbfField is one field descriptor.
type dbfField struct {
	name string
	typ  byte
	size int
}

// Extract implements extract.Extractor.
func (DBF) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("dbf: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head := make([]byte, 32)
	if _, err := io.ReadFull(br, head); err != nil {
		return fmt.Errorf("dbf %s: header: %w", in.Name, err)
	}
	records := int64(binary.LittleEndian.Uint32(head[4:]))
	hsize := int(binary.LittleEndian.Uint16(head[8:]))
	rsize := int(binary.LittleEndian.Uint16(head[10:]))
	if hsize < 33 || rsize < 1 {
		return fmt.Errorf("dbf %s: header of %d bytes, records of %d: %w", in.Name, hsize, rsize, extract.ErrUnsupported)
	}
	desc := make([]byte, hsize-32)
	if _, err := io.ReadFull(br, desc); err != nil {
		return fmt.Errorf("dbf %s: fields: %w", in.Name, err)
	}
	var fields []dbfField
	sum := 1
	for i := 0; i+32 <= len(desc) && desc[i] != 0x0D; i += 32 {
		d := desc[i : i+32]
		name := strings.TrimRight(string(d[:11]), "\x00 ")
		fields = append(fields, dbfField{name: name, typ: d[11], size: int(d[16])})
		sum += int(d[16])
	}
	if len(fields) == 0 || sum > rsize {
		return fmt.Errorf("dbf %s: %d fields of %d bytes in records of %d: %w", in.Name, len(fields), sum, rsize, extract.ErrUnsupported)
	}
	dec := dbfDecoder(head[29])
	c := text.Cap(out, in.Limits.MaxText)
	line := make([]string, len(fields))
	for i, fd := range fields {
		line[i] = cell(dec(fd.name))
	}
	c.Text(strings.Join(line, "\t") + "\n")
	rec := make([]byte, rsize)
	var n, deleted int64
	for ; n < records && !c.Full(); n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("dbf %s: %w", in.Name, ctx.Err())
		}
		if _, err := io.ReadFull(br, rec); err != nil {
			out.Flag(text.FlagTruncated) // fewer records than the header says
			break
		}
		if rec[0] == 0x1A { // end of file marker
			break
		}
		if rec[0] == '*' {
			deleted++
		}
		at := 1
		for i, fd := range fields {
			v := rec[at : at+fd.size]
			at += fd.size
			line[i] = cell(strings.TrimSpace(dec(string(v))))
		}
		c.Text(strings.Join(line, "\t") + "\n")
	}
	out.Meta("records", strconv.FormatInt(n, 10))
	out.Meta("fields", strconv.Itoa(len(fields)))
	if deleted > 0 {
		out.Meta("deleted", strconv.FormatInt(deleted, 10))
	}
	return nil
}

// dbfDecoder returns the decoder for the language driver byte of the
// header: UTF-8 when the bytes are valid UTF-8, else the driver's code
// page, else Windows-1252, the dBase default on Windows.
func dbfDecoder(driver byte) func(string) string {
	cm := charmap.Windows1252
	switch driver {
	case 0x01:
		cm = charmap.CodePage437
	case 0x02:
		cm = charmap.CodePage850
	case 0x26, 0x65:
		cm = charmap.CodePage866
	case 0xC8:
		cm = charmap.Windows1250
	case 0xC9:
		cm = charmap.Windows1251
	}
	d := cm.NewDecoder()
	return func(s string) string {
		if utf8.ValidString(s) {
			return s
		}
		if out, err := d.String(s); err == nil {
			return out
		}
		return strings.ToValidUTF8(s, "\uFFFD")
	}
}
