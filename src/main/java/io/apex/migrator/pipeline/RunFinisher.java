package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.Messages;
import io.apex.migrator.live.ExactCounts;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.CapturedWrites;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The steps that follow the copy of a run, each taken by whichever replica drives the run ({@link RunDriver}) and
 * each idempotent: verification passes (every range checksummed on both sides by the workers, the differing points
 * left to the capture stream and re-synced when it does not explain them; further catch-up passes while a pass
 * still has to repair points), exact counts at a consistent point of the capture stream (left to the cutover hold
 * while writes keep arriving through the capture), the recall gate of a quantized target, then the cutover (auto,
 * or on a {@code qdrant.cutover} command when manual, after one more catch-up), then the {@code completed}
 * and {@code schema-ready} events. Any failure leaves the alias where it was (and gives a bulk load's target its
 * HNSW m back, and an in-place change its old params).
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOGGER = Logger.getLogger(RunFinisher.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final EventPublisher events;
    private final VerificationStore verifications;
    private final RecallGate recallGate;
    private final RunDispatchers dispatchers;
    private final PipelineConfig config;
    private final CollectionProvisioner provisioner;
    private final BulkLoad bulkLoad;
    private final ExactCounts exactCounts;
    private final CapturedWrites capturedWrites;
    private final ReadinessGate readinessGate;
    private final InPlaceChange inPlace;

    @Inject
    public RunFinisher(QdrantGateway gateway, RunStore runStore, EventPublisher events,
            VerificationStore verifications, RecallGate recallGate, RunDispatchers dispatchers, PipelineConfig config,
            CollectionProvisioner provisioner, BulkLoad bulkLoad, ExactCounts exactCounts,
            CapturedWrites capturedWrites, ReadinessGate readinessGate, InPlaceChange inPlace) {
        this.readinessGate = readinessGate;
        this.inPlace = inPlace;
        this.exactCounts = exactCounts;
        this.capturedWrites = capturedWrites;
        this.provisioner = provisioner;
        this.bulkLoad = bulkLoad;
        this.gateway = gateway;
        this.runStore = runStore;
        this.events = events;
        this.verifications = verifications;
        this.recallGate = recallGate;
        this.dispatchers = dispatchers;
        this.config = config;
    }

    /**
     * The verification step of a verifying run, chosen by its stored passes: start the first pass, dispatch a pass
     * whose tasks were not all handed out, close a pass whose ranges all reported, or decide what follows a closed
     * pass. False while the workers still have tasks of the pass.
     */
    boolean verificationStep(Run run) {
        List<VerificationStore.Pass> passes = verifications.passes(run.id());
        if (passes.isEmpty()) {
            startPass(run, 1, true);
            return true;
        }
        VerificationStore.Pass last = passes.get(passes.size() - 1);
        if (last.closedAt() == null) {
            if (last.dispatchedAt() == null) {
                dispatchPass(run, last.pass());
                return true;
            }
            Optional<Integer> closed = verifications.closePassIfComplete(run.id());
            if (closed.isEmpty()) {
                return false;
            }
            CrashPoint.reached(CrashPoint.AFTER_PASS_CLOSED, run.source());
        }
        afterPass(run, last.pass());
        return true;
    }

    /** Starts pass {@code pass} (its pending verify rows); the next step dispatches it. */
    void startPass(Run run, int pass, boolean firstOfRound) {
        verifications.startPass(run.id(), pass, firstOfRound);
    }

    /** Hands the pending ranges of a pass to the workers (again, after a crash: a repeated task is harmless). */
    private void dispatchPass(Run run, int pass) {
        if (pass > 1) {
            catchUpByUpdatedAt(run, pass);
        }
        List<BatchTask> tasks = verifications.results(run.id()).stream()
                .filter(r -> "pending".equals(r.state()))
                .map(r -> new BatchTask(run.id().toString(), r.batchIndex(), BatchKind.VERIFY, run.source(),
                        run.target(), PairVerification.covering(r.batchIndex(), r.range()),
                        Math.min(config.pageSize(), run.batchSize()), pass))
                .toList();
        LOGGER.infof("run %s: verification pass %s over %s ranges", run.id(), pass, tasks.size());
        if (!tasks.isEmpty()) {
            dispatchers.forCommand(run.commandId()).dispatch(tasks, run.batchSize());
        }
        verifications.markDispatched(run.id(), pass);
    }

    /** Before a catch-up pass: copies what the target spec's updated-at field says changed since the copy began. */
    private void catchUpByUpdatedAt(Run run, int pass) {
        Optional<String> field = provisioner.specs().byCollection(run.target())
                .flatMap(spec -> spec.migration().updatedAtField());
        if (field.isEmpty() || run.copyStartedAt() == null) {
            return;
        }
        long copied = UpdatedSince.copy(gateway, run.source(), run.target(), field.get(), run.copyStartedAt(),
                Math.min(config.pageSize(), run.batchSize()));
        verifications.saveUpdatedCopied(run.id(), pass, copied);
        LOGGER.infof("run %s: pass %s: %s points with %s at or after %s copied again", run.id(), pass, copied,
                field.get(), run.copyStartedAt());
    }

    /** A pass closed: fail on ranges that stayed different, catch up again on changes, or finish. */
    private void afterPass(Run run, int pass) {
        List<VerificationStore.RangeResult> results = verifications.results(run.id());
        List<String> unverified = VerificationReport.unverified(results);
        if (!unverified.isEmpty()) {
            fail(run, "verification of ranges " + unverified + " failed; the alias is left unchanged");
            return;
        }
        VerificationReport.PassSummary summary = VerificationReport.PassSummary.of(pass, results);
        verifications.savePassSummary(run.id(), pass, Messages.get().write(summary));
        LOGGER.infof("run %s: verification pass %s: %s ranges checked, %s differed (%s points: %s converged by the "
                + "capture stream, %s repaired by checksum)", run.id(), pass, summary.checked(), summary.differing(),
                summary.differingPoints(), summary.convergedByStream(), summary.repairedPoints());
        List<VerificationStore.Pass> round = round(run.id());
        if (!summary.stillDiffering().isEmpty()) {
            Map<String, Object> report = VerificationReport.build(round, null, false, null, false,
                    capturedWrites.of(run.id()));
            verifications.saveReport(run.id(), Messages.get().write(report));
            fail(run, "ranges still differ after " + config.verify().maxRepairs() + " repairs: "
                    + summary.stillDiffering() + "; the alias is left unchanged", report);
            return;
        }
        if (summary.needsCatchUp() && round.size() <= config.verify().catchUpPasses()) {
            startPass(run, pass + 1, false);
            return;
        }
        finishVerification(run, round, !summary.needsCatchUp());
    }

    /**
     * Exact counts, taken once the capture stream applied what it held (again, a few times, while they differ). Counts
     * that still differ while writes keep arriving through the capture are no failure: they are left to the cutover
     * hold, which stops the writes and drains the stream ({@link ExactCounts#compare}). Without captures they fail
     * the run, as a difference nothing is on its way to explain.
     */
    private void finishVerification(Run run, List<VerificationStore.Pass> round, boolean converged) {
        ExactCounts.Result counts = exactCounts.atConsistentPoint(run.source(), run.target(),
                config.verify().countAttempts());
        long captured = capturedWrites.of(run.id());
        boolean deferred = !counts.equal() && captured > 0 && counts.streamMoved();
        long source = counts.sourcePoints();
        long target = counts.targetPoints();
        if (deferred) {
            LOGGER.infof("run %s: exact counts differ while captured writes keep arriving (source %s, target %s after "
                    + "%s attempts): %s", run.id(), source, target, counts.attempts(), ExactCounts.DEFERRED);
        }
        RecallGate.Result recall = null;
        if (counts.equal() || deferred) {
            // readers are moved only onto an index that is built, and recall is measured on that index
            ReadinessGate.Readiness readiness = readinessGate.await(run.target(), r -> indexing(run, r));
            if (!readiness.ready()) {
                notReady(run, round, counts, deferred, converged, captured, readiness);
                return;
            }
            try {
                recall = recallGate.measure(run.source(), run.target(),
                        verifications.results(run.id()).stream().map(VerificationStore.RangeResult::range).toList(),
                        command(run).recallThreshold());
            } catch (PipelineException.CutoverRefused e) {
                Map<String, Object> report = VerificationReport.build(round, counts, deferred, null, converged,
                        captured);
                verifications.saveReport(run.id(), Messages.get().write(report));
                fail(run, e.getMessage(), report);
                return;
            }
        }
        Map<String, Object> report = new LinkedHashMap<>(VerificationReport.build(round, counts, deferred, recall,
                converged, captured));
        if (recall != null) {
            report.put("readiness", Map.of("ready", true));
        }
        verifications.saveReport(run.id(), Messages.get().write(report));
        if (!counts.equal() && !deferred) {
            fail(run, "exact counts differ after verification: source " + run.source() + " has " + source
                    + " points, target " + run.target() + " has " + target + "; the alias is left unchanged", report);
            return;
        }
        if (!recall.passed()) {
            fail(run, String.format(java.util.Locale.ROOT, "recall@10 of the quantized target %s is below the "
                    + "threshold %.2f for %s; the alias is left unchanged", run.target(), recall.threshold(),
                    String.join(", ", recall.belowThreshold())), report);
            return;
        }
        boolean requested = verifications.cutoverRequested(run.id());
        if (runStore.transition(run.id(), RunState.VERIFIED, verified -> List.of(EventPublisher.event(
                EventType.VERIFIED, base(verified).details(Map.of("verification", report)).sourcePoints(source)
                        .targetPoints(target).build(), !requested)), RunState.VERIFYING)) {
            CrashPoint.reached(CrashPoint.AFTER_VERIFIED, run.source());
        }
    }

    /** Reports the target still indexing: an event and the run's summary (what {@code status} shows). */
    void indexing(Run run, ReadinessGate.Readiness readiness) {
        LOGGER.infof("run %s: target %s not ready to serve yet: %s", run.id(), run.target(), readiness.reason());
        runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of("readiness", readiness.asMap())));
        events.publishRunEvent(EventType.INDEXING, base(run).details(Map.of("readiness", readiness.asMap()))
                .targetPoints(readiness.points()).build(), false);
        events.sendSoon();
    }

    /**
     * The target was still not ready when {@code apex.pipeline.readiness.timeout} passed: the run fails, or (the
     * default) waits in ready-for-cutover with the reason, for a cutover command that runs the gate again. Moving
     * there uses up the cutover request that led to this gate, if any ({@link RunStore#transition}): the run waits
     * for the next command instead of going through the gate again by itself.
     */
    private void notReady(Run run, List<VerificationStore.Pass> round, ExactCounts.Result counts, boolean deferred,
            boolean converged, long captured, ReadinessGate.Readiness readiness) {
        Map<String, Object> report = new LinkedHashMap<>(VerificationReport.build(round, counts, deferred, null,
                converged, captured));
        report.put("readiness", readiness.asMap());
        verifications.saveReport(run.id(), Messages.get().write(report));
        String reason = "target " + run.target() + " is not ready to serve after "
                + OperatorDuration.of(config.readiness().timeout())
                + ": " + readiness.reason() + "; the alias is left unchanged";
        if ("fail".equals(config.readiness().onTimeout())) {
            fail(run, reason, report);
            return;
        }
        runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of("readiness", readiness.asMap())));
        if (runStore.transition(run.id(), RunState.READY_FOR_CUTOVER, RunState.VERIFYING)) {
            LOGGER.warnf("run %s: %s; waiting in ready-for-cutover (a qdrant.cutover command runs the gate again)",
                    run.id(), reason);
        }
    }

    /** A verified run: waits for the operator (manual cutover not yet requested) or begins its cutover. */
    boolean afterVerified(Run run) {
        MigrateCommand command = command(run);
        boolean requested = verifications.cutoverRequested(run.id());
        if ("manual".equals(command.cutover()) && command.swapAlias() && !requested) {
            if (runStore.transition(run.id(), RunState.READY_FOR_CUTOVER, RunState.VERIFIED)) {
                LOGGER.infof("run %s: copy verified; waiting for a qdrant.cutover command", run.id());
            }
            return true;
        }
        if (command.swapAlias()) {
            // what readers see now, kept for the events and for rollback-alias whatever happens after the swap
            String previous = gateway.aliases().get(run.alias());
            if (previous == null && gateway.collectionExists(run.alias())) {
                previous = run.alias();
            }
            runStore.notePreviousCollection(run.id(), previous);
        }
        runStore.transition(run.id(), RunState.CUTTING_OVER, RunState.VERIFIED);
        return true;
    }

    /**
     * A run waiting for its manual cutover: once requested, one more catch-up round (the source may have changed while
     * it waited) and then the cutover. False while nobody asked.
     */
    boolean cutoverIfRequested(Run run) {
        if (!verifications.cutoverRequested(run.id())) {
            return false;
        }
        LOGGER.infof("run %s: cutover requested; catching up with the source first", run.id());
        List<VerificationStore.Pass> passes = verifications.passes(run.id());
        VerificationStore.Pass last = passes.isEmpty() ? null : passes.get(passes.size() - 1);
        if (last == null || last.closedAt() != null) {
            startPass(run, last == null ? 1 : last.pass() + 1, true);
        }
        runStore.transition(run.id(), RunState.VERIFYING, RunState.READY_FOR_CUTOVER);
        return true;
    }

    /** The passes of the current round (the first pass after the copy, or after a cutover request, and on). */
    private List<VerificationStore.Pass> round(UUID runId) {
        List<VerificationStore.Pass> passes = verifications.passes(runId);
        int first = 0;
        for (int i = 0; i < passes.size(); i++) {
            if (passes.get(i).firstOfRound()) {
                first = i;
            }
        }
        return passes.subList(first, passes.size());
    }

    /** Fails a run once and says so on the events topic; the alias is left as it is. */
    public void fail(Run run, String reason) {
        fail(run, reason, null);
    }

    /** Fails a run once with its verification report in the event's details; the alias is left as it is. */
    void fail(Run run, String reason, Map<String, Object> verification) {
        Optional<Run> current = runStore.findRun(run.id());
        if (current.isEmpty() || current.get().state().isFinal()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (verification != null) {
            details.put("verification", verification);
        }
        bulkLoad.restoreAfterEnd(current.get()).ifPresent(outcome -> details.put("bulkLoad", outcome));
        inPlace.restoreAfterEnd(current.get()).ifPresent(outcome -> details.put(InPlaceChange.RESTORE_KEY, outcome));
        if (runStore.fail(run.id(), reason, failed -> List.of(EventPublisher.event(EventType.FAILED,
                base(failed).reason(reason).details(details).build(), true)))) {
            LOGGER.errorf("run %s: failed: %s", run.id(), reason);
            events.sendSoon();
        }
    }

    /**
     * Cancels a run that has not ended, on behalf of a command recorded processed with it (true for the caller that
     * cancelled it), and says so on the events topic; a bulk load's target gets its HNSW m back. The alias is left as
     * it is: a run cancelled while cutting over either never swaps, or its driver points the alias back.
     */
    public boolean cancel(Run run, String reason, String commandId, String commandType) {
        Optional<Run> current = runStore.findRun(run.id());
        if (current.isEmpty() || current.get().state().isFinal()) {
            return false;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        bulkLoad.restoreAfterEnd(current.get()).ifPresent(outcome -> details.put("bulkLoad", outcome));
        inPlace.restoreAfterEnd(current.get()).ifPresent(outcome -> details.put(InPlaceChange.RESTORE_KEY, outcome));
        if (!runStore.transition(run.id(), RunState.CANCELLED, cancelled -> List.of(EventPublisher.event(
                EventType.FAILED, base(cancelled).reason(reason).details(details).build(), true)),
                new String[] {commandId, commandType}, RunState.ACCEPTED, RunState.PLANNED, RunState.COPYING,
                RunState.COPIED, RunState.VERIFYING, RunState.VERIFIED, RunState.READY_FOR_CUTOVER,
                RunState.CUTTING_OVER)) {
            return false;
        }
        LOGGER.infof("run %s: cancelled: %s", run.id(), reason);
        events.sendSoon();
        return true;
    }

    /** Says which range failed (before the run's failure, which names it too). */
    void publishBatchFailed(Run run, io.apex.migrator.api.BatchProgress progress) {
        events.publishRunEvent(EventType.BATCH_FAILED, base(run).reason(progress.reason())
                .details(Map.of("batchIndex", progress.batchIndex(), "worker", String.valueOf(progress.worker())))
                .build(), false);
    }

    static MigrateCommand command(Run run) {
        return (MigrateCommand) Messages.get().readCommand(run.commandJson());
    }

    static EventData.Builder base(Run run) {
        return EventData.forRun(run.id().toString(), run.commandId()).collections(run.source(), run.target(), run.alias());
    }
}
