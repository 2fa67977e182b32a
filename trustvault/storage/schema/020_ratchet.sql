-- Schema 20: forward secrecy for protocol v2 envelopes (crypto/ratchet.py, PROTOCOL.md §4b).
-- Each device keeps its side of the pair's Double Ratchet: the root, the sending chain (key and
-- index), the receiving chains of envelopes still in flight, its own ephemeral (the private only
-- until the partner answers it) and the partner's latest public, packed by
-- crypto.ratchet.RatchetState.pack (one row; pair_id says which pairing it belongs to, so a new
-- pairing never continues an old one). For the three-day rule: ``used`` counts the local days
-- this device synced on under this pairing (``last_day`` the latest), ``stepped`` is that count
-- when it last made an ephemeral (-1: never).
CREATE TABLE ratchet (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    pair_id   BLOB NOT NULL,
    state     BLOB NOT NULL,
    stepped   INTEGER NOT NULL DEFAULT -1,
    used      INTEGER NOT NULL DEFAULT 0,
    last_day  TEXT NOT NULL DEFAULT ''
);
-- The message key of each envelope this device sealed that the partner has not confirmed: a
-- withdrawal re-seals it under the same key and ratchet field (a newer generation of the same
-- envelope). Deleted (secure_delete, then the log erased) once a receipt covers first_seq (a
-- receipt confirms whole envelopes: covering its first op, it covers all of them).
CREATE TABLE ratchet_sent_keys (
    first_seq    INTEGER PRIMARY KEY,
    message_key  BLOB NOT NULL,
    field        BLOB NOT NULL
);
-- Every ratchet public either device used in this pairing: a public seen once is never stepped
-- on again, so an old receipt a medium puts back cannot move the root.
CREATE TABLE ratchet_seen (
    public BLOB PRIMARY KEY
) WITHOUT ROWID;
