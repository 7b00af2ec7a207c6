package registry

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// TestScanNesting scans text nested 100,000 deep in JSON, XML and HTML:
// the detectors work on flat bytes, so depth costs them nothing, and the
// address after the deep run is still found.
func TestScanNesting(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name string
		text string
	}{
		{name: "json", text: strings.Repeat(`{"a":[`, n) + `"192.0.2.7"` + strings.Repeat("]}", n)},
		{name: "xml", text: strings.Repeat("<w:tc>", n) + "192.0.2.7" + strings.Repeat("</w:tc>", n)},
		{name: "html", text: strings.Repeat("<div><span>", n) + " 192.0.2.7 " + strings.Repeat("</span></div>", n)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := false
			for _, m := range Scan([]byte(tt.text)) {
				found = found || m.Kind == leak.KindIPv4 && m.Norm == "192.0.2.7"
			}
			if !found {
				t.Error("192.0.2.7 not found")
			}
		})
	}
}
