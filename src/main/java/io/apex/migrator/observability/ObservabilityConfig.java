package io.apex.migrator.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the pipeline's own metrics ({@code apex.observability.*}); tracing is Quarkus' quarkus.otel.*. */
@ConfigMapping(prefix = "apex.observability")
public interface ObservabilityConfig {

    /** How often worker mode reads active runs from the run store for the {@code apex_run_progress} gauges. */
    @WithDefault("10s")
    Duration runProgressInterval();

    /** The recall watch: {@code apex_recall_at_k{collection, vector}} in worker mode. */
    Recall recall();

    interface Recall {

        /** Collections (aliases) whose recall@k is measured; none (the default) turns the watch off. */
        Optional<List<String>> collections();

        /** Time between two measurements of each collection. */
        @WithDefault("15m")
        Duration interval();

        /** Points sampled as queries per measurement. */
        @WithDefault("100")
        int sample();

        @WithDefault("10")
        int k();
    }
}
