CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL);
INSERT INTO accounts VALUES (1, 'a@example.org'), (2, 'b@example.org'), (3, 'a@example.org');
