-- A script with a syntax error on line 4.
CREATE TABLE u (id integer);
CREATE TABLE w (
    id integer,,
    name text
);
