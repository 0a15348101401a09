-- Every change to the rules: who, when, which files, the diff, and whether it went live.
-- activated_at is the event-time clock from which the version's findings count; findings of a
-- version stamped at or before it belong to the version before.
CREATE TABLE rules_changes (
  id            BIGSERIAL PRIMARY KEY,
  version       VARCHAR(40) NOT NULL,
  action        VARCHAR(20) NOT NULL,
  actor         VARCHAR(100) NOT NULL,
  wall_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  activated_at  TIMESTAMP WITH TIME ZONE,
  files         JSONB NOT NULL,
  changed_files JSONB NOT NULL,
  diff          TEXT NOT NULL,
  problems      JSONB
);
CREATE INDEX rules_changes_version ON rules_changes (version);
