package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The worker side of the capture stream: counts by collection, and the lag of the last record passed. */
class CaptureApplyMetricsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final CaptureApplyMetrics metrics = new CaptureApplyMetrics(registry, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void theLagIsUnknownBeforeTheFirstCapture() {
        assertThat(registry.get("apex.capture.lag").gauge().value()).isNaN();
    }

    @Test
    void theLagIsNowMinusTheCaptureTimeOfTheLastRecordPassed() {
        // given: a capture made 3 s ago is applied, then one made 1 s ago is skipped
        metrics.applied(write("docs_v1", T0.minusSeconds(3)));
        metrics.skipped(write("docs_v1", T0.minusSeconds(1)));

        // when: 4 more seconds pass without captures
        now.set(T0.plusSeconds(4));

        // then
        assertThat(registry.get("apex.capture.lag").gauge().value()).isEqualTo(5.0);
    }

    @Test
    void anOlderRecordOfAnotherPartitionDoesNotMoveTheLagBack() {
        metrics.applied(write("a_v1", T0.minusSeconds(1)));

        // when
        metrics.applied(write("b_v1", T0.minusSeconds(30)));

        // then
        assertThat(registry.get("apex.capture.lag").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void capturesAreCountedByOutcomeAndSourceCollection() {
        // when
        metrics.applied(write("docs_v1", T0.minusMillis(200)));
        metrics.applied(write("docs_v1", T0.minusMillis(100)));
        metrics.skipped(write("chunks_v1", T0));
        metrics.failed(write("docs_v1", T0));

        // then
        assertThat(registry.get("apex.capture.applied").tag("collection", "docs_v1").counter().count()).isEqualTo(2);
        assertThat(registry.get("apex.capture.skipped").tag("collection", "chunks_v1").counter().count()).isEqualTo(1);
        assertThat(registry.get("apex.capture.failed").tag("collection", "docs_v1").counter().count()).isEqualTo(1);
        assertThat(registry.get("apex.capture.apply.delay").timer().count()).isEqualTo(2);
        assertThat(registry.get("apex.capture.apply.delay").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(200);
    }

    private static CapturedWrite write(String source, Instant capturedAt) {
        return new CapturedWrite(UUID.randomUUID(), source, "qdrant.Points/Upsert", capturedAt, new byte[0]);
    }
}
