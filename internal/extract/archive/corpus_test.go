package archive

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
)

// byMIME picks the extractor of this package for a sniffed type.
func byMIME(mime string) extract.Extractor {
	for _, e := range All() {
		if slices.Contains(e.Accepts(), mime) {
			return e
		}
	}
	return nil
}

type truthFile struct {
	Path      string   `json:"path"`
	Container string   `json:"container"`
	Members   []string `json:"members"`
	Flags     []string `json:"flags"`
}

// TestLeakSampleMembers checks that every top-level archive of the shared
// leak sample lists exactly the members its truth file gives. Directory
// entries ("bundle/") are not members here (see the package comment), so
// they are dropped from the truth before comparing.
func TestLeakSampleMembers(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	raw, err := os.ReadFile(filepath.Join(corpus, "leak-sample.truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "truth file absent: %v", err)
	}
	var truth struct{ Files []truthFile }
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, tf := range truth.Files {
		if tf.Container != "" || len(tf.Members) == 0 {
			continue
		}
		p := filepath.Join(corpus, "leak-sample", filepath.FromSlash(tf.Path))
		mime, err := sniff.File(p, filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		e := byMIME(mime)
		if e == nil {
			continue // mail and git bundles belong to other packages
		}
		checked++
		t.Run(tf.Path, func(t *testing.T) {
			in := extracttest.NewInput(t, p)
			r, err := extracttest.Run(t.Context(), e, in)
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			var want []string
			for _, m := range tf.Members {
				if !strings.HasSuffix(m, "/") {
					want = append(want, m)
				}
			}
			got := r.Names()
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			for _, f := range tf.Flags {
				if !r.HasFlag(f) {
					t.Errorf("flag %q missing; got %v", f, r.Flags)
				}
			}
		})
	}
	if checked == 0 {
		t.Fatal("no archive of the leak sample was checked")
	}
}

// TestLeakSampleHostile runs the hostile archives of the leak sample and
// checks each is flagged as the truth file says, or that the damage or
// limit is reported.
func TestLeakSampleHostile(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	tests := []struct {
		name      string
		file      string
		rec       *extracttest.Recorder
		wantFlags []string
		wantErr   bool
		wantLimit bool
	}{
		{name: "truncated zip", file: "misc/partial_backup.zip", rec: &extracttest.Recorder{}, wantFlags: []string{FlagTruncated}, wantErr: true},
		{name: "path traversal", file: "misc/update_pkg.zip", rec: &extracttest.Recorder{}, wantFlags: []string{FlagTraversal}},
		{name: "symlink escape", file: "misc/config_backup.tar.gz", rec: &extracttest.Recorder{}, wantFlags: []string{FlagSymlink, FlagSymlinkEscape}},
		{name: "zip bomb", file: "misc/logs_2021.zip", rec: &extracttest.Recorder{MaxChildBytes: 1 << 20}, wantErr: true, wantLimit: true},
		// One level of the nested bomb is four small stored zips: the
		// expansion happens a level down, which the pipeline counts.
		{name: "nested bomb", file: "misc/nested_logs.zip", rec: &extracttest.Recorder{MaxChildBytes: 1 << 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(corpus, "leak-sample", filepath.FromSlash(tt.file))
			if _, err := os.Stat(p); err != nil {
				testenv.MissingCorpus(t, "absent: %v", err)
			}
			in := extracttest.NewInput(t, p)
			err := extracttest.RunWith(t.Context(), byMIME(in.MIME), in, tt.rec)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if extract.IsLimit(err) != tt.wantLimit {
				t.Errorf("err = %v, want limit %v", err, tt.wantLimit)
			}
			for _, f := range tt.wantFlags {
				if !tt.rec.HasFlag(f) {
					t.Errorf("flag %q missing; got %v", f, tt.rec.Flags)
				}
			}
		})
	}
}

// TestRealFormats runs every archive of the third-party sample set through
// the conformance check: damaged and encrypted ones must fail cleanly.
func TestRealFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	corpus := extracttest.SharedCorpus(t)
	byExt := map[extract.Extractor][]string{}
	err := filepath.WalkDir(filepath.Join(corpus, "real-formats"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		mime, err := sniff.File(p, d.Name())
		if err != nil {
			return err
		}
		if e := byMIME(mime); e != nil {
			byExt[e] = append(byExt[e], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(byExt) == 0 {
		t.Fatal("no archive found in real-formats")
	}
	for e, paths := range byExt {
		t.Run(e.Name(), func(t *testing.T) {
			for _, p := range paths {
				in := extracttest.NewInput(t, p)
				r := &extracttest.Recorder{MaxChildBytes: 16 << 20}
				err := extracttest.RunWith(t.Context(), e, in, r)
				var pe *extracttest.PanicError
				if errorsAs(err, &pe) {
					t.Errorf("%s: %v", filepath.Base(p), err)
				}
				t.Logf("%s: %d members %v flags %v err %v", filepath.Base(p), len(r.Children), first(r.Names(), 5), r.Flags, err)
				for _, b := range extracttest.Validate(r) {
					t.Errorf("%s: %s", filepath.Base(p), b)
				}
			}
		})
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
