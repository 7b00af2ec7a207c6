package enrich

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract/binstrings"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/store"
)

// Lang detects each document's dominant language. Mail is judged by its
// body (the header block is English whatever the mail's language), and a
// container without text of its own (a mail box, an archive) takes the
// dominant language of its members.
type Lang struct{}

var _ ingest.Stage = Lang{}

func (Lang) Name() string { return "lang" }

// Version 3: text of the printable-strings fallback is no longer labelled.
func (Lang) Version() int { return 3 }

func (Lang) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	if !hasProse(d.Info) {
		return c.Store.SetLanguage(ctx, d.Info.ID, "")
	}
	text := d.Text
	if d.Info.MIME == sniff.EML || d.Info.MIME == sniff.MSG {
		if _, body, ok := strings.Cut(text, "\n\n"); ok && strings.TrimSpace(body) != "" {
			text = body
		}
	}
	l := lang.Detect(text)
	// OCR of photos and screenshots turns noise into short Latin "words"
	// far more often than into Chinese characters: when an OCR'd text has
	// a few Han characters, they say more about its language than the
	// Latin noise does.
	if d.Info.OCR && l != "" && !strings.HasPrefix(l, "zh") && l != "ja" {
		if han := hanOnly(text); utf8.RuneCountInString(han) >= 5 {
			if hl := lang.Detect(han); strings.HasPrefix(hl, "zh") {
				l = hl
			}
		}
	}
	if l == "" && strings.TrimSpace(text) == "" {
		sample, err := c.Store.MemberSample(ctx, d.Info.ID, 20, 4096)
		if err != nil {
			return err
		}
		l = lang.Detect(sample)
	}
	return c.Store.SetLanguage(ctx, d.Info.ID, l)
}

// hasProse reports whether a document's text is written language that a
// language label and a translation can describe. The printable-strings
// fallback is not: the runs it pulls out of an unknown binary (a PST, a
// CAB, compressed data) are mostly chance bytes, and decoded as UTF-8 or
// UTF-16 they look like Han or kana often enough to be labelled Chinese
// or Japanese and sent to the translator. Such text stays searchable for
// names and IOCs, with no label ("" is unknown) and no translation.
func hasProse(info store.DocInfo) bool {
	return info.Extractor != binstrings.Name
}

func hanOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
