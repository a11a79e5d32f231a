package io.apex.migrator.pipeline;

import io.apex.migrator.state.Leases;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Where runs are driven after the copy and schema jobs run: a pool of its own, never a Kafka consumer thread, so
 * commands never wait behind hours of index building. Work is keyed (a run, a job): a key already in flight is not
 * started twice; asking again while it runs makes it run once more afterwards. It also keeps this replica's leases
 * alive (renewed every third of their length) for as long as their work runs.
 */
@ApplicationScoped
public class LifecyclePool {

    private static final Logger LOGGER = Logger.getLogger(LifecyclePool.class);

    private final PipelineConfig config;
    private final Leases leases;
    private final String owner;
    private final Map<String, AtomicBoolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Object, Leases.Kind> held = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private ScheduledExecutorService renewer;

    @Inject
    public LifecyclePool(PipelineConfig config, Leases leases) {
        this.config = config;
        this.leases = leases;
        String worker = config.workerId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        // a replica restarted under the same name is another owner: the dead one's leases still have to expire
        this.owner = worker + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This replica's name on the leases it holds. */
    public String owner() {
        return owner;
    }

    /** Runs {@code work} on the pool unless the same key is in flight (then it runs once more after it). */
    public void submit(String key, Runnable work) {
        AtomicBoolean again = new AtomicBoolean();
        AtomicBoolean running = inFlight.putIfAbsent(key, again);
        if (running != null) {
            running.set(true);
            return;
        }
        executor().execute(() -> runKeyed(key, again, work));
    }

    private void runKeyed(String key, AtomicBoolean again, Runnable work) {
        try {
            do {
                again.set(false);
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOGGER.errorf(e, "%s: %s (the reconciler tries again)", key, e.getMessage());
                }
            } while (again.get());
        } finally {
            inFlight.remove(key);
            if (again.get()) {
                submit(key, work);
            }
        }
    }

    /** Work under a lease this replica holds: renewed until {@link #released}. */
    public void holding(Leases.Kind kind, Object key) {
        held.put(key, kind);
        startRenewer();
    }

    public void released(Object key) {
        held.remove(key);
    }

    private synchronized ExecutorService executor() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, config.lifecycle().threads()), r -> {
                Thread t = new Thread(r, "apex-lifecycle");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private synchronized void startRenewer() {
        if (renewer == null) {
            renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "apex-lease-renewer");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(100, config.lifecycle().lease().toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void renew() {
        for (Leases.Kind kind : Leases.Kind.values()) {
            List<Object> keys = held.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey)
                    .toList();
            try {
                int still = leases.renew(kind, keys, owner, config.lifecycle().lease());
                // a lease let go between the snapshot and the renewal was released, not lost
                long heldNow = keys.stream().filter(held::containsKey).count();
                if (still < heldNow) {
                    LOGGER.warnf("%s of %s leases held here were lost (expired and taken over); their steps are "
                            + "idempotent and the new holder drives them on", heldNow - still, heldNow);
                }
            } catch (RuntimeException e) {
                LOGGER.warnf("renewing leases failed: %s", e.getMessage());
            }
        }
    }

    /** On shutdown the leases held here are let go at once, so another replica need not wait for their expiry. */
    @PreDestroy
    synchronized void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (renewer != null) {
            renewer.shutdownNow();
        }
        held.forEach((key, kind) -> {
            try {
                leases.release(kind, key, owner);
            } catch (RuntimeException e) {
                LOGGER.debugf("lease of %s left to expire: %s", key, e.getMessage());
            }
        });
    }
}
