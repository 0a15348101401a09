-- The event store: every acknowledged event, exactly as sent, idempotent by id.
-- State is rebuilt from here at start-up, so nothing else is the source of truth.
CREATE TABLE events (
  seq         BIGSERIAL PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  community   TEXT NOT NULL,
  type        TEXT NOT NULL,
  at          TIMESTAMP WITH TIME ZONE NOT NULL,
  ticket      TEXT,
  body        JSONB NOT NULL,
  stored_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX events_community_at ON events (community, at, seq);
CREATE INDEX events_ticket ON events (community, ticket);

-- Findings under their stable id: a rebuild or replay that finds one again inserts nothing.
CREATE TABLE findings (
  id            TEXT PRIMARY KEY,
  rule          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  community     TEXT NOT NULL,
  subject       TEXT NOT NULL,
  at            TIMESTAMP WITH TIME ZONE NOT NULL,
  due_at        TIMESTAMP WITH TIME ZONE,
  notify        TEXT,
  clause        TEXT,
  details       JSONB NOT NULL,
  rules_version TEXT NOT NULL,
  stored_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX findings_community_at ON findings (community, at);
CREATE INDEX findings_rule_at ON findings (rule, at);
CREATE INDEX findings_subject ON findings (community, subject);

-- Current KPI values, one row per KPI, community (or '*') and period.
CREATE TABLE kpis (
  kpi          TEXT NOT NULL,
  community    TEXT NOT NULL,
  period       TEXT NOT NULL,
  value        DOUBLE PRECISION,
  numerator    BIGINT NOT NULL,
  denominator  BIGINT NOT NULL,
  target       DOUBLE PRECISION,
  met          BOOLEAN,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (kpi, community, period)
);
