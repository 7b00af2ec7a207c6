package legacy

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/ole"
	"github.com/leakscope/leakscope/internal/ole/oletest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// currentUser is a CurrentUserAtom: record header, size 0x14, and the
// header token that says whether the presentation is encrypted.
func currentUser(encrypted bool) []byte {
	b := make([]byte, 8, 32)
	binary.LittleEndian.PutUint16(b[2:], 0x0ff6)
	binary.LittleEndian.PutUint32(b[4:], 24)
	b = binary.LittleEndian.AppendUint32(b, 0x14)
	token := uint32(0xe391c05f)
	if encrypted {
		token = 0xf3d1c4df
	}
	b = binary.LittleEndian.AppendUint32(b, token)
	return append(b, make([]byte, 16)...)
}

// wordFIB is the start of a WordDocument stream with fEncrypted set.
func wordFIB(encrypted bool) []byte {
	b := make([]byte, 64)
	binary.LittleEndian.PutUint16(b, 0xa5ec)
	binary.LittleEndian.PutUint16(b[2:], 0xc1)
	if encrypted {
		binary.LittleEndian.PutUint16(b[10:], 0x0100)
	}
	return b
}

// biffFilePass is a workbook stream whose globals start with FILEPASS.
func biffFilePass() []byte {
	rec := func(typ uint16, body []byte) []byte {
		b := binary.LittleEndian.AppendUint16(nil, typ)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(body)))
		return append(b, body...)
	}
	b := rec(0x0809, make([]byte, 16))
	b = append(b, rec(0x002f, make([]byte, 54))...)
	b = append(b, rec(0x0085, make([]byte, 12))...)
	return append(b, rec(0x000a, nil)...)
}

// TestEncrypted checks that password-protected Word, Excel and
// PowerPoint files are reported with extract.ErrEncrypted (the pipeline's
// "encrypted" status) without running a tool over their ciphertext, and
// that an unprotected file is not.
func TestEncrypted(t *testing.T) {
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i*7 + 3)
	}
	tests := []struct {
		name          string
		mime          string
		streams       []oletest.Stream
		wantEncrypted bool
	}{
		{name: "doc fEncrypted", mime: sniff.DOC, wantEncrypted: true,
			streams: []oletest.Stream{{Path: "WordDocument", Data: wordFIB(true)}, {Path: "1Table", Data: noise}}},
		{name: "xls filepass", mime: sniff.XLS, wantEncrypted: true,
			streams: []oletest.Stream{{Path: "Workbook", Data: biffFilePass()}}},
		{name: "ppt rc4 cryptoapi", mime: sniff.PPT, wantEncrypted: true,
			streams: []oletest.Stream{{Path: "Current User", Data: currentUser(true)}, {Path: "PowerPoint Document", Data: noise},
				{Path: "EncryptedSummary", Data: noise}}},
		{name: "ppt plain", mime: sniff.PPT,
			streams: []oletest.Stream{{Path: "Current User", Data: currentUser(false)}, {Path: "PowerPoint Document", Data: noise}}},
		{name: "doc plain", mime: sniff.DOC,
			streams: []oletest.Stream{{Path: "WordDocument", Data: wordFIB(false)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			data := oletest.Build(tt.streams, oletest.Options{})
			p := filepath.Join(dir, "f")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if got, _ := sniff.File(p, "f"); got != tt.mime {
				t.Fatalf("sniffed %s, want %s", got, tt.mime)
			}
			in := &extract.Input{File: p, Name: "f", MIME: tt.mime, Size: int64(len(data)),
				Limits: leak.DefaultLimits(), Log: slog.New(slog.DiscardHandler), TempDir: dir}
			r, err := extracttest.Run(t.Context(), Extractor{}, in)
			if got := errors.Is(err, extract.ErrEncrypted); got != tt.wantEncrypted {
				t.Errorf("err %v; wraps ErrEncrypted = %v, want %v", err, got, tt.wantEncrypted)
			}
			if got := r.HasFlag(ole.FlagEncrypted); got != tt.wantEncrypted {
				t.Errorf("flags %v; encrypted = %v, want %v", r.Flags, got, tt.wantEncrypted)
			}
		})
	}
}
