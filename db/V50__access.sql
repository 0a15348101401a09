-- Access to the API: tokens (only their SHA-256 is kept), dashboard sessions opened with a
-- token (only the session id's SHA-256 is kept), and the audit log of who changed what.
CREATE TABLE api_tokens (
  id            BIGSERIAL PRIMARY KEY,
  name          VARCHAR(100) NOT NULL UNIQUE,
  role          VARCHAR(20) NOT NULL,
  communities   JSONB,
  hash          CHAR(64) NOT NULL UNIQUE,
  created_by    VARCHAR(100) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  last_used_at  TIMESTAMP WITH TIME ZONE,
  revoked_at    TIMESTAMP WITH TIME ZONE
);

CREATE TABLE api_sessions (
  hash          CHAR(64) PRIMARY KEY,
  token_id      BIGINT NOT NULL REFERENCES api_tokens (id),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE audit_log (
  id            BIGSERIAL PRIMARY KEY,
  at            TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  actor         VARCHAR(100) NOT NULL,
  action        VARCHAR(40) NOT NULL,
  target        VARCHAR(200),
  details       JSONB
);
CREATE INDEX audit_log_at ON audit_log (at);
