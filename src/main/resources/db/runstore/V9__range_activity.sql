-- Range activity for the dashboard's range map and workers panel: when a worker took a range (copying, verifying),
-- how often it was taken, the error of its last failed attempt and how many attempts failed, whether it went to the
-- dead-letter topic, and (verify rows) the points repaired over all passes, which a new pass does not reset.
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS started_at timestamptz;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS failed_attempts int NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS last_error text;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS dead_lettered boolean NOT NULL DEFAULT false;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS repaired_points bigint NOT NULL DEFAULT 0;
