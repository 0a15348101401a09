-- The alert router reads back, in storage order, the findings it could not hold in memory while
-- it was behind (AlertService: a bounded inbox); this index keeps that read a range scan.
CREATE INDEX findings_stored_at ON findings (stored_at, id);
