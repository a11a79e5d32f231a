-- Live migration (README "Live migration"): tombstones of the captured stream, the proxy replicas, and the cutover
-- hold that the proxies take part in.

-- A point the capture stream deleted from a run's target (point_key set), or a write by filter applied to it
-- (point_key NULL: its points are unknown). A backfill page checks them after its insert-only upsert: a page read
-- before such an entry was written may carry points the stream has since removed or changed, and is re-synced.
-- Written under the run's advisory lock, so seq order is commit order (a reader's horizon never misses one).
CREATE TABLE IF NOT EXISTS ${schema}.live_tombstones (
    seq        bigserial PRIMARY KEY,
    run_id     uuid NOT NULL,
    point_key  text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS live_tombstones_run ON ${schema}.live_tombstones (run_id, seq);

-- Proxy replicas alive now (heartbeat): the cutover waits for each live one to hold a run's writes.
CREATE TABLE IF NOT EXISTS ${schema}.proxy_replicas (
    id           text PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- The cutover hold of a run: epoch counts attempts; state 'holding' while proxies must park the run's writes.
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS hold_epoch int NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS hold_state text;
ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS hold_started_at timestamptz;
CREATE INDEX IF NOT EXISTS runs_holding ON ${schema}.runs (id) WHERE hold_state = 'holding';

-- A proxy replica holds a run's writes (acked_at: none of its captures of the run is still in flight); once
-- released it reports how long its held writes waited.
CREATE TABLE IF NOT EXISTS ${schema}.proxy_holds (
    run_id      uuid NOT NULL,
    epoch       int NOT NULL,
    replica     text NOT NULL,
    acked_at    timestamptz NOT NULL DEFAULT now(),
    held_writes int,
    p50_ms      double precision,
    p99_ms      double precision,
    max_ms      double precision,
    PRIMARY KEY (run_id, epoch, replica)
);
