package io.apex.migrator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real services. They are JVM-wide singletons, so every test class and
 * every Quarkus restart shares one set; they stop when the test JVM exits.
 */
public final class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalStack.startAll();
        return LocalStack.config();
    }

    @Override
    public void stop() {
        // Shared across test classes: stopped by the JVM shutdown hook, not per class.
    }
}
