// Package image extracts raster images: dimensions, EXIF and OCR text.
//
// # Metadata
//
// Width and height come from the header alone (image.DecodeConfig), so a
// decompression bomb (more than Limits.MaxPixels declared, or more bytes
// once decoded than that many RGBA pixels: see ocr.CheckSize) is refused
// with a *extract.LimitError before a pixel is decoded. EXIF is found by walking
// the container (JPEG APP1 "Exif", PNG eXIf, WebP EXIF, TIFF itself) and
// decoded with goexif; EXIF 2.31 offset tags goexif predates are read from
// the EXIF sub-IFD directly. GPS becomes signed decimal degrees rounded to
// 1e-5 (about a metre) and altitude metres. Dates are kept verbatim
// ("2021:09:03 14:02:00"): EXIF has no zone, exif.offset_time has it.
//
// # OCR
//
// The pixels go to internal/ocr; the result is one extract.Page (number
// 1, OCR true, mean confidence) and the tesseract TSV attached as
// "ocr.tsv" for the chat parser. Without tesseract or a language, the
// document keeps its metadata and is flagged ocr-unavailable (one warning
// per run, not per file). OCR has its own Limits.ToolTimeout (an image
// inside a document does not share its container's deadline); running out
// flags the image ocr-timeout and keeps its metadata.
package image
