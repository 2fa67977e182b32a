-- Schema 3: timeline keys in one form, YYYY-MM-DDTHH:MM:SS (UTC where a zone was given), so
-- "…T00:07Z" no longer sorts after "…T00:07:29Z" and "+05:00" times order with "Z" times.
-- SQLite's strftime reads the same ISO forms and applies the zone, as sort_key_of does.
UPDATE entries SET sort_at = coalesce(strftime('%Y-%m-%dT%H:%M:%S', sort_at), sort_at);
CREATE INDEX entries_author ON entries (author, sort_at DESC);
