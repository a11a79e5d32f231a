package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.OutboxEvent;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The cutover of a run in cutting-over, safe to repeat: the alias is read first and swapped only if it does not point
 * at the target yet; then the run is completed and its {@code alias-swapped}, {@code completed} and
 * {@code schema-ready} events are recorded in the same transaction, for the relay to send. A run cancelled meanwhile
 * gets its alias pointed back.
 */
@ApplicationScoped
public class CutoverStep {

    private static final Logger LOGGER = Logger.getLogger(CutoverStep.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final Cutover cutover;
    private final Leases leases;
    private final LifecyclePool pool;
    private final EventPublisher events;
    private final CutoverHold hold;
    private final RunFinisher finisher;
    private final VerificationStore verifications;
    private final CollectionReplacement replacement;

    @Inject
    public CutoverStep(QdrantGateway gateway, RunStore runStore, Cutover cutover, Leases leases, LifecyclePool pool,
            EventPublisher events, CutoverHold hold, RunFinisher finisher, VerificationStore verifications,
            CollectionReplacement replacement) {
        this.replacement = replacement;
        this.hold = hold;
        this.finisher = finisher;
        this.verifications = verifications;
        this.gateway = gateway;
        this.runStore = runStore;
        this.cutover = cutover;
        this.leases = leases;
        this.pool = pool;
        this.events = events;
    }

    boolean run(Run run) {
        MigrateCommand command = RunFinisher.command(run);
        Cutover.Result result = null;
        CutoverHold.Held held = null;
        if (command.swapAlias()) {
            CrashPoint.reached(CrashPoint.BEFORE_ALIAS_SWAP, run.source());
            // a replica whose lease ran out (a long pause) must not swap: the one that took the run over does
            if (!leases.holds(Leases.Kind.RUN, run.id(), pool.owner())) {
                LOGGER.warnf("run %s: lease lost before the alias swap; left to the replica that took the run over",
                        run.id());
                return false;
            }
            boolean leftSwapping = hold.leftSwapping(run);
            if (leftSwapping && !run.target().equals(gateway.aliases().get(run.alias()))
                    && !replacement.interrupted(run)) {
                // a driver died between marking the swap and swapping: captures were skipped meanwhile
                return verifyAgain(run, "a previous driver stopped in the middle of the swap");
            }
            if (!leftSwapping && hold.needed(run)) {
                CutoverHold.Outcome outcome = hold.hold(run);
                if (outcome instanceof CutoverHold.NotReady notReady) {
                    return afterGivenUpHold(run, notReady);
                }
                held = (CutoverHold.Held) outcome;
            }
            // a failed swap leaves the swap marked: the next step completes it, or verifies again if the alias stayed
            result = cutover.swapOnce(run, command.dropCollectionNamedLikeAlias());
            CrashPoint.reached(CrashPoint.AFTER_ALIAS_SWAP, run.source());
        }
        long targetPoints = gateway.count(run.target());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("targetPoints", targetPoints);
        summary.put("aliasSwapped", result != null);
        if (result != null && result.droppedCollection()) {
            summary.put("droppedCollection", result.previousCollection());
            if (result.gapMillis() != null) {
                // unknown when a replica finished a replacement another one began (event details hold no nulls)
                summary.put("aliasGapMs", result.gapMillis());
            }
            if (result.snapshot() != null) {
                summary.put(CollectionReplacement.SUMMARY_KEY, result.snapshot());
            }
        }
        // the source's snapshot stays recorded with the completed run (the completion summary replaces the notes)
        SourceSnapshot.recorded(run).ifPresent(snapshot -> summary.put(SourceSnapshot.SUMMARY_KEY, snapshot));
        if (held != null) {
            summary.put("cutoverHold", Map.of("epoch", held.epoch(), "proxyReplicas", held.replicas(),
                    "holdMs", held.elapsedMillis()));
        }
        Cutover.Result swapped = result;
        if (!runStore.complete(run.id(), targetPoints, swapped == null ? null : swapped.previousCollection(),
                swapped == null ? null : swapped.gapMillis(), Messages.get().write(summary),
                done -> completionEvents(done, swapped, targetPoints, summary))) {
            pointBackIfCancelled(run, swapped);
            return false;
        }
        CrashPoint.reached(CrashPoint.AFTER_COMPLETED, run.source());
        if (held != null) {
            // the run is final: the proxies release its writes to the target already; this only tidies the row
            hold.release(run);
        }
        events.sendSoon();
        LOGGER.infof("run %s: completed (%s points, alias %s)", run.id(), targetPoints,
                swapped == null ? "not switched" : run.alias() + " -> " + run.target());
        return true;
    }

    /** A hold was given up: try again soon, verify the copy again first, or fail after too many tries. */
    private boolean afterGivenUpHold(Run run, CutoverHold.NotReady notReady) {
        if (notReady.epoch() >= hold.maxAttempts()) {
            finisher.fail(run, "the cutover hold did not succeed in " + notReady.epoch() + " attempts; last: "
                    + notReady.reason() + "; the alias is left unchanged");
            return false;
        }
        if (notReady.recheck()) {
            return verifyAgain(run, notReady.reason());
        }
        RunDriverPause.briefly();
        return true;
    }

    /** Back to verification (a catch-up round), then to the cutover again. */
    private boolean verifyAgain(Run run, String why) {
        hold.release(run);
        int next = verifications.passes(run.id()).stream().mapToInt(VerificationStore.Pass::pass).max().orElse(0) + 1;
        if (runStore.transition(run.id(), RunState.VERIFYING, RunState.CUTTING_OVER)) {
            finisher.startPass(run, next, true);
            LOGGER.warnf("run %s: verifying again before the cutover: %s", run.id(), why);
        }
        return true;
    }

    private static List<OutboxEvent> completionEvents(Run done, Cutover.Result swapped, long targetPoints,
            Map<String, Object> summary) {
        List<OutboxEvent> rows = new ArrayList<>();
        if (swapped != null) {
            rows.add(EventPublisher.event(EventType.ALIAS_SWAPPED, RunFinisher.base(done)
                    .previousCollection(swapped.previousCollection()).aliasGapMs(swapped.gapMillis()).build(), true));
        }
        Instant now = Instant.now();
        EventData data = RunFinisher.base(done).previousCollection(swapped == null ? null : swapped.previousCollection())
                .sourcePoints(done.sourcePoints()).targetPoints(targetPoints).batches(done.plannedBatches())
                .copiedPoints(done.copiedPoints()).durationMs(done.duration(now).toMillis())
                .pointsPerSecond(Math.round(done.pointsPerSecond(now) * 10) / 10.0)
                .aliasGapMs(swapped == null ? null : swapped.gapMillis()).details(summary).build();
        rows.add(EventPublisher.event(EventType.COMPLETED, data, true));
        if (swapped != null) {
            // Readers of the alias now see the new collection: downstream services may switch.
            rows.add(EventPublisher.event(EventType.SCHEMA_READY, data, true));
        }
        return rows;
    }

    /** The run ended otherwise while cutting over (cancelled): readers go back to what they had. */
    private void pointBackIfCancelled(Run run, Cutover.Result swapped) {
        Run now = runStore.findRun(run.id()).orElse(run);
        if (swapped == null || now.state() != RunState.CANCELLED || swapped.previousCollection() == null
                || swapped.droppedCollection()) {
            return;
        }
        String was = cutover.pointAlias(run.alias(), swapped.previousCollection());
        LOGGER.warnf("run %s: cancelled while cutting over; alias %s pointed back %s -> %s", run.id(), run.alias(), was,
                swapped.previousCollection());
    }
}
