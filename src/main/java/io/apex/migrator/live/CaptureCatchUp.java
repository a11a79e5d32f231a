package io.apex.migrator.live;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.proxy.CapturePublisher;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Tombstones;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What a verification asks of the capture stream: to have applied everything captured until now
 * ({@link #catchUp}), and to re-sync some points of a run's target from its source in the stream's order
 * ({@link #resync}): the capture applier is the one ordered writer of a target under live migration, so a
 * repair travels through it rather than writing to the target beside it.
 *
 * <p>Where no capture consumer runs in this deployment (the pipeline is off: {@code qdrant migrate --local}), nothing
 * is captured for it to wait for and nobody would apply a re-sync record: catching up is immediate and a re-sync is
 * applied here, directly.
 */
@ApplicationScoped
public class CaptureCatchUp {

    private static final Logger LOGGER = Logger.getLogger(CaptureCatchUp.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private final CaptureStream stream;
    private final CapturePublisher publisher;
    private final QdrantGateway gateway;
    private final Tombstones tombstones;
    private final Duration patience;
    private final boolean consumer;

    @Inject
    public CaptureCatchUp(CaptureStream stream, CapturePublisher publisher, QdrantGateway gateway,
            Tombstones tombstones, PipelineConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.capture-in.enabled", defaultValue = "true") boolean consumer) {
        this.stream = stream;
        this.publisher = publisher;
        this.gateway = gateway;
        this.tombstones = tombstones;
        this.patience = config.verify().streamPatience();
        this.consumer = consumer;
    }

    /** Whether captures are applied in this deployment (the capture consumer runs with the pipeline). */
    public boolean streamApplies() {
        return consumer;
    }

    /**
     * Waits until the stream applied every record before its end now; false when {@code apex.pipeline.verify
     * .stream-patience} ran out first (the stream is that far behind).
     */
    public boolean catchUp() {
        if (!consumer) {
            return true;
        }
        CaptureStream.Position end = stream.end();
        boolean applied = stream.awaitApplied(end, patience);
        if (!applied) {
            LOGGER.warnf("the capture stream did not apply %s records within %s", stream.behind(end), patience);
        }
        return applied;
    }

    /** Re-syncs {@code points} of the run's target from its source in the stream's order, then catches up. */
    public void resync(UUID runId, String source, String target, Collection<PointKey> points) {
        if (points.isEmpty()) {
            return;
        }
        if (!consumer) {
            PointResync.resync(gateway, tombstones, runId, source, target, points);
            return;
        }
        try {
            publisher.publishResync(runId, source, points).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a re-sync", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("run " + runId + ": cannot publish a re-sync of " + points.size()
                    + " points to the capture topic: " + e.getMessage(), e);
        }
        catchUp();
    }
}
