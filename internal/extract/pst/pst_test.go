package pst

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// fakeReadpst writes a shell script that lays out a tree as readpst -e
// does, so that the naming, ordering and bounds are tested without a PST
// writer (Debian has none). exit is the script's exit status.
func fakeReadpst(t *testing.T, exit int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fake-readpst")
	script := `#!/bin/sh
while [ $# -gt 1 ]; do [ "$1" = -o ] && out=$2; shift; done
[ ` + map[bool]string{true: "1", false: "0"}[exit != 0] + ` = 1 ] && { echo "Error opening File" >&2; exit 1; }
mkdir -p "$out/Acme Telecom/Inbox/Projects" "$out/Acme Telecom/Sent Items" "$out/Acme Telecom/Contacts"
m() { printf 'From: ops@acme.example\r\nTo: desk@nordhavn.example\r\nSubject: %s\r\n\r\n%s\r\n' "$2" "$2" > "$1"; }
m "$out/Acme Telecom/Inbox/2.eml" "second"
m "$out/Acme Telecom/Inbox/10.eml" "tenth"
m "$out/Acme Telecom/Inbox/1.eml" "first"
m "$out/Acme Telecom/Inbox/Projects/1.eml" "project"
m "$out/Acme Telecom/Sent Items/1.eml" "sent"
printf 'BEGIN:VCARD\r\nFN:Nordhavn Desk\r\nEND:VCARD\r\n' > "$out/Acme Telecom/Contacts/contacts.vcf"
ln -s /etc/passwd "$out/Acme Telecom/Inbox/3.eml"
`
	if err := os.WriteFile(p, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func pstInput(t *testing.T) *extract.Input {
	t.Helper()
	p := filepath.Join(t.TempDir(), "box.pst")
	data := append([]byte("!BDN\x00\x00\x00\x00SM\x17\x00"), make([]byte, 500)...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	in := extracttest.NewInput(t, p)
	if in.MIME != sniff.PST {
		t.Fatalf("sniffed %s, want %s", in.MIME, sniff.PST)
	}
	return in
}

// TestExtract: messages become children "<folder path>/<n>" in folder and
// numeric order, contacts keep their file name, a link readpst did not
// write is not followed, and the folders are the document's text.
func TestExtract(t *testing.T) {
	r, err := extracttest.Run(t.Context(), Extractor{Program: fakeReadpst(t, 0)}, pstInput(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range extracttest.Validate(r) {
		t.Error(v)
	}
	extracttest.Golden(t, filepath.Join("testdata", "golden", "TestExtract", "tree.golden"), r.Summary(4096).JSON())
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name       string
		exit       int
		maxEntries int
		maxBytes   int64
		check      func(error) bool
	}{
		{name: "reader fails", exit: 1, check: func(err error) bool { return err != nil && !extract.IsLimit(err) }},
		{name: "too many messages", maxEntries: 3, check: func(err error) bool {
			var le *extract.LimitError
			return errors.As(err, &le) && le.What == "entries"
		}},
		{name: "too many bytes", maxBytes: 100, check: func(err error) bool {
			var le *extract.LimitError
			return errors.As(err, &le) && le.What == "expanded"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := pstInput(t)
			in.Limits.MaxEntries = tt.maxEntries
			in.Limits.MaxExpanded = tt.maxBytes
			_, err := extracttest.Run(t.Context(), Extractor{Program: fakeReadpst(t, tt.exit)}, in)
			if !tt.check(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func needReadpst(t testing.TB) {
	t.Helper()
	if err := tool.Available(Program); err != nil {
		t.Skipf("%v (apt-get install pst-utils)", err)
	}
}

// TestRealFormats reads the PST files of the shared corpus with the real
// readpst: each yields messages that sniff as mail.
func TestRealFormats(t *testing.T) {
	needReadpst(t)
	root := extracttest.SharedCorpus(t)
	var files []string
	filepath.WalkDir(filepath.Join(root, "real-formats"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if m, _ := sniff.File(p, d.Name()); m == sniff.PST {
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no PST files in real-formats")
	}
	for _, p := range files {
		r, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, p))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if len(r.Children) == 0 {
			t.Errorf("%s: no messages", filepath.Base(p))
		}
		for _, c := range r.Children {
			if m := sniff.Type(c.Data, c.Name); m != sniff.EML && !strings.HasSuffix(c.Name, ".vcf") && !strings.HasSuffix(c.Name, ".ics") {
				t.Errorf("%s: child %s sniffs as %s", filepath.Base(p), c.Name, m)
			}
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(append([]byte("!BDN\x00\x00\x00\x00SM\x17\x00"), make([]byte, 600)...))
	f.Add(append([]byte("!BDN\x00\x00\x00\x00SM\x0e\x00"), make([]byte, 600)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		needReadpst(t)
		p := filepath.Join(t.TempDir(), "f.pst")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in := extracttest.NewInputMIME(t, p, sniff.PST)
		in.TempDir = t.TempDir()
		r := &extracttest.Recorder{MaxChildBytes: 1 << 20}
		err := extracttest.RunWith(t.Context(), Extractor{}, in, r)
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Fatal(err)
		}
		for _, v := range extracttest.Validate(r) {
			t.Error(v)
		}
	})
}
