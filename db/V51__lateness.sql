-- Late and out-of-order events (README "Late and out-of-order events").
-- An event more than the allowed lateness behind its community's clock is stored (it was
-- acknowledged) but flagged and kept out of the live state: the start-up rebuild and every
-- later rebuild skip it, so a restart gives the findings the running service had.
-- late_by_ms is set for every event that came behind its clock and needed more than the fast
-- path (flagged, or applied by a rebuild): GET /api/review lists them.
ALTER TABLE events ADD COLUMN flag VARCHAR(20);
ALTER TABLE events ADD COLUMN late_by_ms BIGINT;

-- A finding a late event took back (the rebuild in event-time order no longer finds it). It
-- stays stored, out of the live set, for review; a later rebuild that finds it again revives it.
ALTER TABLE findings ADD COLUMN withdrawn_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE findings ADD COLUMN withdrawn_reason TEXT;

-- What each late event changed (applied: withdrawn / added) or would change if it were
-- applied (flagged: would-withdraw / would-add), with the finding as it was or would be.
CREATE TABLE finding_reviews (
  id          BIGSERIAL PRIMARY KEY,
  community   VARCHAR(100) NOT NULL,
  event_id    VARCHAR(200) NOT NULL,
  event_seq   BIGINT NOT NULL,
  late_by_ms  BIGINT NOT NULL,
  applied     BOOLEAN NOT NULL,
  change      VARCHAR(20) NOT NULL,
  finding_id  VARCHAR(40) NOT NULL,
  finding     JSONB NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX finding_reviews_community ON finding_reviews (community, event_seq);
-- (A partial index: jOOQ's code generator cannot parse it, see V20.)
-- [jooq ignore start]
CREATE INDEX events_late ON events (community, seq) WHERE late_by_ms IS NOT NULL;
-- [jooq ignore stop]
