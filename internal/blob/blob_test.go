package blob

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"syscall"
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

// TestQuota checks that a write past the quota fails as a full disk does,
// as a *WriteError that wraps ENOSPC, leaves no partial blob, and that
// lifting the quota lets the same content be stored.
func TestQuota(t *testing.T) {
	tests := []struct {
		name    string
		quota   int64
		content string
		wantErr bool
	}{
		{name: "under", quota: 100, content: "Acme Telecom"},
		{name: "exactly", quota: 12, content: "Acme Telecom"},
		{name: "over", quota: 5, content: "Acme Telecom", wantErr: true},
		{name: "off", quota: 0, content: "Acme Telecom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			s.SetQuota(tt.quota)
			id, _, err := s.Put(strings.NewReader(tt.content), 0)
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if !IsWriteError(err) || !errors.Is(err, syscall.ENOSPC) {
					t.Errorf("err = %v, want a *WriteError wrapping ENOSPC", err)
				}
				if left, _ := os.ReadDir(s.TempDir()); len(left) != 0 {
					t.Errorf("partial blob left: %d files", len(left))
				}
				if s.Has(leak.Hash([]byte(tt.content))) {
					t.Error("blob stored despite the failure")
				}
				return
			}
			if !s.Has(id) {
				t.Errorf("blob %s missing", id)
			}
		})
	}
}
