-- Resolved notices (issue 19, Alertmanager's send_resolved): a KPI alert whose KPI comes back to
-- its target stops firing (status 'resolved', no further climb) and whoever was told of it gets
-- one notice that it has recovered.
-- resolved_at: the event time of the KPI value that brought it back (null while it fires).
-- fires: which firing of the alert this is: a KPI that falls again in the same period fires the
-- same alert again (its messages are told apart from the earlier firing's by the deliveries' part).
ALTER TABLE alert_groups ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE alert_groups ADD COLUMN fires INT NOT NULL DEFAULT 1;
-- recovered_at: when the KPI of this finding (its KPI and period) was back at target after it;
-- an alert is resolved when every finding in it has recovered.
ALTER TABLE alert_items ADD COLUMN recovered_at TIMESTAMP WITH TIME ZONE;
