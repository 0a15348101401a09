-- People who log in to the dashboard with a user name and a password (issue 19: "login a person
-- can use"). Only a bcrypt hash of the password is kept. A user carries what a token carries today
-- (role, communities, duties), so every permission check reads the same for either. API tokens stay
-- for machines. A disabled user cannot log in, and its sessions end.
CREATE TABLE users (
  id                   BIGSERIAL PRIMARY KEY,
  name                 VARCHAR(100) NOT NULL UNIQUE,
  display_name         VARCHAR(100),
  password_hash        VARCHAR(100) NOT NULL,
  role                 VARCHAR(20) NOT NULL,
  communities          JSONB,
  duties               JSONB,
  created_by           VARCHAR(100) NOT NULL,
  created_at           TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  password_changed_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  last_login_at        TIMESTAMP WITH TIME ZONE,
  disabled_at          TIMESTAMP WITH TIME ZONE
);

-- A session belongs to a token (opened by pasting it) or to a user (opened with a password), and
-- ends when idle too long (last_seen_at, slid forward as it is used) or at expires_at, whichever
-- comes first.
ALTER TABLE api_sessions ALTER COLUMN token_id DROP NOT NULL;
ALTER TABLE api_sessions ADD COLUMN user_id BIGINT REFERENCES users (id);
ALTER TABLE api_sessions ADD COLUMN last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
ALTER TABLE api_sessions ADD CONSTRAINT api_sessions_one_owner CHECK ((token_id IS NULL) <> (user_id IS NULL));
CREATE INDEX api_sessions_user ON api_sessions (user_id);
