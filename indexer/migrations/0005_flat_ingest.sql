-- Ingest flat in the number of viewers (issue 20).
--
-- `viewer_totals` had no reader: nothing serves a viewer's total, and a viewer's
-- spending is theirs to keep. A `supporters` row now says only that a viewer has
-- tipped a performer in a token (what the distinct-supporter count needs), so a
-- returning viewer's tip no longer rewrites it.
DROP TABLE viewer_totals;
ALTER TABLE supporters DROP COLUMN gross;
