package caseview

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/server"
	"github.com/leakscope/leakscope/internal/testenv"
)

func TestPreview(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		testenv.Missing(t, "pdftoppm (poppler-utils) not installed")
	}
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	ctx := t.Context()
	pdf := d.resolve(t, "业务/Quarterly_Report_2022Q1.pdf")
	csv := d.resolve(t, "业务/目标清单_2021.csv")
	tests := []struct {
		name    string
		id      string
		page    int
		wantErr error
	}{
		{"first page", pdf, 1, nil},
		{"past the end", pdf, 2, server.ErrNotFound},
		{"page zero", pdf, 0, server.ErrInvalid},
		{"not a pdf", csv, 1, server.ErrNotFound},
		{"unknown document", strings.Repeat("ab", 32), 1, server.ErrNotFound},
		{"bad id", "../../etc/passwd", 1, server.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := b.Preview(ctx, tt.id, tt.page)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if cfg.Width < 500 || cfg.Width > 800 || cfg.Height <= cfg.Width {
				t.Errorf("page %dx%d, want a portrait page at 80 dpi", cfg.Width, cfg.Height)
			}
		})
	}
	// The rendering is cached in the case and served from there.
	cached := filepath.Join(d.c.Dir, "previews", pdf+"-1.png")
	st, err := os.Stat(cached)
	if err != nil {
		t.Fatalf("not cached: %v", err)
	}
	marker := append(append([]byte{}, pngMagic...), "cached"...)
	if err := os.WriteFile(cached, marker, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(cached) })
	img, err := b.Preview(ctx, pdf, 1)
	if err != nil || !bytes.Equal(img, marker) {
		t.Errorf("second call did not use the cache (%d bytes, %v); first was %d bytes", len(img), err, st.Size())
	}
	if left, _ := filepath.Glob(filepath.Join(d.c.Dir, "previews", "*.tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

func TestTimeline(t *testing.T) {
	d := theDemo(t)
	b := New(d.c, d.idx, nil)
	tl, err := b.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	st, err := b.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Documents)+tl.Undated != st.Documents || len(tl.Documents) == 0 {
		t.Errorf("%d dated + %d undated, want %d documents", len(tl.Documents), tl.Undated, st.Documents)
	}
	seen := map[string]bool{}
	for i, dd := range tl.Documents {
		if i > 0 && dd.Date.Before(tl.Documents[i-1].Date) {
			t.Errorf("not in date order at %d", i)
		}
		if dd.Source != server.DateMeta && dd.Source != server.DateMTime || dd.Path == "" || seen[dd.ID] {
			t.Errorf("bad entry %+v", dd)
		}
		seen[dd.ID] = true
		if !enrich.PlausibleTime(dd.Date) {
			t.Errorf("implausible date %v for %s", dd.Date, dd.Path)
		}
	}
	// The quarterly report claims its own date (PDF metadata).
	pdf := d.resolve(t, "业务/Quarterly_Report_2022Q1.pdf")
	for _, dd := range tl.Documents {
		if dd.ID == pdf && (dd.Source != server.DateMeta || dd.Date.Format("2006-01") != "2022-03") {
			t.Errorf("quarterly report placed at %v by %s", dd.Date, dd.Source)
		}
	}
	total := 0
	for _, m := range tl.Messages {
		if _, err := time.Parse("2006-01-02", m.Day); err != nil || m.Count <= 0 || m.Conversations <= 0 {
			t.Errorf("bad day %+v", m)
		}
		total += m.Count
	}
	if total == 0 || total > st.Messages {
		t.Errorf("%d dated messages of %d", total, st.Messages)
	}
}
