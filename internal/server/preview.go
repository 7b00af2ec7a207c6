package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/leak"
)

// maxPreviewPage bounds the page number a client may ask for.
const maxPreviewPage = 100_000

// maxPreviewPages is how many page images the document view shows; the
// rest are one click away by page number.
const maxPreviewPages = 30

// pngMagic starts every PNG file.
var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// handlePreview serves page n of a PDF as a PNG rendered by the backend.
// The bytes come from a child process that read a leaked file, so they
// are checked to be a PNG and served as image/png only, with nosniff
// (set for every response) and a sandboxing CSP should anyone open the
// image URL directly.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) error {
	id, err := docID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("n"), ".png"))
	if err != nil || n < 1 || n > maxPreviewPage {
		return fmt.Errorf("page must be a number from 1 to %d: %w", maxPreviewPage, ErrInvalid)
	}
	img, err := s.be.Preview(r.Context(), id, n)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(img, pngMagic) {
		return fmt.Errorf("preview of %s page %d is not a PNG", id[:12], n)
	}
	s.auditf(r, "preview_page", "doc", id, "page", n)
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(img)))
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Security-Policy", "default-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox")
	_, err = w.Write(img)
	return err
}

// previewPages lists the page numbers the document view shows as images:
// one per extracted page of a PDF (page 1 when the text has no pages),
// at most maxPreviewPages.
func previewPages(d Document, t *Text) (pages []int, more int) {
	if d.MIME != "application/pdf" || d.Status != leak.StatusOK && d.Status != "empty" {
		return nil, 0
	}
	n := 1
	if t != nil && len(t.Pages) > 0 {
		n = 0
		for _, p := range t.Pages {
			n = max(n, p.N)
		}
	}
	for i := 1; i <= min(n, maxPreviewPages); i++ {
		pages = append(pages, i)
	}
	return pages, max(0, n-maxPreviewPages)
}
