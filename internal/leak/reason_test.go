package leak

import "testing"

func TestReasonText(t *testing.T) {
	tests := []struct {
		name  string
		r     Reason
		want  string
		limit bool
	}{
		{name: "known", r: ReasonEncrypted, want: "password-protected"},
		{name: "limit", r: LimitReason("ratio"), want: "expands past the ratio limit (a bomb?)", limit: true},
		{name: "limit without words", r: LimitReason("frames"), want: "limit frames hit", limit: true},
		{name: "unknown code shows as itself", r: Reason("future-code"), want: "future-code"},
		{name: "not a limit", r: ReasonSymlink, want: "symbolic link, not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Text(); got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
			if tt.r.IsLimit() != tt.limit {
				t.Errorf("IsLimit() = %v", !tt.limit)
			}
		})
	}
}
