package io.apex.migrator.proxy;

import io.apex.migrator.state.ProxyHolds;
import io.apex.migrator.state.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * This replica's part in the cutover hold. It polls the run store every {@code apex.proxy.hold-poll} for runs whose
 * driver asked the proxies to hold their writes; from then on a write to such a run's collection is parked (not
 * forwarded) until the hold is released. Once none of the run's captured writes is in flight here (forwarded but
 * its capture not yet acknowledged by Kafka), the replica acknowledges the hold, so the driver knows the capture
 * stream holds every write this replica let through. Released writes go where the run ended up: to the alias's new
 * collection after a completed cutover (not captured), or as before (captured) when the hold was given up.
 *
 * <p>A replica that cannot read the run store for {@code 2 × apex.proxy.heartbeat} stops admitting writes to runs'
 * collections (the driver stops counting it as alive after {@code apex.pipeline.live.replica-expiry}), so a replica
 * the driver no longer waits for never lets a write through unseen.
 */
@ApplicationScoped
public class HoldGate {

    private static final Logger LOGGER = Logger.getLogger(HoldGate.class);

    private final ProxyHolds holds;
    private final ProxyConfig config;
    private final ActiveRuns activeRuns;
    /** Writes in flight that were not captured, by the generation of the active runs they were checked against. */
    private final Map<Long, java.util.concurrent.atomic.AtomicInteger> uncaptured = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** New runs to acknowledge once the uncaptured writes of older generations are done: run to generation. */
    private final Map<UUID, Long> barrier = new ConcurrentHashMap<>();
    private final String replica;
    private final Map<UUID, RunGate> gates = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> awaitingPoll = new ArrayList<>();
    private volatile long lastPollNanos;
    private long lastHeartbeatNanos;
    private ScheduledExecutorService poller;
    private boolean warned;

