-- Schema 14: the entries this device shared under a pairing that has ended, and with which
-- device. A new pairing starts its delivery records afresh (``sharing`` is emptied), but the
-- earlier partner's device still holds what it received: deleting such an entry later must
-- not say "nothing of it left this device", and must tell that device if it is paired again.
CREATE TABLE shared_before (
    entry_id  TEXT PRIMARY KEY,
    partner   TEXT NOT NULL
) WITHOUT ROWID;
