-- The event store: every acknowledged event, exactly as sent, idempotent by id.
-- State is rebuilt from here at start-up, so nothing else is the source of truth.
CREATE TABLE events (
  seq         BIGSERIAL PRIMARY KEY,
  id          VARCHAR(200) NOT NULL UNIQUE,
  community   VARCHAR(100) NOT NULL,
  type        VARCHAR(40) NOT NULL,
  at          TIMESTAMP WITH TIME ZONE NOT NULL,
  ticket      VARCHAR(200),
  body        JSONB NOT NULL,
  stored_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX events_community_at ON events (community, at, seq);
CREATE INDEX events_ticket ON events (community, ticket);

-- Findings under their stable id: a rebuild or replay that finds one again inserts nothing.
CREATE TABLE findings (
  id            VARCHAR(40) PRIMARY KEY,
  rule          VARCHAR(100) NOT NULL,
  kind          VARCHAR(20) NOT NULL,
  community     VARCHAR(100) NOT NULL,
  subject       VARCHAR(300) NOT NULL,
  at            TIMESTAMP WITH TIME ZONE NOT NULL,
  due_at        TIMESTAMP WITH TIME ZONE,
  notify        VARCHAR(40),
  clause        VARCHAR(200),
  details       JSONB NOT NULL,
  rules_version VARCHAR(40) NOT NULL,
  stored_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX findings_community_at ON findings (community, at);
CREATE INDEX findings_rule_at ON findings (rule, at);
CREATE INDEX findings_subject ON findings (community, subject);

-- Current KPI values, one row per KPI, community (or '*') and period.
CREATE TABLE kpis (
  kpi          VARCHAR(100) NOT NULL,
  community    VARCHAR(100) NOT NULL,
  period       VARCHAR(20) NOT NULL,
  value        DOUBLE PRECISION,
  numerator    BIGINT NOT NULL,
  denominator  BIGINT NOT NULL,
  target       DOUBLE PRECISION,
  met          BOOLEAN,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (kpi, community, period)
);
