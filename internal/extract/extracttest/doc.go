// Package extracttest helps test extractors: a recording Sink and a
// conformance check every extractor is run through, as restic runs every
// backend through one suite.
//
// # Recorder
//
// A Recorder is an extract.Sink that keeps everything in memory: the text,
// pages, metadata, flags, attachments and children (with their bodies read
// fully). It can play the pipeline's part in limits: MaxChildren and
// MaxChildBytes make Child return a *extract.LimitError the way the ingest
// pipeline does, so that an extractor's reaction to a limit can be tested
// without the pipeline.
//
// # Check
//
// Check runs an extractor over sample files and asserts the contract of
// extract.Extractor that holds for every format:
//
//   - Name and Accepts are non-empty and Accepts has no duplicates;
//   - extraction of each sample succeeds without panicking, and is
//     deterministic (two runs record the same output);
//   - text, page text and metadata values are valid UTF-8, flags are
//     non-empty lower-case words, children have a name and either a reader
//     or a link target, never both;
//   - an already cancelled context makes Extract return an error wrapping
//     context.Canceled;
//   - cancelling the context while children are being emitted stops the
//     extractor with an error;
//   - a *extract.LimitError returned from Child is returned (wrapped or
//     not) and Child is not called again;
//   - truncated copies of each sample never panic and never hang.
package extracttest
