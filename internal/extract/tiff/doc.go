// Package tiff extracts TIFF scans page by page. golang.org/x/image/tiff,
// which the image extractor decodes with, reads only the first page and no
// JPEG compression, so a 40-page fax or a JPEG-compressed office scan lost
// every page but one, or all of them.
//
// # Page
//
// One image file directory (IFD) of the file's chain. Each page is made a
// single-page image in the private temporary directory and handed to the
// image extractor, so that limits, OCR and metadata behave as for any
// image:
//
//   - a page golang.org/x/image/tiff reads (uncompressed, CCITT G3/G4,
//     LZW, Deflate, PackBits) is decoded through a view of the file whose
//     header points at that IFD and whose IFD points at no next one, and
//     written as PNG; a file of one page is handed over as it is;
//   - a JPEG-compressed page (compression 7, strips or tiles, with shared
//     JPEGTables, or old-style 6 with an interchange stream) is decoded
//     here and written as PNG.
//
// Page n's OCR is page n of the document; its word boxes are attached as
// "ocr.tsv" for page 1 (as for any image) and "ocr-p<n>.tsv" after it, as
// the PDF extractor names them. Metadata comes from page 1, plus "pages".
//
// # Bounds
//
// At most MaxPages pages (Limits.MaxEntries when lower) are read, the IFD
// chain is followed once (a loop ends it), and a page declaring more than
// the pixel limit is refused before any pixel is allocated.
package tiff
