// Package pdf extracts PDFs with poppler's command-line tools, run as
// child processes through internal/tool so a hostile file can fail or hang
// only its own document.
//
// # Text layer
//
// `pdftotext -layout -enc UTF-8` in one run; its output is split on the
// form feed that ends every page, one extract.Page per PDF page. Layout
// mode keeps table columns apart, which matters for target lists.
//
// # Metadata
//
// `pdfinfo -isodates -enc UTF-8` gives title, author, creator, producer,
// created, modified (ISO 8601), pages, pdf.version and the encrypted flag.
//
// # Scanned pages
//
// A page whose text layer has fewer than MinTextRunes visible characters
// is rasterised with `pdftoppm -r 150 -gray` and OCR'd by internal/ocr;
// the page is marked OCR with its confidence and its TSV attached as
// "ocr-p<n>.tsv". At most MaxOCRPages pages per document are OCR'd
// (flag ocr-capped, meta ocr.pages_skipped). A document with no text layer
// at all is flagged no-text-layer.
//
// # Page size
//
// A page costs a few bytes to declare and width x height pixels to
// rasterise, so each page to OCR is first sized with `pdfinfo -box`. One
// that would exceed Limits.MaxPixels at 150 DPI is rendered at a lower
// resolution (flag page-downscaled), or not at all below MinRenderDPI
// (flag page-too-large, meta ocr.pages_too_large). Each page's OCR has
// its own Limits.ToolTimeout, not what is left of the document's parse
// deadline; a page that runs out is flagged ocr-timeout (meta
// ocr.pages_timeout) and the document keeps its other pages.
//
// # Damaged files
//
// If pdfinfo cannot open the file and pdftotext yields nothing, Extract
// fails with poppler's last message. If pdftotext still salvages text, it
// is kept and the document flagged corrupt. Every run has the
// Limits.ToolTimeout and the Limits.ToolMemory address-space cap; a tool
// stopped by the cap fails the document with tool.ErrMemory.
package pdf
