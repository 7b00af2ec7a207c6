-- The translation cache, one row per (backend, source language, segment).
-- Earlier versions created it outside the migrations; IF NOT EXISTS keeps
-- those cases' rows.
CREATE TABLE IF NOT EXISTS translations (
  backend  TEXT NOT NULL,
  src_lang TEXT NOT NULL,
  seg_hash TEXT NOT NULL,
  source   TEXT NOT NULL,
  target   TEXT NOT NULL,
  created  TEXT NOT NULL,
  PRIMARY KEY (backend, src_lang, seg_hash)
);

-- Per-document results of the analyses (a document's target-table rows
-- and organisation mentions, its chat conversations). The case-wide
-- analyses combine them without reading any text again. seq grows with
-- every write (AUTOINCREMENT never reuses a value), so a combine can ask
-- for what changed since the last one.
CREATE TABLE doc_results (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  doc      TEXT NOT NULL REFERENCES documents(id),
  name     TEXT NOT NULL,
  version  INTEGER NOT NULL,
  data     BLOB NOT NULL,
  UNIQUE(doc, name)
);
CREATE INDEX doc_results_name_seq ON doc_results(name, seq);
