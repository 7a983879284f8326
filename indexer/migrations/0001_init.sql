-- One schema for SQLite and PostgreSQL. Amounts are u128: they are stored as
-- 40-digit zero-padded decimal text, exact in both databases and ordered as text.
-- Accounts are lower-case hex without 0x.

-- Where indexing stands: the last block committed (with every event up to it)
-- and the finalized head the indexer last saw. One row.
CREATE TABLE checkpoint (
    id BIGINT PRIMARY KEY,
    block_number BIGINT NOT NULL,
    block_hash TEXT NOT NULL,
    finalized_head BIGINT NOT NULL
);

-- Every ContractEmitted of our contracts, raw, exactly once: the mirror.
CREATE TABLE events (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    extrinsic_index BIGINT,
    contract TEXT NOT NULL,
    name TEXT NOT NULL,
    topics TEXT NOT NULL,
    data TEXT NOT NULL,
    performer TEXT,
    PRIMARY KEY (block_number, event_index)
);
CREATE INDEX events_by_performer ON events (performer, block_number, event_index);
CREATE INDEX events_by_name ON events (name, block_number, event_index);

CREATE TABLE tips (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    tip_id BIGINT NOT NULL,
    viewer TEXT NOT NULL,
    performer TEXT NOT NULL,
    token TEXT,
    gross TEXT NOT NULL,
    platform_fee TEXT NOT NULL,
    treasury TEXT NOT NULL,
    splits TEXT NOT NULL,
    net TEXT NOT NULL,
    memo TEXT,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (block_number, event_index)
);
CREATE INDEX tips_by_performer ON tips (performer, block_number, event_index);
CREATE INDEX tips_by_viewer ON tips (viewer, block_number, event_index);

-- Registered performers: the registry's public part (commitments only).
CREATE TABLE performers (
    account TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    max_platform_fee_bps BIGINT NOT NULL,
    splits TEXT NOT NULL,
    adult_verifier TEXT,
    registered_block BIGINT NOT NULL
);

-- Totals received (LIVE tips and native tips kept apart: different units).
CREATE TABLE performer_totals (
    account TEXT NOT NULL,
    token TEXT NOT NULL,
    tip_count BIGINT NOT NULL,
    gross TEXT NOT NULL,
    net TEXT NOT NULL,
    supporters BIGINT NOT NULL,
    last_tip_ms BIGINT NOT NULL,
    PRIMARY KEY (account, token)
);
CREATE INDEX performer_totals_by_gross ON performer_totals (token, gross);

CREATE TABLE viewer_totals (
    account TEXT NOT NULL,
    token TEXT NOT NULL,
    tip_count BIGINT NOT NULL,
    gross TEXT NOT NULL,
    PRIMARY KEY (account, token)
);

-- Who supported whom, to count distinct supporters.
CREATE TABLE supporters (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    token TEXT NOT NULL,
    gross TEXT NOT NULL,
    PRIMARY KEY (performer, viewer, token)
);

-- Tips per performer per hour, for windowed leaderboards without scanning tips.
CREATE TABLE performer_hourly (
    performer TEXT NOT NULL,
    token TEXT NOT NULL,
    hour BIGINT NOT NULL,
    tip_count BIGINT NOT NULL,
    gross TEXT NOT NULL,
    PRIMARY KEY (performer, token, hour)
);
CREATE INDEX performer_hourly_by_hour ON performer_hourly (token, hour);

-- Rating inputs: the formula's O(1) state per performer, as the contract keeps it.
CREATE TABLE rating_params (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL,
    min_tip TEXT NOT NULL,
    half_life_ms BIGINT NOT NULL,
    prior_stars_milli BIGINT NOT NULL,
    prior_weight BIGINT NOT NULL,
    support_half_saturation TEXT NOT NULL,
    star_weight_bps BIGINT NOT NULL
);

CREATE TABLE rating_scores (
    performer TEXT PRIMARY KEY,
    score_id BIGINT NOT NULL,
    support TEXT NOT NULL,
    support_updated_ms BIGINT NOT NULL,
    star_count BIGINT NOT NULL,
    star_sum BIGINT NOT NULL
);

CREATE TABLE rating_supporters (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    score_id BIGINT NOT NULL,
    tipped TEXT NOT NULL,
    stars BIGINT,
    support TEXT NOT NULL,
    support_updated_ms BIGINT NOT NULL,
    PRIMARY KEY (performer, viewer)
);
