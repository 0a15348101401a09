-- Alert groups are windows of event time (issue 17.13): a finding belongs to the group of its
-- community, rule, kind, role and the window its own time falls in, whenever it arrives. One
-- that arrives after its group's message went out joins that group and goes out as an addendum
-- (补充): a further message of the same alert and escalation, told apart by its part (the
-- addendum's first finding), so the outbox still sends each message once.
ALTER TABLE deliveries ADD COLUMN part VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_once;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_once UNIQUE (alert_id, escalation, part, channel, address);
