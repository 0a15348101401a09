-- Reports made by the schedule (issue 23): the monthly and weekly report generated when the
-- events' clock passes the period's end, kept for download and e-mailed to the subscribed roles.
-- One row per kind and period: a report is made once; "partial" says the stored events begin
-- after the period began.
CREATE TABLE scheduled_reports (
  kind          VARCHAR(10) NOT NULL,
  period        VARCHAR(20) NOT NULL,
  generated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  partial       BOOLEAN NOT NULL,
  data_from     TIMESTAMP WITH TIME ZONE,
  recipients    TEXT NOT NULL,
  sent          TEXT,
  xlsx          BYTEA NOT NULL,
  PRIMARY KEY (kind, period)
);
