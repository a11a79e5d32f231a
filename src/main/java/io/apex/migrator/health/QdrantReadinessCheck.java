package io.apex.migrator.health;

import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of Qdrant: its own health RPC, once, without retries. */
@Readiness
@ApplicationScoped
final class QdrantReadinessCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final QdrantGateway gateway;

    QdrantReadinessCheck(QdrantGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Qdrant").withData("endpoint", gateway.settings().endpoint());
        try {
            return response.withData("version", gateway.healthCheck(TIMEOUT)).up().build();
        } catch (QdrantException e) {
            return response.withData("error", e.getMessage()).down().build();
        }
    }
}
