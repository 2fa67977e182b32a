-- Schema 5: one home for each fact about the partner. Schema 4 kept them in three places of
-- meta (the sync.pair JSON, the partner_device_id and partner_name keys, sync.verified_partner),
-- written by different code at different moments, so they could disagree. Every statement on
-- these two tables is in trustvault/storage/pairing_store.py.

-- Who this vault paired with last: at most one row. It outlives an unpairing, so the partner's
-- entries keep their author's name and an agreement they accepted stays in force, and the key
-- verified last is compared with the key of the next pairing: "key changed" is verified_key
-- differing from the key of the pairing at hand (it is not stored, so it cannot go stale).
CREATE TABLE partner (
    one          INTEGER PRIMARY KEY CHECK (one = 1),
    device_id    TEXT,  -- NULL until a pairing completes (a joiner may verify the key first)
    name         TEXT,
    public_key   BLOB,  -- NULL also in a vault upgraded while unpaired: schema 4 forgot it
    verified_key BLOB,  -- the key compared aloud last, NULL until then
    first_paired TEXT,  -- set by the first pairing recorded here (NULL when upgraded)
    last_paired  TEXT   -- the latest pairing (NULL when upgraded)
);

-- The pairing in progress or in force: one row while inviting, joining or paired, none when
-- unpaired. Columns rather than the old JSON document: each value has its type (keys and chains
-- are BLOBs, not hex text), status and role are checked here, and an upgrade is plain SQL rather
-- than a rewrite of a document. Only the medium's spec stays JSON: its shape is the transport's
-- business (a folder path or relay credentials, trustvault/medium.py).
CREATE TABLE pairing (
    one            INTEGER PRIMARY KEY CHECK (one = 1),
    status         TEXT NOT NULL CHECK (status IN ('inviting', 'joining', 'paired')),
    role           TEXT NOT NULL CHECK (role IN ('inviter', 'joiner')),
    pair_id        BLOB NOT NULL,
    transport      TEXT NOT NULL,
    inviter_public BLOB NOT NULL,  -- joiner, while joining: the key its code named
    join_secret    BLOB NOT NULL,  -- joiner, while joining: the code's secret
    send_seq       INTEGER NOT NULL,
    send_chain     BLOB NOT NULL,
    packed_seq     INTEGER NOT NULL,
    recv_seq       INTEGER NOT NULL,
    recv_chain     BLOB NOT NULL,
    confirmed_seq  INTEGER NOT NULL,
    receipt_name   TEXT NOT NULL,
    receipt_blob   BLOB NOT NULL
);

-- The upgrade, in place: the partner from the JSON while paired, else from the keys an earlier
-- pairing left behind (the device and name, and the key last verified, which sync.verified_partner
-- holds more recently than the JSON). A joiner's JSON held the inviter's key as partner_public.
INSERT INTO partner (one, device_id, name, public_key, verified_key)
SELECT 1,
    CASE WHEN paired THEN coalesce(nullif(json_extract(pair, '$.partner_device'), ''), device_id)
        ELSE device_id END,
    CASE WHEN paired THEN coalesce(nullif(json_extract(pair, '$.partner_name'), ''), name)
        ELSE name END,
    CASE WHEN paired THEN unhex(json_extract(pair, '$.partner_public')) END,
    coalesce(unhex(nullif(verified, '')), unhex(nullif(json_extract(pair, '$.verified_public'), '')))
FROM (SELECT
    (SELECT value FROM meta WHERE key = 'sync.pair') AS pair,
    coalesce((SELECT json_extract(value, '$.status') = 'paired' FROM meta WHERE key = 'sync.pair'), 0)
        AS paired,
    (SELECT value FROM meta WHERE key = 'partner_device_id') AS device_id,
    (SELECT value FROM meta WHERE key = 'partner_name') AS name,
    (SELECT value FROM meta WHERE key = 'sync.verified_partner') AS verified)
WHERE pair IS NOT NULL OR device_id IS NOT NULL OR name IS NOT NULL OR verified IS NOT NULL;

INSERT INTO pairing (one, status, role, pair_id, transport, inviter_public, join_secret,
    send_seq, send_chain, packed_seq, recv_seq, recv_chain, confirmed_seq, receipt_name,
    receipt_blob)
SELECT 1, json_extract(value, '$.status'), json_extract(value, '$.role'),
    unhex(json_extract(value, '$.pair_id')), json_extract(value, '$.transport'),
    CASE json_extract(value, '$.status') WHEN 'joining'
        THEN unhex(coalesce(json_extract(value, '$.partner_public'), '')) ELSE x'' END,
    unhex(coalesce(json_extract(value, '$.join_secret'), '')),
    coalesce(json_extract(value, '$.send_seq'), 0),
    coalesce(unhex(json_extract(value, '$.send_chain')), zeroblob(32)),
    coalesce(json_extract(value, '$.packed_seq'), 0),
    coalesce(json_extract(value, '$.recv_seq'), 0),
    coalesce(unhex(json_extract(value, '$.recv_chain')), zeroblob(32)),
    coalesce(json_extract(value, '$.confirmed_seq'), 0),
    coalesce(json_extract(value, '$.receipt_name'), ''),
    unhex(coalesce(json_extract(value, '$.receipt_blob'), ''))
FROM meta WHERE key = 'sync.pair';

DELETE FROM meta WHERE key IN ('sync.pair', 'partner_device_id', 'partner_name',
    'sync.verified_partner');
