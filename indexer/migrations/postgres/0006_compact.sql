-- Ingest at a million viewers (issue 20), PostgreSQL's half of migration 6 (SQLite's
-- is `../sqlite/0006_compact.sql`; both leave the same columns).
--
-- A raw event's topics and data are bytes, not hex: half the size of the largest
-- table, and nothing to encode per event. `topics` is the topics, 32 bytes each,
-- end to end. (SQLite's half also drops the rowid of the derived tables keyed by
-- accounts; a PostgreSQL table is a heap beside its key's index either way.)

ALTER TABLE events
    ALTER COLUMN topics TYPE BYTEA USING decode(replace(topics, ',', ''), 'hex'),
    ALTER COLUMN data TYPE BYTEA USING decode(data, 'hex');
