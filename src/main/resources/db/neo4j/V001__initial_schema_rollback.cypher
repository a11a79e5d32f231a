// Rolls back V001: drops exactly what it created.
DROP INDEX chunk_content IF EXISTS;
DROP INDEX entity_type IF EXISTS;
DROP INDEX entity_name IF EXISTS;
DROP INDEX chunk_document_id IF EXISTS;
DROP INDEX document_type IF EXISTS;
DROP CONSTRAINT topic_name IF EXISTS;
DROP CONSTRAINT entity_id IF EXISTS;
DROP CONSTRAINT chunk_id IF EXISTS;
DROP CONSTRAINT document_id IF EXISTS;
