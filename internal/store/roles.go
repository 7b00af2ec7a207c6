package store

import (
	"context"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// The store's roles. Each stage needs a few of them, not the whole
// database: ingest records documents and stage state, the enrichment
// stages read texts and write entities and results, the analyses read
// results, the readers read. A second backend (PostgreSQL) implements the
// same roles and passes the same conformance suite (storetest), as
// restic's backends pass its backend tests.

// Documents are the contents found (one per hash), every place each was
// found, and what extraction got out of them.
type Documents interface {
	// Found records occurrence o of a content of size bytes; created
	// says the content is new, done that stage finished for it at
	// version (a duplicate needs no extraction).
	Found(ctx context.Context, size int64, o Occurrence, stage string, version int) (created, done bool, err error)
	// FinishExtract stores an extraction's outcome, with e.Occ, in one
	// transaction.
	FinishExtract(ctx context.Context, id leak.ID, e Extracted) (created bool, err error)
	PutOccurrence(ctx context.Context, o Occurrence) error
	LookupOccurrence(ctx context.Context, root, path string) (Occurrence, bool, error)
	Document(ctx context.Context, id leak.ID) (DocInfo, error)
	Documents(ctx context.Context, f DocFilter) ([]DocInfo, error)
	// Resolve turns a full hash, a unique prefix or a path into an ID.
	Resolve(ctx context.Context, ref string) (leak.ID, error)
	Text(ctx context.Context, id leak.ID) (string, []Page, error)
	Artifact(ctx context.Context, id leak.ID, name string) ([]byte, error)
	ForEachText(ctx context.Context, fn func(d DocInfo, text string) error) error
	AllPaths(ctx context.Context, id leak.ID) ([]string, error)
	AllPathsByDoc(ctx context.Context) (map[leak.ID][]string, error)
	Problems(ctx context.Context) ([]Occurrence, error)
}

// Stages is the per-document state of every stage: what ran, at which
// version, with what outcome.
type Stages interface {
	SetStage(ctx context.Context, id leak.ID, stage string, version int, status, errMsg string, d time.Duration) error
	StageDone(ctx context.Context, id leak.ID, stage string, version int) (bool, error)
	MarkStageOK(ctx context.Context, stage string, version int, marks []StageMark) error
	ResetStage(ctx context.Context, stage string, failedOnly bool) (int64, error)
	ResetStageFor(ctx context.Context, stage string, ids []leak.ID) (int64, error)
	PendingStage(ctx context.Context, stage string, version int, after string, limit int) ([]leak.ID, error)
	CountPendingStage(ctx context.Context, stage string, version int) (int64, error)
	StageStats(ctx context.Context) ([]StageStat, error)
}

// Entities are the entity mentions of each document.
type Entities interface {
	PutEntities(ctx context.Context, id leak.ID, ms []Mention) error
	DocEntities(ctx context.Context, id leak.ID) ([]Mention, error)
	Entities(ctx context.Context, kind string) ([]EntitySummary, error)
}

// Analyses are the per-document results the analyses combine, and the
// case-wide results readers read.
type Analyses interface {
	PutDocResult(ctx context.Context, id leak.ID, name string, version int, v any) error
	DocResults(ctx context.Context, name string, version int, fn func(DocResult) error) error
	ChangedDocResults(ctx context.Context, name string, since int64) ([]leak.ID, error)
	ResultSeq(ctx context.Context, name string) (int64, error)
	PutAnalysis(ctx context.Context, name string, version int, v any) error
	Analysis(ctx context.Context, name string, v any) (version int, err error)
	AnalysisStamp(ctx context.Context, name string) (stamp int64, version int, err error)
	Generation(ctx context.Context) (string, error)
}

// Translations are each document's English and the segment cache.
type Translations interface {
	PutTranslation(ctx context.Context, id leak.ID, backend, text string) error
	Translation(ctx context.Context, id leak.ID, backend string) (string, string, error)
	TranslationCache() SegmentCache
}

// Backend is a whole store: every role, and its lifecycle.
type Backend interface {
	Documents
	Stages
	Entities
	Analyses
	Translations
	SchemaVersion(ctx context.Context) (int, error)
	Close() error
}

var _ Backend = (*Store)(nil)
