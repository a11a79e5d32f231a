-- Live migration's verification report: how many captured writes the workers applied to a run's target (the
-- capture applier adds its counts in batches, about once a second), beside the points its checksums repaired.
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS captured_writes bigint NOT NULL DEFAULT 0;
