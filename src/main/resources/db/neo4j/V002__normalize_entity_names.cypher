// V002: entities get a normalized name (trimmed, lower case) for case-insensitive lookups, with its index.
// A schema statement and a data statement: the engine runs them in separate transactions (Neo4j refuses to
// mix them); both are idempotent, so a re-run after a failure is safe.
CREATE INDEX entity_normalized_name IF NOT EXISTS FOR (e:Entity) ON (e.normalized_name);

MATCH (e:Entity)
WHERE e.name IS NOT NULL AND e.normalized_name IS NULL
SET e.normalized_name = toLower(trim(e.name));
