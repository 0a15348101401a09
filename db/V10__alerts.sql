-- Escalation alerts (issue 5): who is told, what was sent, every delivery attempt.
-- Times named *_at are event time (the monitor's clock) unless said otherwise: windows,
-- acknowledgement deadlines, escalations and quiet hours are decided on it, so a replay or a
-- test on a pseudo clock gives the same decisions as the live service.

-- Who holds which role in which community ('*': every community), and how to reach them.
-- One row per way of reaching someone: a person with e-mail and a DingTalk group has two.
CREATE TABLE roster (
  id          BIGSERIAL PRIMARY KEY,
  community   VARCHAR(100) NOT NULL,
  role        VARCHAR(40) NOT NULL,
  name        VARCHAR(200) NOT NULL,
  channel     VARCHAR(20) NOT NULL,
  address     VARCHAR(1000) NOT NULL,
  secret      VARCHAR(200),
  active      BOOLEAN NOT NULL DEFAULT TRUE,
  updated_by  VARCHAR(200),
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX roster_role ON roster (role, community);

-- Alert parameters that differ from the defaults in pm.monitor.alert.AlertSettings; read on
-- every clock tick, so a change takes effect without a restart.
CREATE TABLE alert_settings (
  key         VARCHAR(100) PRIMARY KEY,
  value       VARCHAR(1000) NOT NULL,
  updated_by  VARCHAR(200),
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- One message's worth of findings: one community, rule, kind and role within a window. Its id
-- is derived from its first finding's id, so it is the same in every run.
-- status: collecting (window open), held (quiet hours), sent, acked, silenced, folded.
-- due_at is its next timer: the window's end or the end of quiet hours while collecting or
-- held; the acknowledgement deadline that escalates it while sent; null when nothing is due.
CREATE TABLE alert_groups (
  id            VARCHAR(40) PRIMARY KEY,
  community     VARCHAR(100) NOT NULL,
  rule          VARCHAR(100) NOT NULL,
  kind          VARCHAR(20) NOT NULL,
  role          VARCHAR(40) NOT NULL,
  emergency     BOOLEAN NOT NULL,
  zone          VARCHAR(60) NOT NULL,
  status        VARCHAR(20) NOT NULL,
  opened_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  due_at        TIMESTAMP WITH TIME ZONE,
  escalation    INT NOT NULL DEFAULT 0,
  owner_role  VARCHAR(40) NOT NULL,
  sent_at       TIMESTAMP WITH TIME ZONE,
  ack_due       TIMESTAMP WITH TIME ZONE,
  acked_at      TIMESTAMP WITH TIME ZONE,
  acked_by      VARCHAR(200),
  silence_id    BIGINT,
  folded_under  VARCHAR(40),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX alert_groups_due ON alert_groups (status, due_at);
CREATE INDEX alert_groups_key ON alert_groups (community, rule, kind, role, status);
CREATE INDEX alert_groups_current ON alert_groups (owner_role, community, opened_at);

-- Each finding once per role it goes to: the primary key is what keeps a finding from being
-- routed twice, across restarts and rebuilds. folded_under: the incident alert it was folded
-- under (inhibition) instead of being sent.
CREATE TABLE alert_items (
  finding_id    VARCHAR(40) NOT NULL,
  role          VARCHAR(40) NOT NULL,
  alert_id      VARCHAR(40) NOT NULL,
  community     VARCHAR(100) NOT NULL,
  rule          VARCHAR(100) NOT NULL,
  kind          VARCHAR(20) NOT NULL,
  subject       VARCHAR(300) NOT NULL,
  ticket        VARCHAR(200),
  at            TIMESTAMP WITH TIME ZONE NOT NULL,
  finding       JSONB NOT NULL,
  folded_under  VARCHAR(40),
  PRIMARY KEY (finding_id, role)
);
CREATE INDEX alert_items_alert ON alert_items (alert_id);
CREATE INDEX alert_items_subject ON alert_items (community, rule, subject);

-- What happened to an alert, in order: sent, held, escalated, acked, silenced, folded.
CREATE TABLE alert_log (
  id          BIGSERIAL PRIMARY KEY,
  alert_id    VARCHAR(40) NOT NULL,
  at          TIMESTAMP WITH TIME ZONE NOT NULL,
  action      VARCHAR(20) NOT NULL,
  role        VARCHAR(40),
  escalation  INT,
  note        VARCHAR(1000)
);
CREATE INDEX alert_log_alert ON alert_log (alert_id, id);

-- Silences: alerts of a community and rule are not sent (nor escalated) from starts_at until
-- expires_at. community and rule may be '*'; rule may end in '*' (a prefix).
CREATE TABLE silences (
  id          BIGSERIAL PRIMARY KEY,
  community   VARCHAR(100) NOT NULL,
  rule        VARCHAR(100) NOT NULL,
  reason      VARCHAR(1000) NOT NULL,
  author      VARCHAR(200) NOT NULL,
  starts_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- The outbox: one row per message and destination, written in the same transaction as the
-- alert's change, so a crash can never send a message that was not recorded nor lose one
-- that was. The unique key is what keeps a restart from sending a message twice. Times here
-- are wall-clock: retries are about real networks.
-- status: pending (not yet delivered; retried with back-off), delivered, dead (gave up).
CREATE TABLE deliveries (
  id              BIGSERIAL PRIMARY KEY,
  alert_id        VARCHAR(40) NOT NULL,
  escalation      INT NOT NULL,
  role            VARCHAR(40) NOT NULL,
  channel         VARCHAR(20) NOT NULL,
  address         VARCHAR(1000) NOT NULL,
  roster_id       BIGINT,
  idempotency_key VARCHAR(80) NOT NULL,
  payload         TEXT NOT NULL,
  status          VARCHAR(20) NOT NULL,
  attempts        INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error      VARCHAR(2000),
  delivered_at    TIMESTAMP WITH TIME ZONE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  CONSTRAINT deliveries_once UNIQUE (alert_id, escalation, channel, address)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_alert ON deliveries (alert_id);

-- Every attempt at a delivery, successful or not (wall-clock times).
CREATE TABLE delivery_attempts (
  id           BIGSERIAL PRIMARY KEY,
  delivery_id  BIGINT NOT NULL,
  attempt      INT NOT NULL,
  started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  millis       INT NOT NULL,
  ok           BOOLEAN NOT NULL,
  status_code  INT,
  error        VARCHAR(2000)
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);
