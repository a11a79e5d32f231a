package io.apex.migrator.health;

import io.apex.migrator.schema.neo4j.Neo4jSchemaConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.neo4j.driver.Driver;

/** Readiness of Neo4j: Bolt connectivity with the configured credentials (never reported). */
@Readiness
@ApplicationScoped
final class Neo4jReadinessCheck implements HealthCheck {

    private final Neo4jSchemaConfig config;
    private volatile Driver driver;

    Neo4jReadinessCheck(Neo4jSchemaConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var settings = config.settings();
        var response = HealthCheckResponse.named("Neo4j").withData("uri", settings.uri());
        try {
            driver().verifyConnectivity();
            return response.up().build();
        } catch (RuntimeException e) {
            return response.withData("error", String.valueOf(e.getMessage())).down().build();
        }
    }

    private Driver driver() {
        Driver d = driver;
        if (d == null) {
            synchronized (this) {
                if (driver == null) {
                    driver = config.settings().openDriver(java.time.Duration.ofSeconds(2), 1);
                }
                d = driver;
            }
        }
        return d;
    }

    @PreDestroy
    void close() {
        if (driver != null) {
            driver.close();
        }
    }
}
