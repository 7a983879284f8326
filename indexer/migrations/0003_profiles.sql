-- Public performer profiles (issue 11): documents whose blake2-256 was the
-- performer's on-chain commitment (`performers.profile`) when stored. A row leaves
-- in the same commit as the event that supersedes it (a new commitment, an
-- erasure) or at the performer's signed withdrawal. `document` is the canonical JSON;
-- the avatar, when the document names one, is kept beside it in hex.
CREATE TABLE profiles (
    account TEXT PRIMARY KEY,
    commitment TEXT NOT NULL,
    document TEXT NOT NULL,
    stage_name_folded TEXT NOT NULL,
    avatar TEXT,
    avatar_type TEXT
);

-- "Online now": until when a performer said (signed) they are online, and when they
-- signed it (a statement older than the stored one is refused: no replay). Removed
-- when the performer erases.
CREATE TABLE presence (
    account TEXT PRIMARY KEY,
    until_ms BIGINT NOT NULL,
    signed_at_ms BIGINT NOT NULL
);
