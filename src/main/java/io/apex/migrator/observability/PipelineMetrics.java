package io.apex.migrator.observability;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The pipeline's own Micrometer meters (Prometheus names in README, Operations): points copied, batches by
 * outcome, page retries and batch latency. Tags have few values (kind, outcome, operation): never a run id,
 * which only the per-run progress gauge carries ({@link RunProgressGauges}).
 */
@ApplicationScoped
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Counter pointsCopied;

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.pointsCopied = Counter.builder("apex.points.copied").description("Points upserted into target collections")
                .register(registry);
    }

    /** Counts a batch a worker finished (done, skipped or failed for good) and its duration. */
    public void batch(BatchProgress progress) {
        String kind = progress.kind().wireName();
        String outcome = progress.status().name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder("apex.batches").description("Batch tasks finished by workers, by outcome")
                .tags("kind", kind, "outcome", outcome).register(registry).increment();
        Timer.builder("apex.batch.duration").description("Time a worker spent on one batch task")
                .tags("kind", kind, "outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(Duration.ofMillis(Math.max(0, progress.durationMs())));
        if (progress.kind() == BatchKind.COPY && progress.status() == BatchProgress.Status.DONE) {
            pointsCopied.increment(progress.points());
        }
    }

    /** Counts one retry of a page (scroll or upsert) after a transient Qdrant error. */
    public void retry(String operation) {
        Counter.builder("apex.batch.retries").description("Page retries inside batch tasks after transient errors")
                .tags("operation", operation).register(registry).increment();
    }
}
