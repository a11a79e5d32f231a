package io.apex.migrator.observability;

import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code apex_run_progress{run, target}}: copied / source points (0..1) of each active run, read from the run
 * store every {@code apex.observability.run-progress-interval} in worker mode. A run's gauge is removed as soon
 * as the run has ended, so the series count stays the number of active runs (no unbounded run-id cardinality).
 */
@ApplicationScoped
public class RunProgressGauges {

    private static final Logger LOGGER = Logger.getLogger(RunProgressGauges.class);
    /** At most this many active runs are gauged (active runs are few: one per alias and target). */
    private static final int SCAN = 200;

    private final MeterRegistry registry;
    private final RunStore runStore;
    private final Map<UUID, Tracked> gauges = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    RunProgressGauges(MeterRegistry registry, RunStore runStore) {
        this.registry = registry;
        this.runStore = runStore;
    }

    void onStart(@Observes StartupEvent event, PipelineConfig pipeline, ObservabilityConfig config) {
        if (!pipeline.enabled()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apex-run-progress-gauges");
            t.setDaemon(true);
            return t;
        });
        long every = config.runProgressInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Registers or updates the gauge of every active run and removes those of ended runs. */
    public void refresh() {
        Map<UUID, Run> active = runStore.activeRuns(SCAN).stream().collect(Collectors.toMap(Run::id, r -> r));
        for (Run run : active.values()) {
            double progress = run.sourcePoints() == null || run.sourcePoints() == 0 ? 0.0
                    : Math.min(1.0, (double) run.copiedPoints() / run.sourcePoints());
            gauges.computeIfAbsent(run.id(), id -> track(run)).value().set(progress);
        }
        Set<UUID> ended = gauges.keySet().stream().filter(id -> !active.containsKey(id)).collect(Collectors.toSet());
        for (UUID id : ended) {
            Tracked t = gauges.remove(id);
            if (t != null) {
                registry.remove(t.gauge());
            }
        }
    }

    private Tracked track(Run run) {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        Gauge gauge = Gauge.builder("apex.run.progress", value, AtomicReference::get)
                .description("Copied / source points of an active run (removed when the run ends)")
                .tags("run", run.id().toString(), "target", run.target()).strongReference(true).register(registry);
        return new Tracked(gauge, value);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // the run store may be briefly unreachable; the next round tries again
            LOGGER.debugf("run progress gauges not refreshed: %s", e.getMessage());
        }
    }

    private record Tracked(Gauge gauge, AtomicReference<Double> value) {
    }
}
