-- Test-only set (PostgreSQL 15, no pgvector): a table with enough rows that the V002 index build takes a while.
CREATE TABLE items (id bigint PRIMARY KEY, kind text NOT NULL, doc jsonb NOT NULL);
INSERT INTO items SELECT g, 'k' || (g % 10), jsonb_build_object('n', g, 'tag', 't' || (g % 100))
  FROM generate_series(1, 60000) g;
-- Side effect counter: each migration adds one row, so a migration applied twice shows up here.
CREATE TABLE apply_marks (version integer NOT NULL);
INSERT INTO apply_marks VALUES (1);
