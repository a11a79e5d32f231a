-- V001 baseline: the memory schema as the seed's first revision left it (IVFFlat vector indexes).
-- Runs in one transaction: the tables are new, so nothing here needs CONCURRENTLY.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    document_type text NOT NULL,
    title         text,
    content       text,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    embedding     vector(1536),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chunks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    chunk_index integer NOT NULL,
    content     text NOT NULL,
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    embedding   vector(1536),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (document_id, chunk_index)
);

CREATE TABLE structured_data (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    data_type       text NOT NULL,
    source          text NOT NULL,
    raw_json        jsonb NOT NULL,
    custom_metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_documents_embedding_ivfflat ON documents
    USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
CREATE INDEX idx_chunks_embedding_ivfflat ON chunks
    USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
