package mail

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// TestRealFormats reads every .eml and .mbox of the third-party sample
// set: no panic, valid output, and some text from every message.
func TestRealFormats(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	n := 0
	err := filepath.WalkDir(filepath.Join(corpus, "real-formats"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var e extract.Extractor
		mime := ""
		switch filepath.Ext(p) {
		case ".eml":
			e, mime = EML{}, sniff.EML
		case ".mbox":
			e, mime = MBOX{}, sniff.MBOX
		default:
			return nil
		}
		n++
		r := &extracttest.Recorder{MaxChildBytes: 16 << 20}
		err = extracttest.RunWith(t.Context(), e, extracttest.NewInputMIME(t, p, mime), r)
		var pe *extracttest.PanicError
		if errorsAs(err, &pe) {
			t.Errorf("%s: %v", d.Name(), err)
		}
		for _, b := range extracttest.Validate(r) {
			t.Errorf("%s: %s", d.Name(), b)
		}
		if r.Body() == "" && len(r.Children) == 0 {
			t.Errorf("%s: nothing extracted (err %v)", d.Name(), err)
		}
		t.Logf("%s: %d text bytes, children %v, err %v", d.Name(), len(r.Body()), first(r.Names(), 4), err)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no mail found in real-formats")
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
