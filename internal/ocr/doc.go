// Package ocr runs tesseract on images and chooses, per image, the
// preprocessing, language set and page segmentation mode.
//
// # Recognizer
//
// Recognizer is the seam the image and PDF extractors call: Engine (this
// package, tesseract) and paddle.Engine (PP-OCRv4 on ONNX Runtime) both
// implement it, and package engines chooses between them per case. Each
// Result names its engine and model, which the extractors record per
// document (MetaEngine, MetaModel), and carries a TSV in tesseract's
// shape whichever engine made it.
//
// # Engine
//
// An Engine runs tesseract as a child process through internal/tool, with
// OMP_THREAD_LIMIT=1 (tesseract's own threading made a 1280x800 image take
// 7-8 s instead of ~1 s on two cores) and a tool.Limiter of NumCPU slots
// shared by every Engine unless one is injected: parallelism comes from
// running one single-threaded tesseract per core.
//
// # Strategy
//
// Measured on leak-sample (17 OCR files, character recall with whitespace
// removed and NFKC folding; see ocreval):
//
//   - Grayscale first: colour chat bubbles lose their text in tesseract's
//     binarisation. JPEG input also gets a 3x3 median filter (photos of
//     paper 0.77 -> 0.81 raw recall); upscaling was tried and rejected.
//   - --psm 6 (one uniform block): the default psm 3 scrambles chat lines.
//   - chi_sim+eng first. Each Chinese model transliterates the other
//     script into its own, so the first pass's characters cannot reveal
//     Traditional text; the confidence can. The Traditional probe runs
//     chi_tra+eng on up to six of the most Han-rich lines, stacked into a
//     small image (~0.3 s), and re-runs the page with chi_tra+eng when it
//     beats chi_sim's confidence on those lines by more than 4 points
//     (leak-sample: +14 on the Traditional screenshot, -1.5 to -25 on every
//     Simplified image). A first pass that already shows Traditional-only
//     characters (when configured with chi_sim+chi_tra) switches directly.
//   - A first pass with (almost) no Han characters is re-run with eng: the
//     Chinese models drop spaces between English words. Text is never
//     "fixed"; Result.GluedLatin counts run-together words.
//   - Below 60 mean confidence, psm 4 is tried and the more confident pass
//     kept.
//
// # Result
//
// Text rebuilt from the chosen pass's TSV (no spaces next to CJK, blank
// line between blocks), mean word confidence, the languages and psm
// chosen, and the TSV bytes verbatim for the chat parser's word boxes.
package ocr
