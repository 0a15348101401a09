-- The handbook roles a token answers for (supervisor, centre_manager, ...): its inbox and what it
-- may acknowledge follow the routing (issue 19.5). NULL: none given (an administrator's answer for
-- every role; a manager's for the roles of the alert setting manager.roles).
ALTER TABLE api_tokens ADD COLUMN duties JSONB;
