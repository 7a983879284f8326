-- A tip is stored once, as its raw `Tipped` event (issue 20): the `tips` table
-- held the same tip a second time, decoded, with four more B-trees to insert into
-- per tip, and was the largest table after `events`. The store now decodes a tip
-- from its event when it is read (`store/tips.rs`); what a tip list needs beyond
-- the performer's index is the viewer's, so events gain a `viewer` column, set for
-- the LIVE contract's tips only, with an index of just those rows.

ALTER TABLE events ADD COLUMN viewer TEXT;
UPDATE events SET viewer = (
    SELECT tips.viewer FROM tips
    WHERE tips.block_number = events.block_number AND tips.event_index = events.event_index
) WHERE name = 'Tipped';
DROP TABLE tips;
CREATE INDEX events_by_viewer ON events (viewer, block_number, event_index)
    WHERE viewer IS NOT NULL;

-- Only events that name a performer are looked up by performer; a tip's PSP22
-- transfers (three or more per tip) name none, and no longer enter that index.
DROP INDEX events_by_performer;
CREATE INDEX events_by_performer ON events (performer, block_number, event_index)
    WHERE performer IS NOT NULL;
