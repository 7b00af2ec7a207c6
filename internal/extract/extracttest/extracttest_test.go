package extracttest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// lines is a toy container format: every line of a text file is a member
// whose body is the line. It follows the contract, so Check must pass it.
type lines struct{}

func (lines) Name() string      { return "lines" }
func (lines) Accepts() []string { return []string{sniff.Text} }
func (lines) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if err := out.Child(ctx, extract.Child{Name: fmt.Sprint(n), R: strings.NewReader(sc.Text()), Size: -1}); err != nil {
			return fmt.Errorf("lines: member %d: %w", n, err)
		}
	}
	out.Text(fmt.Sprintf("%d lines", n))
	return sc.Err()
}

// careless ignores its context and limit errors and panics on short input.
type careless struct{}

func (careless) Name() string      { return "careless" }
func (careless) Accepts() []string { return []string{sniff.Text} }
func (careless) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	b, _ := os.ReadFile(in.File)
	_ = b[10] // panics on short input
	for i := range 3 {
		_ = out.Child(ctx, extract.Child{Name: fmt.Sprint(i), R: strings.NewReader("x")})
	}
	return nil
}

func sample(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "s.txt")
	if err := os.WriteFile(p, []byte("alpha\nbeta\ngamma\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckPassesConformingExtractor(t *testing.T) {
	Check(t, lines{}, sample(t))
}

func TestRecorder(t *testing.T) {
	in := NewInput(t, sample(t))
	r, err := Run(t.Context(), lines{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, r.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if got := r.Body(); got != "3 lines" {
		t.Errorf("body = %q", got)
	}
	c, _ := r.ChildNamed("2")
	if string(c.Data) != "beta" {
		t.Errorf("child 2 = %q", c.Data)
	}
}

func TestRecorderLimits(t *testing.T) {
	tests := []struct {
		name      string
		rec       *Recorder
		wantNames []string
		wantWhat  string
	}{
		{name: "entries", rec: &Recorder{MaxChildren: 2}, wantNames: []string{"1", "2"}, wantWhat: "entries"},
		{name: "size", rec: &Recorder{MaxChildBytes: 3}, wantNames: []string{"1"}, wantWhat: "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := RunWith(t.Context(), lines{}, NewInput(t, sample(t)), tt.rec)
			var le *extract.LimitError
			if !errors.As(err, &le) || le.What != tt.wantWhat {
				t.Fatalf("err = %v, want limit %s", err, tt.wantWhat)
			}
			if diff := cmp.Diff(tt.wantNames, tt.rec.Names()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunRecoversPanic(t *testing.T) {
	p := filepath.Join(t.TempDir(), "short.txt")
	os.WriteFile(p, []byte("hi\nthere\n"), 0o600)
	_, err := Run(t.Context(), careless{}, NewInput(t, p))
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a PanicError", err)
	}
}

func TestValidate(t *testing.T) {
	r := &Recorder{}
	r.Text("ok \xff")
	r.Flag("Bad Flag")
	r.Meta("Title", "x")
	_ = r.Child(t.Context(), extract.Child{Name: "", R: strings.NewReader("")})
	_ = r.Child(t.Context(), extract.Child{Name: "l", Link: "/etc/passwd"})
	got := Validate(r)
	want := []string{
		"text is not valid UTF-8",
		`meta key "Title" is empty or not lower-case`,
		`flag "Bad Flag" is not a lower-case word`,
		"child 0 has no name",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestCutPoints(t *testing.T) {
	if diff := cmp.Diff([]int{0, 1, 2, 3, 4, 5, 6, 7, 8}, cutPoints(9)); diff != "" {
		t.Errorf("cutPoints(9) (-want +got):\n%s", diff)
	}
}
