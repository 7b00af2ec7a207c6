-- Documents: one row per distinct content (sha256).
CREATE TABLE documents (
  id          TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  mime        TEXT NOT NULL DEFAULT '',
  language    TEXT NOT NULL DEFAULT '',
  ocr         INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'pending',
  error       TEXT NOT NULL DEFAULT '',
  extractor   TEXT NOT NULL DEFAULT '',
  flags       TEXT NOT NULL DEFAULT '[]',
  meta        TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL
);
CREATE INDEX documents_status ON documents(status);

-- Occurrences: every place a content was found. doc is NULL when the
-- member could not be stored (a link, a limit hit); error says why.
CREATE TABLE occurrences (
  id          INTEGER PRIMARY KEY,
  root        TEXT NOT NULL,
  path        TEXT NOT NULL,
  doc         TEXT REFERENCES documents(id),
  parent      TEXT,
  depth       INTEGER NOT NULL DEFAULT 0,
  commit_sha  TEXT NOT NULL DEFAULT '',
  mtime       INTEGER NOT NULL DEFAULT 0,
  size        INTEGER NOT NULL DEFAULT 0,
  flags       TEXT NOT NULL DEFAULT '[]',
  error       TEXT NOT NULL DEFAULT '',
  UNIQUE(root, path)
);
CREATE INDEX occurrences_doc ON occurrences(doc);
CREATE INDEX occurrences_parent ON occurrences(parent);

-- Extracted text, pages (JSON) and per-document artifacts such as OCR boxes.
CREATE TABLE texts (
  doc        TEXT PRIMARY KEY REFERENCES documents(id),
  text       TEXT NOT NULL,
  pages      TEXT NOT NULL DEFAULT '[]',
  truncated  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE artifacts (
  doc   TEXT NOT NULL REFERENCES documents(id),
  name  TEXT NOT NULL,
  data  BLOB NOT NULL,
  PRIMARY KEY(doc, name)
);

-- Stage state: a finished stage at the current version is skipped.
CREATE TABLE stages (
  doc         TEXT NOT NULL REFERENCES documents(id),
  stage       TEXT NOT NULL,
  version     INTEGER NOT NULL,
  status      TEXT NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  dur_ms      INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY(doc, stage)
);
CREATE INDEX stages_stage ON stages(stage, status);

-- Runs of ingest and other long commands, with their JSON summary.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  command     TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0,
  summary     TEXT NOT NULL DEFAULT '{}'
);
