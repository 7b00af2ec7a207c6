package image

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	lsgolden "github.com/leakscope/leakscope/internal/golden"
)

func golden(t *testing.T, got []byte) {
	t.Helper()
	lsgolden.Check(t, lsgolden.Path(t), got)
}

func TestMetadata(t *testing.T) {
	south := testCamera
	south.latRef, south.lonRef, south.altBelow = "S", "W", true
	tests := []struct {
		name string
		data []byte
	}{
		{"jpeg_exif", jpegWithAPP1(t, append([]byte("Exif\x00\x00"), exifTIFF(testCamera)...))},
		{"jpeg_xmp_first", jpegWithAPP1(t, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"),
			append([]byte("Exif\x00\x00"), exifTIFF(testCamera)...))},
		{"jpeg_south_west_below_sea", jpegWithAPP1(t, append([]byte("Exif\x00\x00"), exifTIFF(south)...))},
		{"jpeg_no_exif", plainJPEG(t)},
		{"png_exif_chunk", pngWithEXIF(t, exifTIFF(testCamera))},
		{"tiff_header_only", exifTIFF(testCamera)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, err := Metadata(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(meta, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, append(b, '\n'))
		})
	}
}

func TestMetadataDamaged(t *testing.T) {
	block := exifTIFF(testCamera)
	tests := []struct {
		name string
		data []byte
	}{
		{"truncated exif", jpegWithAPP1(t, append([]byte("Exif\x00\x00"), block[:40]...))},
		{"bad byte order", jpegWithAPP1(t, []byte("Exif\x00\x00XX*\x00\x08\x00\x00\x00"))},
		{"segment length past end", []byte{0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 'E', 'x'}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, _ := Metadata(tt.data) // an error is fine; a panic is not
			for k, v := range meta {
				if !utf8.ValidString(v) {
					t.Errorf("%s: invalid UTF-8", k)
				}
			}
		})
	}
}

// FuzzEXIF feeds arbitrary bytes, and corruptions of a real EXIF JPEG, to
// Metadata: no panic, valid UTF-8, values capped, known keys only.
func FuzzEXIF(f *testing.F) {
	block := exifTIFF(testCamera)
	f.Add(jpegWithAPP1(f, append([]byte("Exif\x00\x00"), block...)))
	f.Add(pngWithEXIF(f, block))
	f.Add(block)
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPEXIF\x08\x00\x00\x00II*\x00\x08\x00\x00\x00"))
	known := map[string]bool{KeyMake: true, KeyModel: true, KeySoftware: true, KeyDateTime: true,
		KeyDateTimeOriginal: true, KeyOffsetTime: true, KeyGPSLat: true, KeyGPSLon: true, KeyGPSAlt: true}
	f.Fuzz(func(t *testing.T, b []byte) {
		meta, _ := Metadata(b)
		for k, v := range meta {
			if !known[k] {
				t.Fatalf("unknown key %q", k)
			}
			if !utf8.ValidString(v) || len(v) > maxEXIFValue {
				t.Fatalf("%s: bad value %q", k, v)
			}
		}
	})
}
