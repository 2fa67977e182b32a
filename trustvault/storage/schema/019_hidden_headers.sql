-- Schema 19: protocol v2 envelopes (trustvault/sync/sealing.py, migration.py). seal_format is 1
-- until this device has seen that the partner reads v2 (its "V" announcement or any v2 blob),
-- then 2; partner_format is 2 once an authentic v2 blob of the partner's arrived (this device's
-- own announcement is then taken off the medium); v2_from is the first sequence number of the
-- partner's first v2 ops envelope applied here (0: none yet), from which a v1 one is refused.
-- announce_name is the random name of this device's announcement while it is out; receipt_seq
-- the sequence number the receipt out confirms (names are random now, so they cannot tell).
-- outbox_envelopes.bucket is the padded size of an envelope's first sealing: every later
-- generation pads to at least it, so a withdrawal is the size of an edit.
ALTER TABLE pairing ADD COLUMN seal_format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pairing ADD COLUMN partner_format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pairing ADD COLUMN v2_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pairing ADD COLUMN announce_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pairing ADD COLUMN receipt_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox_envelopes ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
