package ocr

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/testenv"
)

func needTesseract(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath(Program); err != nil {
		testenv.Missing(t, "tesseract not installed")
	}
	if err := Available(t.Context()); err != nil {
		testenv.Missing(t, "tesseract incomplete: %v", err)
	}
}

// recall is the share of want's words found in got (case-insensitive,
// spaces ignored, so a dropped space still counts).
func recall(want []string, got string) float64 {
	g := strings.ToLower(strings.Join(strings.Fields(got), ""))
	n := 0
	for _, w := range want {
		if strings.Contains(g, strings.ToLower(strings.ReplaceAll(w, " ", ""))) {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

func TestImage(t *testing.T) {
	needTesseract(t)
	tests := []struct {
		name      string
		lines     []string
		cjk       bool
		wantLangs string
		want      []string // must be recalled
		minRecall float64
	}{
		{
			name:      "english on green bubble",
			lines:     []string{"INVOICE 2021-07-05", "TOTAL 4200 USD", "REF ALPHA BRAVO"},
			wantLangs: DefaultLatinLangs,
			want:      []string{"INVOICE", "2021-07-05", "TOTAL", "4200", "USD", "ALPHA", "BRAVO"},
			minRecall: 0.85,
		},
		{
			name:      "simplified chinese",
			lines:     []string{"这个项目的资料们已经发过去了", "请确认数据库导出时间和数量"},
			cjk:       true,
			wantLangs: DefaultLangs,
			want:      []string{"项目", "资料", "数据库", "导出", "时间"},
			minRecall: 0.8,
		},
		{
			name:      "traditional chinese",
			lines:     []string{"這個項目的資料們已經發過去了", "請確認數據庫導出時間和數量"},
			cjk:       true,
			wantLangs: DefaultTradLangs,
			want:      []string{"項目", "資料", "數據庫", "導出", "時間"},
			minRecall: 0.8,
		},
	}
	e := New(Options{Timeout: time.Minute})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p string
			if tt.cjk {
				p = renderCJK(t, cjkFont(t), tt.lines)
			} else {
				p = renderLatin(t, tt.lines)
			}
			r, err := e.Image(t.Context(), p, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if got := recall(tt.want, r.Text); got < tt.minRecall {
				t.Errorf("recall %.2f < %.2f; text:\n%s", got, tt.minRecall, r.Text)
			}
			if r.Langs != tt.wantLangs {
				t.Errorf("langs %q, want %q", r.Langs, tt.wantLangs)
			}
			if r.PSM != DefaultPSM && r.PSM != DefaultAltPSM {
				t.Errorf("psm %d", r.PSM)
			}
			if r.Confidence <= 0 || r.Confidence > 100 {
				t.Errorf("confidence %v out of range", r.Confidence)
			}
			words, err := ParseTSV(r.TSV)
			if err != nil {
				t.Fatalf("kept TSV does not parse: %v", err)
			}
			if Text(words) != r.Text {
				t.Errorf("text is not the kept TSV's text")
			}
		})
	}
}

func TestImageBlank(t *testing.T) {
	needTesseract(t)
	p := renderLatin(t, []string{""})
	r, err := New(Options{}).Image(t.Context(), p, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(r.Text) != "" {
		t.Errorf("blank image read as %q", r.Text)
	}
}

func TestImageNotAnImage(t *testing.T) {
	p := writeBytes(t, []byte("not an image at all"))
	_, err := New(Options{}).Image(t.Context(), p, t.TempDir())
	if err == nil {
		t.Fatal("want error")
	}
}

func TestCheckMissingLanguage(t *testing.T) {
	if _, err := exec.LookPath(Program); err != nil {
		testenv.Missing(t, "tesseract not installed")
	}
	err := New(Options{Langs: "xx_nonexistent+eng"}).Check(t.Context())
	if !errors.Is(err, ErrLangMissing) || !strings.Contains(err.Error(), "xx_nonexistent") {
		t.Fatalf("got %v, want ErrLangMissing naming the language", err)
	}
	first, err1 := New(Options{Langs: "xx_nonexistent"}).Ready(t.Context())
	if !first || err1 == nil {
		t.Errorf("Ready: first=%v err=%v", first, err1)
	}
}

func TestTimeout(t *testing.T) {
	needTesseract(t)
	p := renderLatin(t, []string{"TIMEOUT TEST"})
	_, err := New(Options{Timeout: time.Millisecond}).Image(t.Context(), p, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("got %v, want a timeout", err)
	}
}
