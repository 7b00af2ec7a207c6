package chat

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// synthShot draws a phone chat window (1080 wide): grey background, a
// time banner, left bubbles with an avatar and a name strip above, right
// (green) bubbles with the owner's avatar, an input panel at the bottom.
// It returns the image, a TSV with one word box per bubble and banner,
// and where each name was drawn, for a Recognise stub.
type synthMsg struct {
	right bool
	name  string // left only
	av    color.RGBA
	text  string
}

func synthShot(msgs []synthMsg) (*image.RGBA, []byte, map[image.Rectangle]string) {
	const W, H = 1080, 1600
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	fillR := func(r image.Rectangle, c color.Color) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	fillR(img.Bounds(), color.RGBA{237, 237, 237, 255})
	fillR(image.Rect(0, 1450, W, H), color.RGBA{247, 247, 247, 255})
	fillR(image.Rect(130, 1480, 860, 1560), color.White)
	var tsv strings.Builder
	tsv.WriteString("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n")
	line := 0
	word := func(x, y, w, h int, text string) {
		line++
		fmt.Fprintf(&tsv, "5\t1\t1\t1\t%d\t1\t%d\t%d\t%d\t%d\t93\t%s\n", line, x, y, w, h, text)
	}
	word(420, 110, 240, 40, "测试组(3)")
	word(400, 250, 280, 30, "2021年6月5日 21:29")
	names := map[image.Rectangle]string{}
	y := 320
	for _, m := range msgs {
		if m.right {
			fillR(image.Rect(950, y, 1050, y+100), m.av)
			fillR(image.Rect(500, y, 920, y+100), color.RGBA{149, 236, 105, 255})
			word(530, y+30, 360, 40, m.text)
		} else {
			fillR(image.Rect(30, y, 130, y+100), m.av)
			// The name strip: grey text the whole-page pass lost.
			fillR(image.Rect(165, y+8, 260, y+36), color.RGBA{150, 150, 150, 255})
			names[image.Rect(165, y+8, 260, y+36)] = m.name
			fillR(image.Rect(160, y+50, 700, y+150), color.White)
			word(190, y+80, 480, 40, m.text)
			y += 50
		}
		y += 150
	}
	return img, []byte(tsv.String()), names
}

func TestParsePixels(t *testing.T) {
	red, blue := color.RGBA{230, 100, 80, 255}, color.RGBA{90, 140, 240, 255}
	own := color.RGBA{120, 200, 230, 255}
	msgs := []synthMsg{
		{name: "磊子", av: red, text: "打包完了"},
		{right: true, av: own, text: "放老地方"},
		{name: "豪哥", av: blue, text: "要续费吗"},
		{name: "磊子", av: red, text: "好的"},
		{right: true, av: own, text: "续一年"},
	}
	img, tsv, names := synthShot(msgs)
	// The stub reads a name when the strip contains where it was drawn;
	// the second strip of 磊子 reads as garbage, which the avatar fixes.
	garbled := 0
	rec := func(r image.Rectangle, mode RegionMode) (string, float64) {
		switch mode {
		case RegionChar:
			return "洲", 0.9
		case RegionLine:
			for nr, n := range names {
				if nr.In(r) {
					if n == "磊子" && garbled == 0 {
						garbled++
						break
					}
					return n, 0.9
				}
			}
			if r.Max.Y < 200 {
				return "测试组(3)", 0.95
			}
			return "fat", 0.8
		}
		return "", 0
	}
	ref := time.Date(2021, 6, 5, 22, 0, 0, 0, DefaultZone)
	c, ok, err := ParseScreenshot(Screenshot{Source: "s.png", TSV: tsv, Width: 1080, Height: 1600, Ref: ref, Image: img, Recognise: rec}, Options{})
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	var got []string
	for _, m := range c.Messages {
		got = append(got, fmt.Sprintf("%s|%v|%s|%s", m.Sender, m.Outgoing, m.Text, m.Time.Format("15:04")))
	}
	want := []string{"磊子|false|打包完了|21:29", "|true|放老地方|21:29", "豪哥|false|要续费吗|21:29", "磊子|false|好的|21:29", "|true|续一年|21:29"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"测试组", "洲"}, []string{c.Title, c.OwnerMark}); d != "" {
		t.Errorf("title, owner mark (-want +got):\n%s", d)
	}
	if !c.Group {
		t.Error("group not detected")
	}

	// Without the image the TSV path still parses (and loses the names).
	c2, ok, _ := ParseScreenshot(Screenshot{Source: "s.png", TSV: tsv, Width: 1080, Height: 1600, Ref: ref}, Options{})
	if ok && c2.OwnerMark != "" {
		t.Errorf("TSV path set an owner mark %q", c2.OwnerMark)
	}
}

func TestAcceptName(t *testing.T) {
	known := func(n string) bool { return n == "kw" }
	tests := []struct {
		name, in string
		conf     float64
		want     bool
	}{
		{"cjk", "磊子", 0.8, true},
		{"low confidence", "磊子", 0.3, false},
		{"two latin letters", "aT", 0.95, false},
		{"known two letters", "kw", 0.7, true},
		{"short latin word", "fat", 0.8, false},
		{"short latin confident", "kwb", 0.92, true},
		{"mixed", "Lan钟", 0.6, true},
		{"digits", "2021", 0.9, false},
		{"sentence", "好的，收到", 0.9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptName(Screenshot{Known: known}, tt.in, tt.conf); got != tt.want {
				t.Errorf("acceptName(%q, %.2f) = %v, want %v", tt.in, tt.conf, got, tt.want)
			}
		})
	}
}

