package io.apex.migrator.proxy;

import java.util.Map;

/**
 * What {@code apex-migrator proxy} changes in the application's configuration before Quarkus starts: HTTP on (health
 * and metrics, like a worker) and readiness limited to what the proxy depends on. The proxy needs the upstream Qdrant
 * (the Qdrant check) and the run store (the datasource check); it never touches the memory stores the schema
 * migrations manage, so their checks are off: a Neo4j outage must not take every proxy replica out of its Service.
 */
public final class ProxyMode {

    private static final String CHECKS = "quarkus.smallrye-health.check.\"io.apex.migrator.health.%s\".enabled";

    /** System properties the proxy process sets before Quarkus reads its configuration. */
    public static final Map<String, String> SETTINGS = Map.of(
            "quarkus.http.host-enabled", "true",
            String.format(CHECKS, "Neo4jReadinessCheck"), "false",
            String.format(CHECKS, "PostgresReadinessCheck"), "false");

    private ProxyMode() {
    }
}
