-- Schema 7: the highest generation seen of each of the partner's envelopes, by first sequence.
-- A withdrawal re-seals an envelope with its content redacted under a higher generation; since
-- redaction keeps the op digests, the chain cannot tell the old copy from the new one. Once a
-- newer generation has been seen, an older copy a medium puts back is refused, never applied.
-- Only generations above 0 are stored (no row: 0).
CREATE TABLE received_generation (
    seq        INTEGER PRIMARY KEY,
    generation INTEGER NOT NULL
);