// FuzzLayout feeds random pixels to the layout finder: no panic, every
// bubble inside the image.
func FuzzLayout(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, uint8(40), uint8(60))
	f.Add([]byte("\xff\xff\x00\x00\x80"), uint8(200), uint8(90))
	f.Fuzz(func(t *testing.T, pix []byte, w, h uint8) {
		W, H := int(w)+1, int(h)+1
		img := image.NewGray(image.Rect(0, 0, W, H))
		for i := range img.Pix {
			if len(pix) > 0 {
				img.Pix[i] = pix[(i/7)%len(pix)]
			}
		}
		l := findLayout(img)
		for _, b := range l.bubbles {
			if !b.r.In(img.Bounds()) {
				t.Fatalf("bubble %v outside %v", b.r, img.Bounds())
			}
		}
		if r, ok := titleBand(img, H); ok && !r.In(img.Bounds()) {
			t.Fatalf("title %v outside %v", r, img.Bounds())
		}
	})
}

// TestAvatarLetters checks that two senders whose avatars share a colour
// but not a letter stay apart: a garbled name beside one is not replaced
// by the name read beside the other, and the two avatars get different
// keys.
func TestAvatarLetters(t *testing.T) {
	red, own := color.RGBA{230, 100, 80, 255}, color.RGBA{120, 200, 230, 255}
	msgs := []synthMsg{
		{name: "磊子", av: red, text: "打包完了"},
		{right: true, av: own, text: "放老地方"},
		{name: "豪哥", av: red, text: "要续费吗"},
	}
	img, tsv, names := synthShot(msgs)
	// Draw a different white glyph on each left avatar (see synthShot's
	// geometry: avatars at x 30..130, rows 320 and 670).
	letters := map[int]string{320: "子", 670: "哥"}
	draw.Draw(img, image.Rect(60, 340, 100, 360), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(70, 690, 90, 760), image.NewUniform(color.White), image.Point{}, draw.Src)
	rec := func(r image.Rectangle, mode RegionMode) (string, float64) {
		switch mode {
		case RegionChar, RegionWord:
			for y, l := range letters {
				if r.Min.Y >= y-5 && r.Min.Y <= y+30 && r.Min.X < 200 {
					if mode == RegionChar {
						return "=}", 0.86 // psm 10 misreads; psm 8 reads it
					}
					return l, 0.91
				}
			}
			return "洲", 0.9
		case RegionLine:
			for nr, n := range names {
				if nr.In(r) && n == "豪哥" {
					return n, 0.91
				}
			}
			if r.Max.Y < 200 {
				return "测试组(3)", 0.95
			}
			return "fat", 0.7 // 磊子 unread
		}
		return "", 0
	}
	ref := time.Date(2021, 6, 5, 22, 0, 0, 0, DefaultZone)
	c, ok, err := ParseScreenshot(Screenshot{Source: "s.png", TSV: tsv, Width: 1080, Height: 1600, Ref: ref, Image: img, Recognise: rec}, Options{})
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	var got []string
	for _, m := range c.Messages {
		got = append(got, fmt.Sprintf("%s|%v|%s", m.Sender, m.Outgoing, strings.SplitN(m.Avatar, "#", 2)[0]))
	}
	want := []string{"|false|子", "|true|洲", "豪哥|false|哥"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("sender|outgoing|avatar letter (-want +got):\n%s", d)
	}
	if c.OwnerMark != "洲" || !strings.HasPrefix(c.OwnerAvatar, "洲#") {
		t.Errorf("owner mark %q avatar %q, want 洲", c.OwnerMark, c.OwnerAvatar)
	}
	if SameAvatar(c.Messages[0].Avatar, c.Messages[2].Avatar) {
		t.Error("avatars with different letters compare the same")
	}
}

func TestSameAvatar(t *testing.T) {
	red := fill{col: [3]int{232, 104, 74}}
	var glyph, glyph2, other inkMask
	for i := 40; i < 120; i++ {
		glyph[i/64] |= 1 << (i % 64)
		if i != 41 {
			glyph2[i/64] |= 1 << (i % 64) // one point of resampling noise
		}
	}
	for i := 130; i < 200; i++ {
		other[i/64] |= 1 << (i % 64)
	}
	blue := fill{col: [3]int{91, 143, 249}}
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same letter and colour", avatarKey(red, "子", glyph), avatarKey(red, "子", other), true},
		{"different letters", avatarKey(red, "子", glyph), avatarKey(red, "哥", glyph), false},
		{"different colours", avatarKey(red, "子", glyph), avatarKey(blue, "子", glyph), false},
		{"unread, near picture", avatarKey(red, "", glyph), avatarKey(red, "", glyph2), true},
		{"unread, other picture", avatarKey(red, "", glyph), avatarKey(red, "", other), false},
		{"one read, same picture", avatarKey(red, "磊", glyph), avatarKey(red, "", glyph2), true},
		{"blank squares", avatarKey(red, "", inkMask{}), avatarKey(red, "", inkMask{}), false},
		{"not a key", "子#e8684a", "子#e8684a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameAvatar(tt.a, tt.b); got != tt.want {
				t.Errorf("SameAvatar = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzSameAvatar feeds arbitrary keys: no panic, and a key compares the
// same as itself unless it is blank or malformed.
func FuzzSameAvatar(f *testing.F) {
	f.Add(avatarKey(fill{col: [3]int{1, 2, 3}}, "子", inkMask{1, 2, 3, 4}), "x#000000~")
	f.Add("", "#zzzzzz~")
	f.Fuzz(func(t *testing.T, a, b string) {
		_ = SameAvatar(a, b)
		if SameAvatar(a, b) != SameAvatar(b, a) {
			t.Fatalf("not symmetric: %q %q", a, b)
		}
	})
}
