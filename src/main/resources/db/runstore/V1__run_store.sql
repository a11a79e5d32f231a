-- The migrator's own run store (PostgreSQL). Applied once, idempotently, at startup (RunStoreSchema).
CREATE TABLE IF NOT EXISTS ${schema}.processed_commands (
    command_id   text PRIMARY KEY,
    type         text NOT NULL,
    run_id       uuid,
    processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${schema}.runs (
    id                    uuid PRIMARY KEY,
    command_id            text NOT NULL UNIQUE,
    source                text NOT NULL,
    target                text NOT NULL,
    alias                 text,
    batch_size            int NOT NULL,
    command               jsonb NOT NULL,
    state                 text NOT NULL,
    paused                boolean NOT NULL DEFAULT false,
    max_points_per_second int NOT NULL DEFAULT 0,
    source_points         bigint,
    target_points         bigint,
    planned_batches       int,
    done_batches          int NOT NULL DEFAULT 0,
    failed_batches        int NOT NULL DEFAULT 0,
    copied_points         bigint NOT NULL DEFAULT 0,
    previous_collection   text,
    alias_gap_ms          bigint,
    failure               text,
    summary               jsonb,
    created_at            timestamptz NOT NULL DEFAULT now(),
    copy_started_at       timestamptz,
    copied_at             timestamptz,
    finished_at           timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS runs_alias ON ${schema}.runs (alias, finished_at);

-- One row per planned range and kind (copy, verify). Boundaries never change once planned.
CREATE TABLE IF NOT EXISTS ${schema}.batches (
    run_id      uuid NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    batch_index int NOT NULL,
    start_id    text NOT NULL,
    end_id      text,
    state       text NOT NULL DEFAULT 'pending',
    points      bigint,
    duration_ms bigint,
    worker      text,
    reason      text,
    checksum    text,
    reports     int NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, kind, batch_index)
);

-- Lifecycle events as emitted; once_key makes 'exactly once' events (completed, schema-ready) a unique row.
CREATE TABLE IF NOT EXISTS ${schema}.events (
    id         uuid PRIMARY KEY,
    run_id     uuid,
    command_id text,
    type       text NOT NULL,
    once_key   text UNIQUE,
    data       jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_run ON ${schema}.events (run_id, created_at);
