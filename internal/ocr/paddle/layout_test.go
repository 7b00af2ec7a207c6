package paddle

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// screen is a white w x h page with a blue tile at tile (if not empty).
func screen(w, h int, tile image.Rectangle) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(m, tile, image.NewUniform(color.RGBA{40, 110, 230, 255}), image.Point{}, draw.Src)
	return m
}

func textLine(s string, r image.Rectangle) line {
	return line{box: r, d: decoded{text: s, runes: []rune(s)}}
}

func TestLayoutRules(t *testing.T) {
	tile := image.Rect(40, 300, 130, 390)
	tests := []struct {
		name string
		src  *image.RGBA
		l    line
		want string
	}{
		{name: "clock in the status bar", src: screen(1080, 1600, image.Rectangle{}),
			l: textLine("09:41", image.Rect(30, 15, 130, 60)), want: "status-bar"},
		{name: "battery level in the status bar", src: screen(1080, 1600, image.Rectangle{}),
			l: textLine("87%", image.Rect(950, 15, 1040, 60)), want: "status-bar"},
		{name: "chat title below the status bar kept", src: screen(1080, 1600, image.Rectangle{}),
			l: textLine("Acme Telecom", image.Rect(400, 110, 700, 160)), want: ""},
		{name: "a time in a landscape screenshot's top strip kept", src: screen(1600, 900, image.Rectangle{}),
			l: textLine("09:41", image.Rect(30, 5, 130, 35)), want: ""},
		{name: "a title in the top strip kept", src: screen(1080, 1600, image.Rectangle{}),
			l: textLine("Nordhavn", image.Rect(400, 15, 600, 60)), want: ""},
		{name: "initials on a coloured tile at the left edge", src: screen(1080, 1600, tile),
			l: textLine("AT", image.Rect(50, 320, 120, 370)), want: "avatar-letter"},
		{name: "initials at the right edge", src: screen(1080, 1600, image.Rect(950, 300, 1040, 390)),
			l: textLine("NS", image.Rect(960, 320, 1030, 370)), want: "avatar-letter"},
		{name: "short word at the edge on white kept (table column)", src: screen(1080, 1600, image.Rectangle{}),
			l: textLine("12", image.Rect(50, 320, 120, 370)), want: ""},
		{name: "short bubble away from the edge kept", src: screen(1080, 1600, image.Rect(300, 300, 420, 390)),
			l: textLine("好", image.Rect(320, 320, 380, 370)), want: ""},
		{name: "long text on a tile kept", src: screen(1080, 1600, tile),
			l: textLine("Acme Telecom", image.Rect(50, 320, 120, 370)), want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := furniture(page{src: tt.src, layout: DefaultLayout}, tt.l)
			if got != tt.want {
				t.Errorf("furniture = %q, want %q", got, tt.want)
			}
		})
	}
}
