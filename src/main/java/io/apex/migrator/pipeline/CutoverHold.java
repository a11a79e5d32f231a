package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.live.CaptureStream;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.ProxyHolds;
import io.apex.migrator.state.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The driver's side of the cutover hold of a live collection. With proxy replicas alive, the alias is swapped only
 * inside a hold: the run asks the proxies to park its writes, waits until every live replica holds (none of its
 * captures still in flight), waits until the workers applied the capture stream up to its end, compares the exact
 * counts at that consistent point, and marks the swap (from then on no capture of the run is applied). All of it
 * within {@code apex.pipeline.live.hold-budget}; otherwise the hold is released (the parked writes go to the
 * source, captured) and the cutover is tried again. Writers see latency, never an error.
 */
@ApplicationScoped
public class CutoverHold {

    private static final Logger LOGGER = Logger.getLogger(CutoverHold.class);
    private static final Duration POLL = Duration.ofMillis(5);

    private final ProxyHolds holds;
    private final CaptureStream stream;
    private final QdrantGateway gateway;
    private final PipelineConfig.Live config;

    @Inject
    public CutoverHold(ProxyHolds holds, CaptureStream stream, QdrantGateway gateway, PipelineConfig config) {
        this.holds = holds;
        this.stream = stream;
        this.gateway = gateway;
        this.config = config.live();
    }

    /** What a hold came to. */
    public sealed interface Outcome permits Held, NotReady {
    }

    /** A hold that is ready for the swap: every live replica parks the run's writes, the stream is applied. */
    public record Held(int epoch, long startedNanos, int replicas) implements Outcome {

        public long elapsedMillis() {
            return (System.nanoTime() - startedNanos) / 1_000_000;
        }
    }

    /** Why a hold was given up; {@code recheck} when the copy must be verified again before the next try. */
    public record NotReady(int epoch, String reason, boolean recheck) implements Outcome {
    }

    /** Whether the run's cutover needs a hold: proxies are alive, or a hold of it was left by a dead driver. */
    public boolean needed(Run run) {
        return !holds.liveReplicas(config.replicaExpiry()).isEmpty()
                || holds.target(run.id()).map(t -> t.holdState() != null).orElse(false);
    }

    /** Whether a driver that died left this run's swap marked (the captures of the run are not applied). */
    public boolean leftSwapping(Run run) {
        return holds.wasSwapping(run.id());
    }

    /** Holds, drains and checks; either a hold ready for the swap, or why not (the hold already released). */
    public Outcome hold(Run run) {
        long started = System.nanoTime();
        long deadline = started + config.holdBudget().toNanos();
        Optional<Integer> epoch = holds.startHold(run.id());
        if (epoch.isEmpty()) {
            return new NotReady(0, "the run is no longer cutting over", false);
        }
        int e = epoch.get();
        // read after the hold is set: a replica starting later sees the hold in its first poll, before its first call
        Set<String> replicas = new HashSet<>(holds.liveReplicas(config.replicaExpiry()));
        while (!holds.acks(run.id(), e).containsAll(replicas)) {
            if (System.nanoTime() > deadline) {
                Set<String> missing = new HashSet<>(replicas);
                missing.removeAll(holds.acks(run.id(), e));
                return giveUp(run, e, "proxy replicas " + missing + " did not hold the writes within "
                        + config.holdBudget().toMillis() + " ms", false);
            }
            pause();
            replicas.retainAll(holds.liveReplicas(config.replicaExpiry()));
        }
        CrashPoint.reached(CrashPoint.MID_CUTOVER_HOLD, run.source());
        CaptureStream.Position end = stream.end();
        if (!stream.awaitApplied(end, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            return giveUp(run, e, "the capture stream was not applied within the hold budget ("
                    + stream.behind(end) + " records behind)", false);
        }
        long source = gateway.count(run.source());
        long target = gateway.count(run.target());
        if (source != target) {
            return giveUp(run, e, "exact counts differ with the stream applied and writes held: source "
                    + run.source() + " has " + source + ", target " + run.target() + " has " + target
                    + " (a writer bypasses the proxies?)", true);
        }
        if (System.nanoTime() > deadline) {
            return giveUp(run, e, "the hold took longer than " + config.holdBudget().toMillis() + " ms", false);
        }
        if (!holds.markSwapping(run.id(), e)) {
            return giveUp(run, e, "the hold was taken over", false);
        }
        CrashPoint.reached(CrashPoint.AFTER_SWAP_MARKED, run.source());
        Held held = new Held(e, started, replicas.size());
        LOGGER.infof("run %s: writes held by %s proxy replicas, stream drained, %s points on both sides (%s ms)",
                run.id(), replicas.size(), source, held.elapsedMillis());
        return held;
    }

    /** Ends the hold: the proxies release the parked writes (to the target once the run completed). */
    public void release(Run run) {
        holds.release(run.id());
    }

    public int maxAttempts() {
        return config.maxHoldAttempts();
    }

    private NotReady giveUp(Run run, int epoch, String reason, boolean recheck) {
        holds.release(run.id());
        LOGGER.warnf("run %s: cutover hold %s given up: %s", run.id(), epoch, reason);
        return new NotReady(epoch, reason, recheck);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding writes", e);
        }
    }
}
