-- The performer's room (issue 23), off-chain and erased with the performer.
--
-- `rooms`: the performer's signed room document (tip menu and goal), canonical
-- JSON, and when they signed it (an older statement is refused: no replay).
CREATE TABLE rooms (
    account TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    signed_at_ms BIGINT NOT NULL
);

-- `tip_notes`: what a viewer attached to a tip whose on-chain memo is the note's
-- blake2-256: the menu item (its label as the menu had it) and the message sealed to
-- the performer's key, base64. Never plaintext: the API cannot read it.
CREATE TABLE tip_notes (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    performer TEXT NOT NULL,
    item BIGINT,
    item_label TEXT,
    message TEXT,
    PRIMARY KEY (block_number, event_index)
);
CREATE INDEX tip_notes_by_performer ON tip_notes (performer, block_number, event_index);

-- `overlays`: the blake2-256 of the secret in the performer's overlay link (none
-- once revoked), and when they signed its last change.
CREATE TABLE overlays (
    account TEXT PRIMARY KEY,
    token_hash TEXT,
    signed_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX overlays_by_token ON overlays (token_hash);

-- `blocked_viewers`: the contract's blocks (`ViewerBlockChanged`), mirrored as the
-- chain holds them (a row leaves when its performer unblocks). The API drops a
-- blocked viewer's notes and the overlay hides them; the contract refuses their
-- private shows.
CREATE TABLE blocked_viewers (
    performer TEXT NOT NULL,
    viewer TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    PRIMARY KEY (performer, viewer)
);
