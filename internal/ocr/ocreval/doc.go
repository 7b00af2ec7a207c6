// Package ocreval scores OCR against ground truth: the evaluation of the
// image and PDF extractors over shared/corpus/leak-sample lives in its
// tests, and Compare is the metric.
//
// # Score
//
// Character recall is the longest common subsequence of truth and output
// over the truth's length; CER is their Levenshtein distance over the
// truth's length. Whitespace is removed from both first: OCR line breaks
// and the spaces Chinese models drop are not errors of content.
package ocreval
