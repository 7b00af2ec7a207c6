package ocr

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/tool"
)

// TestDetach checks that an embedded OCR context outlives its parent's
// deadline but not its cancellation.
func TestDetach(t *testing.T) {
	tests := []struct {
		name    string
		end     func() (context.Context, context.CancelFunc)
		wantErr error // of the detached context once the parent has ended
	}{
		{name: "parent deadline passed", end: func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
		}},
		{name: "parent cancelled", end: func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx, cancel
		}, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancelParent := tt.end()
			defer cancelParent()
			<-parent.Done()
			ctx, cancel := Detach(parent, time.Hour)
			defer cancel()
			if tt.wantErr != nil {
				<-ctx.Done()
			}
			if err := ctx.Err(); !errors.Is(err, tt.wantErr) {
				t.Errorf("detached Err = %v, want %v", err, tt.wantErr)
			}
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) < 30*time.Minute {
				t.Errorf("deadline %v, want about an hour from now", dl)
			}
		})
	}
}

func TestIsTimeout(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "tool timeout", err: fmt.Errorf("ocr eng psm 6: %w", fmt.Errorf("tesseract: %w after 1s", tool.ErrTimeout)), want: true},
		{name: "deadline", err: fmt.Errorf("ocr: %w", context.DeadlineExceeded), want: true},
		{name: "cancel", err: context.Canceled},
		{name: "memory", err: tool.ErrMemory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTimeout(tt.err); got != tt.want {
				t.Errorf("IsTimeout(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
