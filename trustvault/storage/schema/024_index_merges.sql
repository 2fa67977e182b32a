-- Schema 24: the full-text index merges its segments eight at a time instead of four. Every
-- write transaction adds a segment, and FTS5 merges a level's segments once it holds
-- "automerge" of them; at 4 each indexed text is rewritten about twice as often as at 8. An
-- initial sync of 10,000 entries (5 transactions) spent 22-38 ms merging at 4 (bench
-- sync_apply); applying it took 425 ms instead of 458 at 8. A search of 20,000 entries written
-- ten at a time (2,000 transactions, so the most segments) took the same time at 4 and 8
-- (8.7 and 8.4 ms for the commonest word). Withdrawals still optimize the index whole
-- (trustvault/storage/erasure.py), so no deleted text waits for a merge.
INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 8);
