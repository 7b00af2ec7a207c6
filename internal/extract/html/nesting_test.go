package html

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// TestNesting runs pages nested 100,000 deep through Extract. The
// extractor walks tokens with counters, never a tree, so depth costs no
// stack; this keeps it that way, and keeps the text around the deep run.
func TestNesting(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name string
		page string
		want []string
	}{
		{name: "nested divs", page: "<html><body><p>Acme Telecom</p>" + strings.Repeat("<div>", n) + "inside" + strings.Repeat("</div>", n) + "<p>after</p></body></html>",
			want: []string{"Acme Telecom", "inside", "after"}},
		{name: "unclosed tables", page: "<html><body>Nordhavn Shipping" + strings.Repeat("<table><tr><td>", n), want: []string{"Nordhavn Shipping"}},
		{name: "nested skipped elements", page: "<body>before" + strings.Repeat("<template>", n) + "hidden" + strings.Repeat("</template>", n) + "after</body>",
			want: []string{"before", "after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "deep.html")
			if err := os.WriteFile(p, []byte(tt.page), 0o600); err != nil {
				t.Fatal(err)
			}
			r, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInputMIME(t, p, sniff.HTML))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Body(), w) {
					t.Errorf("body %.200q does not contain %q", r.Body(), w)
				}
			}
			if strings.Contains(r.Body(), "hidden") {
				t.Errorf("body %.200q shows text of a skipped element", r.Body())
			}
		})
	}
}
