-- Durable lifecycle: a lease per run (the replica driving it; any replica takes over an expired one), the events
-- table as a transactional outbox (rows written with the state change they report, sent by a relay, marked sent
-- after Kafka's ack), schema commands as durable jobs, and at most one active run per alias and per target.
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS owner text;
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;
-- Set by a replica that found the run leased to another: the holder drives once more before it lets go.
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS wake boolean NOT NULL DEFAULT false;

ALTER TABLE ${schema}.events ADD COLUMN IF NOT EXISTS seq bigserial;
ALTER TABLE ${schema}.events ADD COLUMN IF NOT EXISTS sent_at timestamptz;
-- Events recorded before the outbox existed were sent (or logged as lost) when they were recorded.
UPDATE ${schema}.events SET sent_at = created_at WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS events_unsent ON ${schema}.events (seq) WHERE sent_at IS NULL;

-- A verification pass whose tasks were all handed to the workers (a pass without it is dispatched again).
ALTER TABLE ${schema}.verify_passes ADD COLUMN IF NOT EXISTS dispatched_at timestamptz;
UPDATE ${schema}.verify_passes SET dispatched_at = started_at WHERE dispatched_at IS NULL;

CREATE TABLE IF NOT EXISTS ${schema}.schema_jobs (
    command_id       text PRIMARY KEY,
    type             text NOT NULL,
    command          jsonb NOT NULL,
    state            text NOT NULL DEFAULT 'pending',
    owner            text,
    lease_expires_at timestamptz,
    wake             boolean NOT NULL DEFAULT false,
    attempts         int NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);

-- Runs that ended long ago may share an alias; two active ones may not (they would race on the swap). Runs left
-- active by an older build for one alias keep the oldest one active.
UPDATE ${schema}.runs r SET state = 'failed', failure = 'superseded: another run of this alias was active when '
        || 'the run store was upgraded', finished_at = now()
    WHERE state NOT IN ('completed', 'failed', 'cancelled') AND EXISTS (SELECT 1 FROM ${schema}.runs o
        WHERE o.state NOT IN ('completed', 'failed', 'cancelled') AND (o.alias = r.alias OR o.target = r.target)
        AND o.created_at < r.created_at);
CREATE UNIQUE INDEX IF NOT EXISTS runs_one_active_per_alias ON ${schema}.runs (alias)
    WHERE alias IS NOT NULL AND state NOT IN ('completed', 'failed', 'cancelled');
CREATE UNIQUE INDEX IF NOT EXISTS runs_one_active_per_target ON ${schema}.runs (target)
    WHERE state NOT IN ('completed', 'failed', 'cancelled');
