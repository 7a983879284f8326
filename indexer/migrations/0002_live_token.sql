-- Version 2 of the contracts (issue 10): one contract, `live_token`, settles tips and
-- keeps the rating (rating-formula v2: burned stake, epoch-grown sums) in place of
-- the three contracts of 0001. Nothing indexed under 0001 describes a v2 deployment
-- (other addresses, other events), so the index starts afresh: the checkpoint goes
-- too, and the next run backfills from the deployment's start block.

DELETE FROM checkpoint;
DELETE FROM events;
DELETE FROM performer_totals;
DELETE FROM viewer_totals;
DELETE FROM supporters;
DELETE FROM performer_hourly;

-- Tips now carry the stake they burned (0 for native tips).
DROP TABLE tips;
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
    burned TEXT NOT NULL,
    splits TEXT NOT NULL,
    net TEXT NOT NULL,
    memo TEXT,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (block_number, event_index)
);
CREATE INDEX tips_by_performer ON tips (performer, block_number, event_index);
CREATE INDEX tips_by_viewer ON tips (viewer, block_number, event_index);

-- `max_fee_bps` bounds the platform fee and the rating stake together. An 18+
-- attestation is kept with the listing its verifier held when attesting: it counts
-- only while that listing is active (see verifier_listings).
DROP TABLE performers;
CREATE TABLE performers (
    account TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    max_fee_bps BIGINT NOT NULL,
    splits TEXT NOT NULL,
    adult_verifier TEXT,
    adult_listing BIGINT,
    registered_block BIGINT NOT NULL
);

-- Every listing of an 18+ verifier, numbered 1, 2, ... in chain order as the contract
-- numbers them; `delisted_block` is set once the verifier is removed. Listing the same
-- verifier again gives a new number, so attestations under the old one stay void.
CREATE TABLE verifier_listings (
    listing BIGINT PRIMARY KEY,
    verifier TEXT NOT NULL,
    listed_block BIGINT NOT NULL,
    delisted_block BIGINT
);
CREATE INDEX verifier_listings_by_verifier ON verifier_listings (verifier, delisted_block);

-- The rating parameters' schedule (rating_formula::Scheduled): the version in force
-- (slot 'current', effective_at NULL) and the announced one with the block time from
-- which it applies (slot 'next'), until a later event settles it.
DROP TABLE rating_params;
CREATE TABLE rating_params (
    slot TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    burn_bps BIGINT NOT NULL,
    support_half_saturation TEXT NOT NULL,
    prior_stars_milli BIGINT NOT NULL,
    prior_weight TEXT NOT NULL,
    star_weight_bps BIGINT NOT NULL,
    effective_at BIGINT
);

-- A performer's score (rating_formula::Score): sums grown to `epoch`.
DROP TABLE rating_scores;
CREATE TABLE rating_scores (
    performer TEXT PRIMARY KEY,
    epoch BIGINT NOT NULL,
    support TEXT NOT NULL,
    vote_weight TEXT NOT NULL,
    vote_stars TEXT NOT NULL,
    voters BIGINT NOT NULL
);

-- One viewer's contribution to one performer's score (rating_formula::Contribution).
DROP TABLE rating_supporters;
CREATE TABLE rating_supporters (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    stake TEXT NOT NULL,
    stars BIGINT,
    PRIMARY KEY (performer, viewer)
);
