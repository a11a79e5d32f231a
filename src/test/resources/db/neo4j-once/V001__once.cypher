// Test-only: a schema statement, then a non-idempotent write that shows how often V001 ran.
CREATE CONSTRAINT once_id IF NOT EXISTS FOR (o:OnceThing) REQUIRE o.id IS UNIQUE;
CREATE (:ApplyMark {version: 1});
