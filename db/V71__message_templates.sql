-- The message templates an administrator has edited (issue 19: "templates per receiver kind that an
-- admin can edit", Alertmanager's templates): one row per part of a channel's message, e.g.
-- 'email.subject', 'wecom.markdown'. A part without a row is sent with its built-in default, which
-- gives the message as it was before templates existed. Every row was checked when it was saved
-- (syntax, variable names, a render against sample notices).
CREATE TABLE message_templates (
  key         VARCHAR(40) PRIMARY KEY,
  template    TEXT NOT NULL,
  updated_by  VARCHAR(100),
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
