// Rolls back V002: the normalized name is derived from name, so removing it loses nothing.
MATCH (e:Entity) WHERE e.normalized_name IS NOT NULL REMOVE e.normalized_name;

DROP INDEX entity_normalized_name IF EXISTS;
