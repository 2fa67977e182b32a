-- Schema 1: one partner's vault. Every table lives inside SQLCipher, the FTS index included.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The current (winning) version of each entry. rowid is the FTS key; id is time-ordered (UUIDv7).
CREATE TABLE entries (
    rowid      INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created    TEXT NOT NULL,
    updated    TEXT NOT NULL,
    visibility TEXT NOT NULL,
    sort_at    TEXT NOT NULL,
    title      TEXT NOT NULL,
    fields     TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    editor     TEXT NOT NULL
);
CREATE INDEX entries_timeline ON entries (sort_at DESC, rowid DESC);
CREATE INDEX entries_kind ON entries (kind, sort_at DESC);

-- Every version ever stored; an edit adds a row, nothing here is updated or deleted.
-- (revision, editor) orders concurrent versions deterministically: higher revision wins, then editor.
CREATE TABLE revisions (
    entry_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    editor   TEXT NOT NULL,
    updated  TEXT NOT NULL,
    fields   TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision, editor)
) WITHOUT ROWID;

-- Agreement acceptance: one row per person per version (identified by a digest of its wording).
CREATE TABLE acceptances (
    entry_id    TEXT NOT NULL,
    digest      TEXT NOT NULL,
    person      TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, digest, person)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE entries_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
