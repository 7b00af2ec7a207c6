-- Why a document is not ok, or an occurrence holds no stored content, as
-- a code (leak.Reason) beside the message: counted and shown by code,
-- never recovered from the message text. '' for ok and for rows written
-- before this version.
ALTER TABLE documents ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE occurrences ADD COLUMN reason TEXT NOT NULL DEFAULT '';
