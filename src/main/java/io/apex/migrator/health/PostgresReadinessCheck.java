package io.apex.migrator.health;

import io.apex.migrator.schema.postgres.PostgresSchemaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the memory database the schema migrations target ({@code apex.postgres.*}); the migrator's own
 * run store is covered by the datasource check Quarkus registers.
 */
@Readiness
@ApplicationScoped
final class PostgresReadinessCheck implements HealthCheck {

    private final PostgresSchemaConfig config;

    PostgresReadinessCheck(PostgresSchemaConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var settings = config.settings();
        var response = HealthCheckResponse.named("PostgreSQL memory store").withData("url", settings.where());
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(),
                settings.connectionProperties(java.time.Duration.ofSeconds(2)))) {
            return c.isValid(2) ? response.up().build() : response.down().build();
        } catch (SQLException e) {
            return response.withData("error", String.valueOf(e.getMessage())).down().build();
        }
    }
}
