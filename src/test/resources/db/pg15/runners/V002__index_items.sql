CREATE INDEX CONCURRENTLY IF NOT EXISTS items_doc_gin ON items USING gin (doc);
CREATE INDEX CONCURRENTLY IF NOT EXISTS items_kind_id ON items (kind, id);
INSERT INTO apply_marks VALUES (2);
