-- Test-only set (PostgreSQL 15): what a backup taken before V002 must hold.
CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);
INSERT INTO notes VALUES (1, 'kept by the backup');
