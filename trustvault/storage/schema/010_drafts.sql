-- Schema 10: what the person was writing when the vault locked, kept so it can come back.
-- A draft is this device's alone: it never becomes an op and never syncs, and it lives here,
-- inside SQLCipher, because a temp file or the app's settings would hold it in plaintext.
-- entry_id and base_revision name the entry being edited and the revision the editor opened
-- (NULL for a new entry); fields are the editor's raw values (JSON, not yet validated: a
-- draft may be half-written); visibility is the one chosen for a new entry. kept_at is UTC ISO.
CREATE TABLE drafts (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    entry_id       TEXT,
    base_revision  INTEGER,
    fields         TEXT NOT NULL,
    visibility     TEXT,
    kept_at        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX drafts_by_entry ON drafts (entry_id);
