-- Schema 20: pairing by a short spoken code (trustvault/sync/pake_pairing.py). While an inviter
-- waits or a joiner answers with such a code, this holds that exchange's progress: the channel,
-- the expiry, the SPAKE2 side (it holds the code) until the peer's message arrives, then the
-- shared key and the peer's confirmed device id. Empty for the long code's pairings and once
-- paired: the key is forgotten as soon as the long-term keys have moved.
ALTER TABLE pairing ADD COLUMN pake BLOB NOT NULL DEFAULT x'';
