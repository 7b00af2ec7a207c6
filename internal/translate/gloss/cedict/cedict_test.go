package cedict

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPaths(t *testing.T) {
	tests := []struct {
		name, env, xdg string
		want           []string
	}{
		{"env first", "/x/my.u8", "/data", []string{"/x/my.u8", filepath.Join("/data", "leakscope", File)}},
		{"data dir only", "", "/data", []string{filepath.Join("/data", "leakscope", File)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LEAKSCOPE_CEDICT", tt.env)
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			if diff := cmp.Diff(tt.want, Paths()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
