package io.apex.migrator.proxy;

import io.apex.migrator.state.CapturedWrites;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Counts the captured writes this worker applied, per run, and adds them to the run store about once a second
 * ({@link CapturedWrites}): one UPDATE per run and second instead of one per write. A run's first capture is added at
 * once, so that whether a run receives captures at all is known without waiting for the next flush.
 */
@ApplicationScoped
public class CaptureTally {

    private static final Logger LOGGER = Logger.getLogger(CaptureTally.class);
    private static final Duration FLUSH = Duration.ofSeconds(1);

    private final CapturedWrites store;
    private final Map<UUID, Long> pending = new HashMap<>();
    private final Set<UUID> seen = new HashSet<>();
    private ScheduledExecutorService timer;

    @Inject
    public CaptureTally(CapturedWrites store) {
        this.store = store;
    }

    /** One captured write of the run was applied to its target. */
    void applied(UUID runId) {
        boolean first;
        synchronized (this) {
            pending.merge(runId, 1L, Long::sum);
            first = seen.add(runId);
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "capture-tally");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleWithFixedDelay(this::flush, FLUSH.toMillis(), FLUSH.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (first) {
            flush();
        }
    }

    /** Adds what was counted since the last flush; kept for the next one when the run store does not answer. */
    void flush() {
        Map<UUID, Long> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new HashMap<>(pending);
            pending.clear();
        }
        try {
            store.add(batch);
        } catch (RuntimeException e) {
            LOGGER.warnf("cannot add %s applied captures to the run store, trying again later: %s",
                    batch.values().stream().mapToLong(Long::longValue).sum(), e.getMessage());
            synchronized (this) {
                batch.forEach((run, n) -> pending.merge(run, n, Long::sum));
            }
        }
    }

    @PreDestroy
    void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
        }
        if (t != null) {
            t.shutdownNow();
        }
        flush();
    }
}
