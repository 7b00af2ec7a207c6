package paddle

import (
	"image"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/ocr"
)

// FuzzBoxes feeds arbitrary probability maps to the DB post-processing:
// no panic, and every box inside the image.
func FuzzBoxes(f *testing.F) {
	f.Add([]byte{0, 255, 255, 0, 255, 255, 0, 0, 0}, uint8(3))
	f.Add(make([]byte, 64), uint8(8))
	f.Fuzz(func(t *testing.T, b []byte, width uint8) {
		mw := int(width)%64 + 1
		mh := len(b) / mw
		if mh == 0 {
			return
		}
		prob := make([]float32, mw*mh)
		for i := range prob {
			prob[i] = float32(b[i]) / 255
		}
		w, h := 3*mw, 2*mh
		for _, r := range boxes(prob, mw, mh, w, h, DefaultParams) {
			for _, p := range r.q {
				if p.x < 0 || p.y < 0 || p.x > float64(w) || p.y > float64(h) {
					t.Fatalf("corner %v outside %dx%d", p, w, h)
				}
			}
		}
	})
}

// FuzzBuildTSV: whatever the recogniser emits, the TSV parses, keeps one
// line per input line and stays valid UTF-8.
func FuzzBuildTSV(f *testing.F) {
	f.Add("Nordhavn 42", 40)
	f.Add("a\tb\nc", 3)
	f.Add("  ", 1)
	f.Fuzz(func(t *testing.T, s string, steps int) {
		steps = max(steps%500, -steps%500) + 1
		if !utf8.ValidString(s) {
			return
		}
		d := decoded{text: s}
		for i, r := range []rune(s) {
			d.runes = append(d.runes, r)
			d.steps = append(d.steps, i%steps)
			d.probs = append(d.probs, 0.9)
		}
		l := line{box: image.Rect(10, 10, 200, 40), d: d, recW: 300, padW: 320, T: steps}
		words, err := ocr.ParseTSV(buildTSV([]line{l}, 400, 100))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if w.Level == ocr.LevelWord && (!utf8.ValidString(w.Text) || w.Left < 10 || w.Left+w.Width > 200) {
				t.Fatalf("word %+v", w)
			}
		}
	})
}
