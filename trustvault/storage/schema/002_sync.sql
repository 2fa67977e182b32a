-- Schema 2: pairing and end-to-end encrypted sync (see PROTOCOL.md).

-- Pending invites made on this device; the secret is deleted once used or expired.
CREATE TABLE invites (
    pair_id  TEXT PRIMARY KEY,
    secret   BLOB,
    expires  TEXT NOT NULL,
    used_at  TEXT
) WITHOUT ROWID;

-- Ops this device sends, by per-device sequence number. op is NULL once redacted (revoked before
-- the partner confirmed it); digest stays, so the partner's hash chain still verifies.
CREATE TABLE outbox_ops (
    seq      INTEGER PRIMARY KEY,
    entry_id TEXT,
    kind     TEXT NOT NULL,
    op       TEXT,
    digest   BLOB NOT NULL,
    chain    BLOB NOT NULL
);
CREATE INDEX outbox_ops_entry ON outbox_ops (entry_id);

-- Sealed envelopes in the transport, kept byte-identical so a re-put is idempotent.
CREATE TABLE outbox_envelopes (
    first_seq  INTEGER PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    name       TEXT NOT NULL UNIQUE,
    blob       BLOB NOT NULL
);

-- Blob names this device wrote that must leave the transport (superseded or confirmed).
CREATE TABLE obsolete_blobs (
    name TEXT PRIMARY KEY
) WITHOUT ROWID;

-- The hash chain of ops received from the partner: detects a rewritten or withheld past op.
CREATE TABLE received_chain (
    seq   INTEGER PRIMARY KEY,
    chain BLOB NOT NULL
);

-- Blobs already rejected, keyed by name#digest-of-bytes: counted once, re-read if repaired.
CREATE TABLE rejected_blobs (
    name   TEXT PRIMARY KEY,
    reason TEXT NOT NULL
) WITHOUT ROWID;

-- Delivery state of this device's entries: never shared (no row), pending, delivered, withdrawn.
CREATE TABLE sharing (
    entry_id     TEXT PRIMARY KEY,
    last_seq     INTEGER NOT NULL,
    delivered_at TEXT,
    withdrawn_at TEXT
) WITHOUT ROWID;

-- The partner withdrew these entries: content deleted here, the tombstone stays visible.
CREATE TABLE withdrawals (
    entry_id TEXT PRIMARY KEY,
    author   TEXT NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;

-- Acknowledgements ("read", "need_time") by a person of an entry.
CREATE TABLE responses (
    entry_id TEXT NOT NULL,
    person   TEXT NOT NULL,
    state    TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (entry_id, person)
) WITHOUT ROWID;

CREATE TABLE comments (
    id       TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    person   TEXT NOT NULL,
    text     TEXT NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX comments_entry ON comments (entry_id, at);
