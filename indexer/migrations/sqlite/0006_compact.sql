-- Ingest at a million viewers (issue 20), SQLite's half of migration 6 (PostgreSQL's
-- is `../postgres/0006_compact.sql`; both leave the same columns).
--
-- 1. A raw event's topics and data are bytes, not hex: half the size of the largest
--    table, and nothing to encode per event. `topics` is the topics, 32 bytes each,
--    end to end.
-- 2. The derived tables keyed by accounts are `WITHOUT ROWID`: their primary key is
--    the table, where a rowid table keeps the rows and a second B-tree for the key.
--    A tip inserts at a random place of `supporters` and `rating_supporters`; at a
--    million viewers those pages are the ingest's cost, and this halves them.
-- Rows are copied, not re-indexed from the chain.

CREATE TABLE events_v6 (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    extrinsic_index BIGINT,
    contract TEXT NOT NULL,
    name TEXT NOT NULL,
    topics BLOB NOT NULL,
    data BLOB NOT NULL,
    performer TEXT,
    PRIMARY KEY (block_number, event_index)
);
INSERT INTO events_v6
SELECT block_number, event_index, extrinsic_index, contract, name,
       unhex(replace(topics, ',', '')), unhex(data), performer
FROM events;
DROP TABLE events;
ALTER TABLE events_v6 RENAME TO events;
CREATE INDEX events_by_performer ON events (performer, block_number, event_index);
CREATE INDEX events_by_name ON events (name, block_number, event_index);

CREATE TABLE supporters_v6 (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    token TEXT NOT NULL,
    PRIMARY KEY (performer, viewer, token)
) WITHOUT ROWID;
INSERT INTO supporters_v6 SELECT performer, viewer, token FROM supporters;
DROP TABLE supporters;
ALTER TABLE supporters_v6 RENAME TO supporters;

CREATE TABLE rating_supporters_v6 (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    stake TEXT NOT NULL,
    stars BIGINT,
    PRIMARY KEY (performer, viewer)
) WITHOUT ROWID;
INSERT INTO rating_supporters_v6
SELECT performer, viewer, epoch, stake, stars FROM rating_supporters;
DROP TABLE rating_supporters;
ALTER TABLE rating_supporters_v6 RENAME TO rating_supporters;

CREATE TABLE performer_hourly_v6 (
    performer TEXT NOT NULL,
    token TEXT NOT NULL,
    hour BIGINT NOT NULL,
    tip_count BIGINT NOT NULL,
    gross TEXT NOT NULL,
    PRIMARY KEY (performer, token, hour)
) WITHOUT ROWID;
INSERT INTO performer_hourly_v6
SELECT performer, token, hour, tip_count, gross FROM performer_hourly;
DROP TABLE performer_hourly;
ALTER TABLE performer_hourly_v6 RENAME TO performer_hourly;
CREATE INDEX performer_hourly_by_hour ON performer_hourly (token, hour);