    @Inject
    public HoldGate(ProxyHolds holds, ProxyConfig config, ActiveRuns activeRuns) {
        this.holds = holds;
        this.config = config;
        this.activeRuns = activeRuns;
        this.replica = "proxy-" + ManagementFactory.getRuntimeMXBean().getName() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What a write to a run's collection may do now. */
    public sealed interface Admission permits Entered, Released {
    }

    /** Forward and capture it; call {@link Entered#exit} once its capture is acknowledged or it failed. */
    public record Entered(Runnable exit) implements Admission {
    }

    /** The run's cutover completed while the write was held: forward it to {@code target}, without capture. */
    public record Released(String source, String target) implements Admission {
    }

    public String replica() {
        return replica;
    }

    /** Registers this replica and starts polling; the first poll happens before this returns. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apex-proxy-hold-gate");
            t.setDaemon(true);
            return t;
        });
        long every = config.holdPoll().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (poller == null) {
            return;
        }
        poller.shutdownNow();
        poller = null;
        try {
            holds.leave(replica);
        } catch (RuntimeException e) {
            LOGGER.debugf("proxy replica %s not removed from the run store: %s", replica, e.getMessage());
        }
    }

    /**
     * A write is about to be checked against the active runs: call BEFORE the check; the token is the generation to
     * pass to {@link #exitUncaptured} when the write turned out to need no capture and is done (or at once when it
     * is captured after all).
     */
    public long enterUncaptured() {
        while (true) {
            long g = generation.get();
            uncaptured.computeIfAbsent(g, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            if (generation.get() == g) {
                return g;
            }
            // the generation moved on meanwhile: count the write in the new one (it will see the new runs)
            uncaptured.get(g).decrementAndGet();
        }
    }

    public void exitUncaptured(long token) {
        java.util.concurrent.atomic.AtomicInteger count = uncaptured.get(token);
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** Admits a write to {@code run}'s collection now, or once its hold is released (at most hold-max-wait). */
    public CompletableFuture<Admission> enter(ActiveRuns.ActiveRun run) {
        if (System.nanoTime() - lastPollNanos > 2 * config.heartbeat().toNanos()) {
            return freshPoll().thenCompose(ignored -> enter(run));
        }
        RunGate gate = gates.computeIfAbsent(run.id(), RunGate::new);
        return gate.enter(run);
    }

    private CompletableFuture<Void> freshPoll() {
        CompletableFuture<Void> next = new CompletableFuture<>();
        synchronized (awaitingPoll) {
            awaitingPoll.add(next);
        }
        return next.orTimeout(config.holdMaxWait().toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(new CaptureException.RunStoreUnavailable(new IllegalStateException(
                        "no answer from the run store for " + config.holdMaxWait().toMillis() + " ms"))));
    }

    void poll() {
        try {
            long now = System.nanoTime();
            if (now - lastHeartbeatNanos >= config.heartbeat().toNanos()) {
                holds.heartbeat(replica);
                lastHeartbeatNanos = now;
            }
            acknowledgeNewRuns();
            List<ProxyHolds.Hold> current = holds.holding();
            lastPollNanos = System.nanoTime();
            Set<UUID> held = new HashSet<>();
            for (ProxyHolds.Hold hold : current) {
                held.add(hold.runId());
                RunGate gate = gates.computeIfAbsent(hold.runId(), RunGate::new);
                if (gate.hold(hold.epoch())) {
                    holds.ack(hold.runId(), hold.epoch(), replica);
                    gate.acked(hold.epoch());
                }
            }
            for (RunGate gate : gates.values()) {
                if (!held.contains(gate.runId) && gate.holding()) {
                    release(gate);
                }
            }
            warned = false;
            List<CompletableFuture<Void>> waiting;
            synchronized (awaitingPoll) {
                waiting = new ArrayList<>(awaitingPoll);
                awaitingPoll.clear();
            }
            waiting.forEach(f -> f.complete(null));
        } catch (RuntimeException e) {
            if (!warned) {
                LOGGER.warnf("proxy %s: cannot read the cutover holds from the run store: %s", replica, e.getMessage());
                warned = true;
            }
        }
    }

    /**
     * The capture barrier: a run's copy starts only once every live replica captures its writes. A new run makes the
     * replica read the active runs again and start a new generation; it is acknowledged once every write checked
     * against the older runs (not captured) has completed, so none of them can reach the source after the copy read it.
     */
    private void acknowledgeNewRuns() {
        List<UUID> fresh = holds.unacknowledgedRuns(replica).stream().filter(id -> !barrier.containsKey(id)).toList();
        if (!fresh.isEmpty()) {
            activeRuns.invalidate();
            long older = generation.getAndIncrement();
            fresh.forEach(id -> barrier.put(id, older));
        }
        for (Map.Entry<UUID, Long> entry : barrier.entrySet()) {
            long g = entry.getValue();
            boolean drained = uncaptured.entrySet().stream().filter(e -> e.getKey() <= g)
                    .allMatch(e -> e.getValue().get() <= 0);
            if (drained) {
                holds.ack(entry.getKey(), 0, replica);
                barrier.remove(entry.getKey());
            }
        }
        uncaptured.entrySet().removeIf(e -> e.getKey() < generation.get() - 1 && e.getValue().get() <= 0);
    }

    private void release(RunGate gate) {
        Optional<ProxyHolds.RunTarget> target = holds.target(gate.runId);
        RunGate.Outcome outcome = gate.release(target.filter(t -> t.state() == RunState.COMPLETED).orElse(null));
        if (outcome.ackedEpoch() > 0 && outcome.held().count() > 0) {
            holds.reportHeld(gate.runId, outcome.ackedEpoch(), replica, outcome.held());
        }
        LOGGER.infof("proxy %s: run %s: hold released (%s writes held, max %.1f ms)", replica, gate.runId,
                outcome.held().count(), outcome.held().maxMs());
    }

    /** The hold state of one run on this replica. */
    private final class RunGate {

        private final UUID runId;
        private int inFlight;
        private int epoch;
        private int ackedEpoch;
        private CompletableFuture<ProxyHolds.RunTarget> released;
        /** When each write parked by the current hold arrived. */
        private final List<Long> heldSince = new ArrayList<>();

        record Outcome(int ackedEpoch, ProxyHolds.HeldWrites held) {
        }

        RunGate(UUID runId) {
            this.runId = runId;
        }

        CompletableFuture<Admission> enter(ActiveRuns.ActiveRun run) {
            CompletableFuture<ProxyHolds.RunTarget> wait;
            long since = System.nanoTime();
            synchronized (this) {
                if (released == null) {
                    inFlight++;
                    AtomicBoolean exited = new AtomicBoolean();
                    return CompletableFuture.completedFuture(new Entered(() -> {
                        if (exited.compareAndSet(false, true)) {
                            exit();
                        }
                    }));
                }
                wait = released;
                heldSince.add(since);
            }
            return wait.orTimeout(config.holdMaxWait().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((target, timeout) -> {
                        if (timeout != null) {
                            LOGGER.warnf("proxy %s: run %s: a write held for %s ms is let through (no release)", replica,
                                    runId, config.holdMaxWait().toMillis());
                        }
                        return target;
                    })
                    .thenCompose(target -> target == null ? admitAfterHold(run)
                            : CompletableFuture.completedFuture(new Released(target.source(), target.target())));
        }

        private CompletableFuture<Admission> admitAfterHold(ActiveRuns.ActiveRun run) {
            synchronized (this) {
                // the hold was given up (or timed out): the write goes through as any other, captured
                inFlight++;
            }
            AtomicBoolean exited = new AtomicBoolean();
            return CompletableFuture.completedFuture(new Entered(() -> {
                if (exited.compareAndSet(false, true)) {
                    exit();
                }
            }));
        }

        synchronized void exit() {
            inFlight--;
        }

        /** Holds from now on; true when this epoch can be acknowledged now (nothing in flight, not acked yet). */
        synchronized boolean hold(int newEpoch) {
            if (released == null) {
                released = new CompletableFuture<>();
            }
            epoch = newEpoch;
            return inFlight == 0 && ackedEpoch != newEpoch;
        }

        synchronized void acked(int ackedEpochNow) {
            ackedEpoch = ackedEpochNow;
        }

        synchronized boolean holding() {
            return released != null;
        }

        Outcome release(ProxyHolds.RunTarget completedOrNull) {
            CompletableFuture<ProxyHolds.RunTarget> toComplete;
            Outcome outcome;
            synchronized (this) {
                toComplete = released;
                released = null;
                long now = System.nanoTime();
                outcome = new Outcome(ackedEpoch == epoch ? ackedEpoch : 0,
                        stats(heldSince.stream().map(t -> (now - t) / 1e6).toList()));
                heldSince.clear();
            }
            if (toComplete != null) {
                toComplete.complete(completedOrNull);
            }
            return outcome;
        }
    }

    private static ProxyHolds.HeldWrites stats(List<Double> waits) {
        if (waits.isEmpty()) {
            return new ProxyHolds.HeldWrites(0, 0, 0, 0);
        }
        List<Double> sorted = new ArrayList<>(waits);
        sorted.sort(Double::compare);
        return new ProxyHolds.HeldWrites(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
