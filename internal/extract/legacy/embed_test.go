package legacy

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/ole/oletest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// ole10Native writes an OLE 1.0 package of a file: what Word stores when a
// file is dragged into a document.
func ole10Native(label, src string, data []byte) []byte {
	var b []byte
	b = append(b, 2, 0)
	b = append(b, label+"\x00"...)
	b = append(b, src+"\x00"...)
	b = append(b, 0, 0, 3, 0)
	tmp := `C:\Temp\` + label + "\x00"
	b = binary.LittleEndian.AppendUint32(b, uint32(len(tmp)))
	b = append(b, tmp...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(b))), b...)
}

// TestEmbedded: files embedded in Word, Excel and object containers are
// children; catdoc and xls2csv never showed them.
func TestEmbedded(t *testing.T) {
	pdf := []byte("%PDF-1.4 Nordhavn Shipping manifest")
	tests := []struct {
		name    string
		mime    string
		streams []oletest.Stream
		want    map[string]string
	}{
		{name: "word object pool", mime: sniff.DOC, streams: []oletest.Stream{
			{Path: "WordDocument", Data: make([]byte, 64)},
			{Path: "ObjectPool/_1234/\x01Ole10Native", Data: ole10Native("notes.txt", `C:\Users\Acme\notes.txt`, []byte("Acme Telecom payroll"))},
			{Path: "ObjectPool/_5678/CONTENTS", Data: pdf},
		}, want: map[string]string{"_1234/notes.txt": "Acme Telecom payroll", "_5678/CONTENTS": string(pdf)}},
		{name: "excel mbd", mime: sniff.XLS, streams: []oletest.Stream{
			{Path: "Workbook", Data: make([]byte, 64)},
			{Path: "MBD0001A2B3/Package", Data: []byte("PK\x03\x04 docx bytes")},
		}, want: map[string]string{"MBD0001A2B3/Package": "PK\x03\x04 docx bytes"}},
		{name: "object container", mime: sniff.OLE, streams: []oletest.Stream{
			{Path: "\x01Ole10Native", Data: ole10Native("a", `..\..\evil.sh`, []byte("echo"))},
		}, want: map[string]string{"evil.sh": "echo"}},
		{name: "damaged package", mime: sniff.OLE, streams: []oletest.Stream{
			{Path: "\x01Ole10Native", Data: []byte{9, 0, 0, 0, 2, 0, 'x'}},
		}, want: map[string]string{}},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, oletest.Build(tt.streams, oletest.Options{}), 0o600); err != nil {
				t.Fatal(err)
			}
			objs, err := embeddedObjects(p)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, o := range objs {
				got[o.name] = string(o.data)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("embedded (-want +got):\n%s", d)
			}
			in := extracttest.NewInputMIME(t, p, tt.mime)
			in.TempDir = t.TempDir()
			r, _ := extracttest.Run(t.Context(), Extractor{}, in)
			if len(r.Children) != len(tt.want) {
				t.Errorf("%d children, want %d", len(r.Children), len(tt.want))
			}
			for _, v := range extracttest.Validate(r) {
				t.Error(v)
			}
		})
	}
}

func FuzzOle10Native(f *testing.F) {
	f.Add(ole10Native("a.txt", `C:\a.txt`, []byte("x")))
	f.Add([]byte{0, 0, 0, 0, 2, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		name, data, ok := parseOle10Native(b)
		if !ok {
			return
		}
		if name == "" || len(data) > len(b) {
			t.Fatalf("name %q, %d bytes of %d", name, len(data), len(b))
		}
	})
}
