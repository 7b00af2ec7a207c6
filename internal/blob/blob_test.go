package blob

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

func TestPut(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content string
		max     int64
		wantErr error
	}{
		{name: "small", content: "hello"},
		{name: "empty", content: ""},
		{name: "same again", content: "hello"},
		{name: "too large", content: "0123456789", max: 4, wantErr: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, n, err := s.Put(strings.NewReader(tt.content), tt.max)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if want := leak.Hash([]byte(tt.content)); id != want || n != int64(len(tt.content)) {
				t.Fatalf("got %s %d, want %s %d", id, n, want, len(tt.content))
			}
			got, err := os.ReadFile(s.Path(id))
			if err != nil || !bytes.Equal(got, []byte(tt.content)) {
				t.Fatalf("stored %q, %v", got, err)
			}
		})
	}
	left, _ := os.ReadDir(s.TempDir())
	if len(left) != 0 {
		t.Fatalf("temp files left: %d", len(left))
	}
}
