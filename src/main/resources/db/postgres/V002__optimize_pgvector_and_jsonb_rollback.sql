-- Rolls back V002 to the V001 shape, without downtime: the IVFFlat indexes come back before HNSW goes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_documents_embedding_ivfflat ON documents
    USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_chunks_embedding_ivfflat ON chunks
    USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);

DROP INDEX CONCURRENTLY IF EXISTS idx_documents_embedding_hnsw;
DROP INDEX CONCURRENTLY IF EXISTS idx_chunks_embedding_hnsw;
DROP INDEX CONCURRENTLY IF EXISTS idx_structured_data_embedding_hnsw;
DROP INDEX CONCURRENTLY IF EXISTS idx_documents_metadata_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_chunks_metadata_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_structured_data_raw_json_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_structured_data_custom_metadata_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_documents_type_metadata;
DROP INDEX CONCURRENTLY IF EXISTS idx_structured_data_type_source;
DROP INDEX CONCURRENTLY IF EXISTS idx_chunks_document_created;

ALTER TABLE structured_data DROP COLUMN IF EXISTS embedding;
