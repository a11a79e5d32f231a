package io.apex.migrator.proxy;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.pipeline.KafkaSend;
import io.qdrant.client.grpc.Points;
import java.util.Collection;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes captured writes to the capture topic (channel {@code capture-out}) and reports Kafka's acknowledgement. */
@ApplicationScoped
public class CapturePublisher {

    private final Emitter<byte[]> emitter;
    private final ProxyConfig config;
    private final ProxyMetrics metrics;

    @Inject
    public CapturePublisher(@Channel("capture-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            Emitter<byte[]> emitter, ProxyConfig config, ProxyMetrics metrics) {
        this.emitter = emitter;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Completes when Kafka acknowledged the capture; fails when it refused or did not answer in time. Counted in
     * {@code apex.proxy.captured.writes} / {@code apex.proxy.capture.failures}.
     */
    public CompletableFuture<Void> publish(ActiveRuns.ActiveRun run, String method, byte[] request) {
        long start = System.nanoTime();
        return publish(new CapturedWrite(run.id(), run.source(), method, Instant.now(), request))
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        metrics.captured(run.source(), method, System.nanoTime() - start);
                    } else {
                        metrics.captureFailed(run.source(), method);
                    }
                });
    }

    /**
     * Asks the capture stream to re-sync these points of the run's target from its source, in the stream's order
     * (after every write captured before it); completes when Kafka acknowledged.
     */
    public CompletableFuture<Void> publishResync(UUID runId, String source, Collection<PointKey> points) {
        Points.PointsIdsList.Builder ids = Points.PointsIdsList.newBuilder();
        points.forEach(p -> ids.addIds(p.toPointId()));
        return publish(new CapturedWrite(runId, source, CaptureMethods.RESYNC, Instant.now(),
                ids.build().toByteArray()));
    }

    private CompletableFuture<Void> publish(CapturedWrite write) {
        byte[] request = write.request();
        String key = write.source();
        try {
            return KafkaSend.send(emitter, key, request, write.headers())
                    .orTimeout(config.captureTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // an emitter whose buffer is full (Kafka away for long) refuses at once
            return CompletableFuture.failedFuture(e);
        }
    }
}
