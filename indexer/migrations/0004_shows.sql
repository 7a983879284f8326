-- Private shows (issue 12): the performers' terms, every show with its running sums,
-- and each show event in chain order (the history of a show and the live feed).
-- Amounts are 40-digit zero-padded decimal text, as everywhere.

CREATE TABLE show_terms (
    performer TEXT PRIMARY KEY,
    price_per_minute TEXT NOT NULL,
    available BIGINT NOT NULL,
    changed_block BIGINT NOT NULL
);

-- One row per show; `ended_block` is NULL while it runs. `paid` is the gross paid
-- out of the deposit so far, `net` what reached the performer.
CREATE TABLE shows (
    show_id BIGINT PRIMARY KEY,
    viewer TEXT NOT NULL,
    performer TEXT NOT NULL,
    price_per_minute TEXT NOT NULL,
    fee_bps BIGINT NOT NULL,
    burn_bps BIGINT NOT NULL,
    deposit TEXT NOT NULL,
    paid TEXT NOT NULL,
    platform_fee TEXT NOT NULL,
    burned TEXT NOT NULL,
    net TEXT NOT NULL,
    refunded TEXT NOT NULL,
    opened_block BIGINT NOT NULL,
    opened_at_ms BIGINT NOT NULL,
    ended_block BIGINT,
    ended_at_ms BIGINT,
    ended_by TEXT,
    billed_seconds BIGINT
);
CREATE INDEX shows_by_viewer ON shows (viewer, show_id);
CREATE INDEX shows_by_performer ON shows (performer, show_id);

-- `kind`: opened | topped_up | paid | ended. `amount`: the deposit, the top-up, the
-- gross paid, the refund; `net`: what reached the performer (paid only, else 0).
CREATE TABLE show_events (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    show_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    viewer TEXT NOT NULL,
    performer TEXT NOT NULL,
    amount TEXT NOT NULL,
    net TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (block_number, event_index)
);
CREATE INDEX show_events_by_show ON show_events (show_id, block_number, event_index);
