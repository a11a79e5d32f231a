package io.apex.migrator.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the pipeline's own metrics ({@code apex.observability.*}); tracing is Quarkus' quarkus.otel.*. */
@ConfigMapping(prefix = "apex.observability")
public interface ObservabilityConfig {

    /** How often worker mode reads active runs from the run store for the {@code apex_run_progress} gauges. */
    @WithDefault("10s")
    Duration runProgressInterval();
}
