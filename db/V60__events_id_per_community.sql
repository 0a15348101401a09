-- An event id is unique within its community, not across communities (issue 17): two
-- communities' systems name their events independently, and the same id in another community
-- is another event, stored and judged. A resend is found by (community, id); an id reused in
-- its community with other content is refused as a conflict (README "Resent and reused ids").
-- (jOOQ's code generator, which simulates the DDL in H2, does not know PostgreSQL's name for
-- V1's unique constraint, and keys are not part of the generated tables: it skips this block.)
-- [jooq ignore start]
ALTER TABLE events DROP CONSTRAINT events_id_key;
ALTER TABLE events ADD CONSTRAINT events_community_id_key UNIQUE (community, id);
-- [jooq ignore stop]
