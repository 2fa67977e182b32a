-- Schema 9: a tombstone says whether its author withdrew the entry (they may share it again)
-- or deleted it (for good: a later version of it is refused). The content is gone either way.
ALTER TABLE withdrawals ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
