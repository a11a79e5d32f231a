CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    tenant     text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
