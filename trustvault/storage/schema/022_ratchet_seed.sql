-- Schema 22: the ratchet's seed (PROTOCOL.md §4b). A pairing by the long code, or a move from v1
-- envelopes, agrees the seed of the pair's first ratchet state by X25519 of two ephemerals, one
-- from each device; a device keeps its ephemeral here only until the partner's public arrived
-- and the first state is stored, then the secret is deleted (secure_delete, then the log erased).
-- One row per purpose:
--   join      the joiner's ephemeral for the inviter whose long-term public is ``peer``, until
--             the answer comes (a join cancelled and made again to the same inviter reuses it,
--             so an inviter that paired under the first request still agrees the same seed);
--   answer    the inviter's public sent in its yes (``peer``: the joiner's ephemeral public it
--             answered), kept without a secret while paired, to answer a repeated request alike;
--   announce  this device's public in its ``V`` announcement (``peer``: the pair id), with the
--             secret until the partner's ``V`` was applied.
CREATE TABLE ratchet_seed (
    purpose  TEXT PRIMARY KEY CHECK (purpose IN ('join', 'answer', 'announce')),
    peer     BLOB NOT NULL,
    public   BLOB NOT NULL,
    secret   BLOB NOT NULL DEFAULT X''
) WITHOUT ROWID;
