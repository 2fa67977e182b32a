-- Schema 9: why a partner's entry became a tombstone. 'withdrawn': its author took it back and
-- may give it again; 'closed': its author asked, closing the shared space, that this device
-- delete what they wrote, and the cooling-off passed (trustvault/sync/closing.py).
ALTER TABLE withdrawals ADD COLUMN reason TEXT NOT NULL DEFAULT 'withdrawn';
