package ingest

import (
	"testing"

	"github.com/leakscope/leakscope/internal/sniff"
)

// TestMimeMismatch: a name whose extension promises another format than
// the bytes hold is flagged, including the legacy Office names (an OOXML
// package named "Acme contract.doc"); the format the name promises, or a
// name the table does not judge, is not.
func TestMimeMismatch(t *testing.T) {
	tests := []struct {
		name string
		mime string
		ext  string
		want bool
	}{
		{"docx named doc", sniff.DOCX, ".doc", true},
		{"word 97 named doc", sniff.DOC, ".doc", false},
		{"ole storage named xls", sniff.OLE, ".xls", false},
		{"xlsx named xls", sniff.XLSX, ".xls", true},
		{"pptx named ppt", sniff.PPTX, ".ppt", true},
		{"png named jpg", sniff.PNG, ".jpg", true},
		{"docx named zip", sniff.DOCX, ".zip", false},
		{"empty file named doc", sniff.Empty, ".doc", false},
		{"unjudged extension", sniff.PNG, ".dat", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mimeMismatch(tt.mime, tt.ext); got != tt.want {
				t.Errorf("mimeMismatch(%q, %q) = %v, want %v", tt.mime, tt.ext, got, tt.want)
			}
		})
	}
}
