package io.apex.migrator.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.TimeoutExceededException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.VectorParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Whether a target is ready to serve readers, asked before every cutover: right after a bulk copy Qdrant is still
 * building the HNSW index (status yellow, or grey while optimizations wait to be triggered), and searches on it are
 * far slower than once it is done. Ready means status green, optimizer ok, and {@code indexed_vectors_count} at least
 * {@code apex.pipeline.readiness.indexed-share} of the vectors Qdrant will index: those of the dense vectors whose
 * HNSW is on (m &gt; 0), counted only when the collection's vector data per segment reaches the indexing threshold
 * (Qdrant leaves smaller segments unindexed and searches them exactly, so nothing more is to be waited for).
 */
@ApplicationScoped
public class ReadinessGate {

    private final QdrantGateway gateway;
    private final PipelineConfig config;

    @Inject
    public ReadinessGate(QdrantGateway gateway, PipelineConfig config) {
        this.gateway = gateway;
        this.config = config;
    }

    /** What one look at the target found. */
    public record Readiness(String status, String optimizer, long points, long indexedVectors, long requiredIndexed) {

        public boolean ready() {
            return "green".equals(status) && "ok".equals(optimizer) && indexedVectors >= requiredIndexed;
        }

        /** Why the target is not ready yet, e.g. {@code status yellow; 120 of 990 required vectors indexed}. */
        public String reason() {
            StringBuilder why = new StringBuilder();
            if (!"green".equals(status)) {
                why.append("status ").append(status);
            }
            if (!"ok".equals(optimizer)) {
                why.append(why.isEmpty() ? "" : "; ").append("optimizer ").append(optimizer);
            }
            if (indexedVectors < requiredIndexed) {
                why.append(why.isEmpty() ? "" : "; ").append(indexedVectors).append(" of ").append(requiredIndexed)
                        .append(" required vectors indexed");
            }
            return why.toString();
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ready", ready());
            m.put("status", status);
            m.put("optimizer", optimizer);
            m.put("points", points);
            m.put("indexedVectors", indexedVectors);
            m.put("requiredIndexed", requiredIndexed);
            if (!ready()) {
                m.put("reason", reason());
            }
            return m;
        }
    }

    /** One look at the target. */
    public Readiness check(String target) {
        CollectionInfo info = gateway.collectionInfo(target);
        String optimizer = info.getOptimizerStatus().getOk() ? "ok" : "error: " + info.getOptimizerStatus().getError();
        long points = info.getPointsCount();
        return new Readiness(status(info.getStatus()), optimizer, points, info.getIndexedVectorsCount(),
                requiredIndexed(info.getConfig(), points, Math.max(1, info.getSegmentsCount()),
                        config.readiness().indexedShare()));
    }

    /**
     * Polls the target with backoff until it is ready or {@code apex.pipeline.readiness.timeout} passed; each look
     * that finds it not ready (and changed since the last one) goes to {@code progress}. Returns the last look.
     */
    public Readiness await(String target, Consumer<Readiness> progress) {
        PipelineConfig.Readiness r = config.readiness();
        Readiness[] last = {null};
        RetryPolicy<Readiness> notYet = RetryPolicy.<Readiness>builder()
                .handleResultIf(found -> !found.ready())
                .abortOn(e -> true)
                .withBackoff(r.firstPoll(), r.maxPoll().compareTo(r.firstPoll()) > 0 ? r.maxPoll()
                        : r.firstPoll().plusMillis(1))
                .withMaxRetries(-1)
                .withMaxDuration(r.timeout())
                .build();
        try {
            return Failsafe.with(notYet).get(() -> {
                Readiness now = check(target);
                if (!now.ready() && !now.equals(last[0])) {
                    progress.accept(now);
                }
                last[0] = now;
                return now;
            });
        } catch (TimeoutExceededException e) {
            return last[0] != null ? last[0] : check(target);
        }
    }

    /** The vectors Qdrant is expected to have indexed once it is done. */
    static long requiredIndexed(CollectionConfig config, long points, long segments, double share) {
        long thresholdKb = config.getOptimizerConfig().getIndexingThreshold();
        long collectionM = config.getHnswConfig().getM();
        if (points == 0 || thresholdKb == 0) {
            return 0;
        }
        long indexed = 0;
        long bytesPerPoint = 0;
        for (VectorParams v : VectorShapes.dense(config.getParams().getVectorsConfig()).values()) {
            long m = v.hasHnswConfig() && v.getHnswConfig().hasM() ? v.getHnswConfig().getM() : collectionM;
            if (m > 0) {
                indexed++;
            }
            bytesPerPoint += 4 * v.getSize();
        }
        if (indexed == 0 || points * bytesPerPoint / segments < thresholdKb * 1024) {
            return 0;
        }
        return (long) Math.ceil(share * points * indexed);
    }

    private static String status(CollectionStatus status) {
        return switch (status) {
            case Green -> "green";
            case Yellow -> "yellow";
            case Red -> "red";
            case Grey -> "grey";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }
}
