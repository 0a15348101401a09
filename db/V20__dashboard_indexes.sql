-- The dashboard's look-ups. A ticket's timeline finds its findings by details.ticket (a
-- ticket's findings need not have the ticket as subject); the community directory reads the
-- registrations without scanning every event.
-- Indexes add no tables or columns, and jOOQ's code generator (which simulates the DDL in H2)
-- cannot parse expression or partial indexes: it skips this block.
-- [jooq ignore start]
CREATE INDEX findings_ticket ON findings (community, (details->>'ticket'));
CREATE INDEX events_registrations ON events (community, at) WHERE type = 'community.registered';
-- [jooq ignore stop]
