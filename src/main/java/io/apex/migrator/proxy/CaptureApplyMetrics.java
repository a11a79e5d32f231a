package io.apex.migrator.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker side of the capture stream, in Micrometer meters: captures applied to a target, skipped (their run
 * ended, or its target did not exist yet) and failed (sent to the dead-letter topic), by source collection; how long a
 * capture took from the proxy to the target; and the lag of the stream, {@code apex.capture.lag.seconds}: now minus
 * the capture time of the last record this worker passed (applied or skipped), NaN before the first one.
 *
 * <p>The lag grows while the stream is idle too: read it with the records behind, which the Kafka binder reports as
 * {@code kafka_consumer_fetch_manager_records_lag{topic="apex.capture"}} (0 behind and a growing lag: nothing to
 * apply; records behind and a growing lag: the workers fall behind).
 */
@ApplicationScoped
public class CaptureApplyMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicReference<Instant> lastCapturedAt = new AtomicReference<>();

    @Inject
    public CaptureApplyMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    CaptureApplyMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("apex.capture.lag", this, CaptureApplyMetrics::lagSeconds).baseUnit("seconds")
                .description("Now minus the capture time of the last capture record this worker applied or skipped")
                .register(registry);
    }

    /** A capture the worker applied to its run's target. */
    void applied(CapturedWrite write) {
        count("apex.capture.applied", "Captured writes applied to target collections", write);
        Timer.builder("apex.capture.apply.delay").description("From a write's capture to its application to the target")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(Duration.between(write.capturedAt(), clock.instant()).abs());
        passed(write);
    }

    /** A capture the worker skipped: its run ended, or its target does not exist yet (the copy carries it). */
    void skipped(CapturedWrite write) {
        count("apex.capture.skipped", "Captured writes skipped (run ended, or target not provisioned yet)", write);
        passed(write);
    }

    /** A capture the worker could not apply (after retries; it goes to the dead-letter topic). */
    void failed(CapturedWrite write) {
        count("apex.capture.failed", "Captured writes that failed to apply (sent to the dead-letter topic)", write);
    }

    /** The stream lag in seconds; NaN before the first record. */
    double lagSeconds() {
        Instant last = lastCapturedAt.get();
        return last == null ? Double.NaN : Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
    }

    private void passed(CapturedWrite write) {
        // the latest capture time wins: records of other partitions may be older
        lastCapturedAt.accumulateAndGet(write.capturedAt(),
                (current, next) -> current == null || next.isAfter(current) ? next : current);
    }

    private void count(String name, String description, CapturedWrite write) {
        Counter.builder(name).description(description).tags("collection", write.source()).register(registry)
                .increment();
    }
}
