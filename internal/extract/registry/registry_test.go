package registry

import (
	"testing"

	"github.com/leakscope/leakscope/internal/sniff"
)

// TestRegistry keeps the one list honest: no MIME type is claimed twice
// and the types leaks are made of all have an extractor.
func TestRegistry(t *testing.T) {
	r, err := New(List(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{
		sniff.Text, sniff.CSV, sniff.TSV, sniff.Markdown, sniff.HTML, sniff.JSON, sniff.XML,
		sniff.PDF, sniff.DOCX, sniff.XLSX, sniff.PPTX, sniff.ODT, sniff.ODS, sniff.ODP, sniff.EPUB,
		sniff.PNG, sniff.JPEG, sniff.GIF, sniff.TIFF, sniff.BMP, sniff.WEBP,
		sniff.EML, sniff.MBOX, sniff.Bundle, sniff.SQLite, sniff.PST, sniff.DBF, sniff.Ar, sniff.Cpio,
		sniff.Zip, sniff.Tar, sniff.Gzip, sniff.Bzip2, sniff.XZ, sniff.SevenZip, sniff.RAR,
	} {
		if r.For(m) == nil {
			t.Errorf("no extractor for %s", m)
		}
	}
	names := map[string]bool{}
	for _, e := range r.Extractors() {
		if names[e.Name()] && e.Name() != "office" && e.Name() != "archive" && e.Name() != "text" {
			t.Errorf("extractor name %q used twice", e.Name())
		}
		names[e.Name()] = true
	}
}
