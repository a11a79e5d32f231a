package io.apex.migrator.observability;

import io.apex.migrator.pipeline.CollectionRecall;
import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.pipeline.RecallProbe;
import io.apex.migrator.qdrant.QdrantGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * {@code apex_recall_at_k{collection, vector}}: recall@k of the default search against exact search of each
 * collection (alias) listed in {@code apex.observability.recall.collections}, measured in worker mode every
 * {@code apex.observability.recall.interval}, so a drop after re-indexing or new data shows on a dashboard. Off
 * unless collections are listed. The same measurement as {@code qdrant recall}.
 */
@ApplicationScoped
public class RecallWatch {

    private static final Logger LOGGER = Logger.getLogger(RecallWatch.class);

    private final MeterRegistry registry;
    private final QdrantGateway gateway;
    private final ObservabilityConfig.Recall config;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    RecallWatch(MeterRegistry registry, QdrantGateway gateway, ObservabilityConfig config) {
        this.registry = registry;
        this.gateway = gateway;
        this.config = config.recall();
    }

    void onStart(@Observes StartupEvent event, PipelineConfig pipeline) {
        List<String> collections = config.collections().orElse(List.of());
        if (!pipeline.enabled() || collections.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apex-recall-watch");
            t.setDaemon(true);
            return t;
        });
        long every = config.interval().toMillis();
        timer.scheduleWithFixedDelay(() -> collections.forEach(this::measureQuietly), 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Measures one collection and sets (registering on first use) the gauge of each of its dense vectors. */
    public CollectionRecall.Report measure(String collection) {
        CollectionRecall.Report report = CollectionRecall.measure(gateway, collection, config.sample(), config.k());
        for (RecallProbe.VectorRecall v : report.vectors()) {
            String vector = v.vector().isEmpty() ? "default" : v.vector();
            values.computeIfAbsent(collection + "\u0000" + vector, key -> {
                AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
                Gauge.builder("apex.recall.at.k", value, AtomicReference::get)
                        .description("recall@k of the default search against exact search on sampled points")
                        .tags("collection", collection, "vector", vector).strongReference(true).register(registry);
                return value;
            }).set(v.queries() == 0 ? Double.NaN : v.recall());
        }
        return report;
    }

    private void measureQuietly(String collection) {
        try {
            measure(collection);
        } catch (RuntimeException e) {
            // Qdrant may be briefly unreachable or the alias not there yet: the next round tries again
            LOGGER.warnf("recall of %s not measured: %s", collection, e.getMessage());
        }
    }
}
