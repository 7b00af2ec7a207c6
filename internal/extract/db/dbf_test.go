package db

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// dbfCol is one field of a generated table.
type dbfCol struct {
	name string
	typ  byte
	size int
}

// writeDBF lays out a dBase III table: header, descriptors, 0x0D, then
// fixed-width records (first byte ' ' or '*' for deleted), then 0x1A.
// Cells are raw bytes, padded with spaces.
func writeDBF(cols []dbfCol, rows [][]string, deleted map[int]bool, driver byte) []byte {
	rsize := 1
	for _, c := range cols {
		rsize += c.size
	}
	hsize := 32 + 32*len(cols) + 1
	h := make([]byte, 32)
	h[0], h[1], h[2], h[3] = 0x03, 124, 5, 17
	binary.LittleEndian.PutUint32(h[4:], uint32(len(rows)))
	binary.LittleEndian.PutUint16(h[8:], uint16(hsize))
	binary.LittleEndian.PutUint16(h[10:], uint16(rsize))
	h[29] = driver
	for _, c := range cols {
		d := make([]byte, 32)
		copy(d, c.name)
		d[11], d[16] = c.typ, byte(c.size)
		h = append(h, d...)
	}
	h = append(h, 0x0D)
	for i, r := range rows {
		flag := byte(' ')
		if deleted[i] {
			flag = '*'
		}
		h = append(h, flag)
		for j, c := range cols {
			v := []byte(r[j])
			cell := []byte(strings.Repeat(" ", c.size))
			copy(cell, v)
			h = append(h, cell...)
		}
	}
	return append(h, 0x1A)
}

var dbfFixtures = []struct {
	name    string
	cols    []dbfCol
	rows    [][]string
	deleted map[int]bool
	driver  byte
}{
	{name: "customers", cols: []dbfCol{{"ID", 'N', 4}, {"NAME", 'C', 20}, {"CITY", 'C', 12}}, rows: [][]string{
		{"1", "Acme Telecom", "Aarhus"}, {"2", "Nordhavn Shipping", "Gdansk"}, {"3", "Old Partner", "Kiel"},
	}, deleted: map[int]bool{2: true}},
	{name: "cp1252", cols: []dbfCol{{"NAME", 'C', 16}}, rows: [][]string{{"K\xf8benhavn caf\xe9"}}, driver: 0x57},
	{name: "cp866", cols: []dbfCol{{"NAME", 'C', 8}}, rows: [][]string{{"\x8c\xae\xe1\xaa\xa2\xa0"}}, driver: 0x26},
}

func TestDBF(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range dbfFixtures {
		t.Run(fx.name, func(t *testing.T) {
			p := filepath.Join(dir, fx.name+".dbf")
			if err := os.WriteFile(p, writeDBF(fx.cols, fx.rows, fx.deleted, fx.driver), 0o600); err != nil {
				t.Fatal(err)
			}
			in := extracttest.NewInput(t, p)
			if in.MIME != sniff.DBF {
				t.Fatalf("sniffed %s, want %s", in.MIME, sniff.DBF)
			}
			r, err := extracttest.Run(t.Context(), DBF{}, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range extracttest.Validate(r) {
				t.Error(v)
			}
			extracttest.Golden(t, filepath.Join("testdata", "golden", "TestDBF", fx.name+".golden"), r.Summary(0).JSON())
		})
	}
}

func TestDBFBounds(t *testing.T) {
	fx := dbfFixtures[0]
	full := writeDBF(fx.cols, fx.rows, nil, 0)
	tests := []struct {
		name     string
		data     []byte
		maxText  int64
		wantFlag string
		wantErr  bool
	}{
		{name: "records cut short", data: full[:len(full)-30], maxText: 1 << 20, wantFlag: "truncated"},
		{name: "text cap", data: full, maxText: 40, wantFlag: "truncated"},
		{name: "fields wider than records", data: func() []byte {
			b := append([]byte(nil), full...)
			binary.LittleEndian.PutUint16(b[10:], 5)
			return b
		}(), maxText: 1 << 20, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t.dbf")
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			in := extracttest.NewInputMIME(t, p, sniff.DBF)
			in.Limits.MaxText = tt.maxText
			r, err := extracttest.Run(t.Context(), DBF{}, in)
			if tt.wantErr != (err != nil) {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantFlag != "" && !r.HasFlag(tt.wantFlag) {
				t.Errorf("flags %v, want %s", r.Flags, tt.wantFlag)
			}
			if int64(len(r.Body())) > tt.maxText {
				t.Errorf("text of %d bytes over the cap %d", len(r.Body()), tt.maxText)
			}
		})
	}
}

func TestConformanceDBF(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, fx := range dbfFixtures {
		p := filepath.Join(dir, fx.name+".dbf")
		if err := os.WriteFile(p, writeDBF(fx.cols, fx.rows, fx.deleted, fx.driver), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	extracttest.Check(t, DBF{}, paths...)
}

func FuzzDBF(f *testing.F) {
	for _, fx := range dbfFixtures {
		f.Add(writeDBF(fx.cols, fx.rows, fx.deleted, fx.driver))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.dbf")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in := extracttest.NewInputMIME(t, p, sniff.DBF)
		in.Limits.MaxText = 1 << 16
		r := &extracttest.Recorder{}
		err := extracttest.RunWith(t.Context(), DBF{}, in, r)
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Fatal(err)
		}
		if !utf8.ValidString(r.Body()) || int64(len(r.Body())) > in.Limits.MaxText {
			t.Fatalf("text of %d bytes, valid UTF-8 %v", len(r.Body()), utf8.ValidString(r.Body()))
		}
	})
}
