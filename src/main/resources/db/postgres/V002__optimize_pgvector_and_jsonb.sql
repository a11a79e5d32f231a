-- V002: HNSW replaces IVFFlat, GIN on the JSONB columns, composite indexes for the common filters, and
-- structured_data gets its embedding column.
-- Zero downtime: every index is built and dropped CONCURRENTLY (no lock that blocks writers), which cannot
-- run inside a transaction, so each statement commits on its own. Every statement is idempotent: a run that
-- failed half-way is simply run again (INVALID leftovers of a failed build are dropped and rebuilt first).

-- Adding a nullable column without a default only touches the catalog: instant.
ALTER TABLE structured_data ADD COLUMN IF NOT EXISTS embedding vector(1536);

-- New vector indexes first, so vector search always has an index while the old ones go away.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_embedding_hnsw ON documents
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_chunks_embedding_hnsw ON chunks
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_structured_data_embedding_hnsw ON structured_data
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

DROP INDEX CONCURRENTLY IF EXISTS idx_documents_embedding_ivfflat;
DROP INDEX CONCURRENTLY IF EXISTS idx_chunks_embedding_ivfflat;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_metadata_gin ON documents USING gin (metadata);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_chunks_metadata_gin ON chunks USING gin (metadata);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_structured_data_raw_json_gin ON structured_data USING gin (raw_json);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_structured_data_custom_metadata_gin ON structured_data
    USING gin (custom_metadata);

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_type_metadata ON documents
    (document_type, (metadata ->> 'source'));
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_structured_data_type_source ON structured_data (data_type, source);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_chunks_document_created ON chunks (document_id, created_at DESC);
