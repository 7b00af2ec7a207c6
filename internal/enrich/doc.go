// Package enrich holds the stages that run on each extracted document after
// ingest: language detection, translation, entity extraction and
// indexing. Each is an ingest.Stage with a version; bumping the version
// re-runs it on every document, and a finished document is never redone.
package enrich
