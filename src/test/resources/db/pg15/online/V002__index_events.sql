-- Built while writers keep inserting and reading: CONCURRENTLY takes no lock that blocks them.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_payload_gin ON events USING gin (payload);
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_tenant_created ON events (tenant, created_at);
