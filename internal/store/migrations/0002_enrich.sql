-- Per-document translation (the English gist) by backend.
CREATE TABLE doc_translations (
  doc      TEXT NOT NULL REFERENCES documents(id),
  backend  TEXT NOT NULL,
  text     TEXT NOT NULL,
  PRIMARY KEY(doc, backend)
);

-- Entity mentions with byte offsets into the document text.
CREATE TABLE entities (
  doc    TEXT NOT NULL REFERENCES documents(id),
  kind   TEXT NOT NULL,
  value  TEXT NOT NULL,
  norm   TEXT NOT NULL,
  start  INTEGER NOT NULL,
  end    INTEGER NOT NULL
);
CREATE INDEX entities_doc ON entities(doc);
CREATE INDEX entities_kind_norm ON entities(kind, norm);

-- Analysis results recomputed as a whole (targets, chats), stored as JSON.
CREATE TABLE analyses (
  name        TEXT PRIMARY KEY,
  version     INTEGER NOT NULL,
  data        TEXT NOT NULL,
  computed_at INTEGER NOT NULL
);
