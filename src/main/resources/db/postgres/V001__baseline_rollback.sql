-- Rolls back V001. The vector extension stays: other schemas of the database may use it.
DROP TABLE IF EXISTS chunks;
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS structured_data;
