package io.apex.migrator.qdrant.standin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the JVM-wide Qdrant stand-in ({@link QdrantStandIn#shared()}) as
 * {@code apex.qdrant.host} / {@code apex.qdrant.port} / {@code apex.qdrant.rest-port}. Tests steer its faults with
 * {@code QdrantStandIn.shared().faults()} and should reset them when done.
 */
public final class QdrantStandInResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        return Map.of("apex.qdrant.host", standIn.host(), "apex.qdrant.port", Integer.toString(standIn.port()),
                "apex.qdrant.rest-port", Integer.toString(standIn.restPort()));
    }

    @Override
    public void stop() {
        // Shared across test classes: stopped by the JVM shutdown hook, not per class.
    }
}
