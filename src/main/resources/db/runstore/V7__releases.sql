-- Releases: one schema change across PostgreSQL, Neo4j and Qdrant. A release is the parent of its parts: a schema
-- migration per store and a Qdrant run per alias (release_parts.run_id, runs.release_id). It is driven under a
-- lease like a run (any replica resumes it) and ends with its event written to the outbox in the same transaction.
CREATE TABLE IF NOT EXISTS ${schema}.releases (
    id               uuid PRIMARY KEY,
    name             text NOT NULL,
    command_id       text NOT NULL UNIQUE,
    state            text NOT NULL DEFAULT 'accepted',
    manifest         jsonb NOT NULL,
    failed_part      text,
    failure          text,
    rollback_command_id text,
    owner            text,
    lease_expires_at timestamptz,
    wake             boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
-- Two applies of one release at once would race on its stores and its aliases.
CREATE UNIQUE INDEX IF NOT EXISTS releases_one_active_per_name ON ${schema}.releases (name)
    WHERE state NOT IN ('completed', 'failed', 'rolled-back');

CREATE TABLE IF NOT EXISTS ${schema}.release_parts (
    release_id uuid NOT NULL REFERENCES ${schema}.releases (id),
    position   int NOT NULL,
    kind       text NOT NULL,
    subject    text NOT NULL,
    target     text NOT NULL,
    previous   text,
    run_id     uuid,
    state      text NOT NULL DEFAULT 'pending',
    detail     text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (release_id, position)
);

ALTER TABLE ${schema}.runs ADD COLUMN IF NOT EXISTS release_id uuid;
