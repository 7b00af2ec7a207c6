package archive

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
)

// TestEncryptedReported checks how archives needing a password are
// reported: an archive whose directory is encrypted fails with
// extract.ErrEncrypted (the pipeline's "encrypted" status); a member
// that is encrypted is handed over as a Skip child with its reason, so
// that it is listed among the errors, and the other members are read.
// The 7z fixtures were made once with p7zip (password "Passw0rd",
// -mhe=on for the headers; a plain member appended to the second).
func TestEncryptedReported(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name          string
		file          string
		data          []byte
		e             extract.Extractor
		wantEncrypted bool // the error wraps extract.ErrEncrypted
		partial       bool // damaged: only names, skips and child flags compared
		want          result
	}{
		{name: "zip encrypted member", file: "m.zip", e: Zip{},
			data: makeZip(t, zipEntry{name: "secret.txt", body: "garbage", flags: 0x1}, zipEntry{name: "open.txt", body: "o"}),
			want: result{Names: []string{"secret.txt", "open.txt"}, Flags: []string{FlagEncrypted}, Bodies: map[string]string{"open.txt": "o"},
				ChildFlags: map[string][]string{"secret.txt": {FlagEncrypted}}, Skips: map[string]string{"secret.txt": skipReasonEncrypted}}},
		{name: "zip salvaged encrypted member", file: "s.zip", e: Zip{},
			data: func() []byte {
				b := makeZip(t, zipEntry{name: "secret.txt", body: "garbage", flags: 0x1}, zipEntry{name: "open.txt", body: "o"})
				return b[:len(b)-10] // no end of central directory: salvaged from local headers
			}(),
			partial: true,
			want: result{Names: []string{"secret.txt", "open.txt"},
				ChildFlags: map[string][]string{"secret.txt": {FlagEncrypted}}, Skips: map[string]string{"secret.txt": skipReasonEncrypted}}},
		{name: "7z encrypted headers", file: "h.7z", e: SevenZip{}, data: read("encrypted-headers.7z"), wantEncrypted: true,
			want: result{Flags: []string{FlagEncrypted}}},
		{name: "7z encrypted member", file: "m.7z", e: SevenZip{}, data: read("encrypted-member.7z"),
			want: result{Names: []string{"open.txt", "secret.txt"}, Flags: []string{FlagEncrypted}, Bodies: map[string]string{"open.txt": "open\n"},
				ChildFlags: map[string][]string{"secret.txt": {FlagEncrypted}}, Skips: map[string]string{"secret.txt": skipReasonEncrypted}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := extracttest.Run(t.Context(), tt.e, extracttest.NewInput(t, write(t, tt.file, tt.data)))
			if got := errors.Is(err, extract.ErrEncrypted); got != tt.wantEncrypted {
				t.Errorf("err %v; wraps ErrEncrypted = %v, want %v", err, got, tt.wantEncrypted)
			}
			got := summarize(r)
			if tt.partial {
				got.Flags, got.Bodies = nil, nil
			}
			if !r.HasFlag(FlagEncrypted) {
				t.Errorf("flags %v, want %s", r.Flags, FlagEncrypted)
			}
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, b := range extracttest.Validate(r) {
				t.Error(b)
			}
		})
	}
}
