-- A late event's flag is stored in the same transaction as the event (issue 17.10): a crash
-- right after the commit can no longer leave a flagged event unflagged, to be applied as history
-- at the next start. Its review (what it would change among the findings) needs the engines and
-- is stored after; review_pending says it is still owed. It is cleared in the transaction that
-- stores the review rows, and a start-up makes the reviews still owed.
ALTER TABLE events ADD COLUMN review_pending BOOLEAN;
-- (A partial index: jOOQ's code generator cannot parse it, see V20.)
-- [jooq ignore start]
CREATE INDEX events_review_pending ON events (seq) WHERE review_pending;
-- [jooq ignore stop]
