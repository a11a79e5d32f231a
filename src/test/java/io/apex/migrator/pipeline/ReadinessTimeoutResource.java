package io.apex.migrator.pipeline;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A readiness gate that gives up after {@link #TIMEOUT} (polling every 200 ms to 500 ms) and then does what the
 * resource's {@code on-timeout} argument says. A test resource rather than a test profile, as
 * {@link PipelineWorkerResource} explains.
 */
public final class ReadinessTimeoutResource implements QuarkusTestResourceLifecycleManager {

    public static final String TIMEOUT = "2s";

    private String onTimeout;

    @Override
    public void init(Map<String, String> initArgs) {
        onTimeout = initArgs.get("on-timeout");
        if (onTimeout == null) {
            throw new IllegalArgumentException("the on-timeout argument is required");
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("apex.pipeline.readiness.timeout", TIMEOUT,
                "apex.pipeline.readiness.on-timeout", onTimeout,
                "apex.pipeline.readiness.first-poll", "200ms",
                "apex.pipeline.readiness.max-poll", "500ms");
    }

    @Override
    public void stop() {
        // nothing to stop: configuration only
    }
}
