-- Verification before cutover: verify rows of a range carry the pass they belong to (a report of an earlier
-- pass is stale) and what the task found; each pass is one row; the run keeps its last report.
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS pass int NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.batches ADD COLUMN IF NOT EXISTS verification jsonb;
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS cutover_requested boolean NOT NULL DEFAULT false;
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS verification jsonb;

CREATE TABLE IF NOT EXISTS ${schema}.verify_passes (
    run_id         uuid NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
    pass           int NOT NULL,
    first_of_round boolean NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz,
    summary        jsonb,
    updated_copied bigint,
    PRIMARY KEY (run_id, pass)
);
