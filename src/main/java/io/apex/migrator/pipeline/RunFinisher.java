package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What follows the copy of a run, run by the one tracker that moved it to 'copied': verification passes (every
 * range checksummed on both sides by the workers, differing ranges re-copied; further catch-up passes while
 * a pass still finds changes), exact counts, the recall gate of a quantized target, then the cutover (auto,
 * or on a {@code qdrant.cutover} command when manual, after one more catch-up), then the {@code completed}
 * and {@code schema-ready} events. Any failure leaves the alias where it was (and gives a bulk load's target its
 * HNSW m back).
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOGGER = Logger.getLogger(RunFinisher.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final Cutover cutover;
    private final EventPublisher events;
    private final VerificationStore verifications;
    private final RecallGate recallGate;
    private final RunDispatchers dispatchers;
    private final PipelineConfig config;
    private final CollectionProvisioner provisioner;
    private final BulkLoad bulkLoad;

    @Inject
    public RunFinisher(QdrantGateway gateway, RunStore runStore, Cutover cutover, EventPublisher events,
            VerificationStore verifications, RecallGate recallGate, RunDispatchers dispatchers, PipelineConfig config,
            CollectionProvisioner provisioner, BulkLoad bulkLoad) {
        this.provisioner = provisioner;
        this.bulkLoad = bulkLoad;
        this.gateway = gateway;
        this.runStore = runStore;
        this.cutover = cutover;
        this.events = events;
        this.verifications = verifications;
        this.recallGate = recallGate;
        this.dispatchers = dispatchers;
        this.config = config;
    }

    /** Starts the verification of a copied run: its first pass of range checksums, on the workers. */
    public void afterCopy(UUID runId) {
        Run run = runStore.findRun(runId).orElseThrow();
        if (!runStore.transition(runId, RunState.VERIFYING, RunState.COPIED)) {
            return;
        }
        startPass(run, 1, true);
    }

    /**
     * The go-ahead of a run waiting in ready-for-cutover: the catch-up runs again first (the source may have
     * changed while the run waited), then the cutover follows as soon as it verifies.
     */
    public void requestCutover(UUID runId) {
        Run run = runStore.findRun(runId).orElseThrow();
        verifications.requestCutover(runId);
        if (!runStore.transition(runId, RunState.VERIFYING, RunState.READY_FOR_CUTOVER)) {
            return;
        }
        LOGGER.infof("run %s: cutover requested; catching up with the source first", runId);
        startPass(run, lastPass(runId) + 1, true);
    }

    /** Applies a verify task's report; the report that completes a pass decides what follows. */
    public void onVerifyProgress(BatchProgress progress) {
        UUID runId = UUID.fromString(progress.runId());
        if (verifications.apply(progress) != RunStore.ProgressOutcome.APPLIED) {
            LOGGER.debugf("run %s: verify report of range %s is a repeat or stale", runId, progress.batchIndex());
            // a redelivered report whose first delivery was applied but whose pass was not closed (the run store
            // went away in between) must still close it; closing is idempotent
            if (progress.status() == BatchProgress.Status.DONE) {
                runStore.findRun(runId).filter(r -> r.state() == RunState.VERIFYING).ifPresent(r ->
                        verifications.closePassIfComplete(runId).ifPresent(pass -> afterPass(r, pass)));
            }
            return;
        }
        Optional<Run> run = runStore.findRun(runId);
        if (run.isEmpty()) {
            return;
        }
        if (progress.status() == BatchProgress.Status.FAILED) {
            fail(run.get(), "verification of range " + progress.batchIndex() + " failed: " + progress.reason());
            return;
        }
        verifications.closePassIfComplete(runId).ifPresent(pass -> afterPass(run.get(), pass));
    }

    private void startPass(Run run, int pass, boolean firstOfRound) {
        try {
            if (!verifications.startPass(run.id(), pass, firstOfRound)) {
                return;
            }
            if (pass > 1) {
                catchUpByUpdatedAt(run, pass);
            }
            List<BatchTask> tasks = verifications.results(run.id()).stream()
                    .map(r -> new BatchTask(run.id().toString(), r.batchIndex(), BatchKind.VERIFY, run.source(),
                            run.target(), PairVerification.covering(r.batchIndex(), r.range()),
                            Math.min(config.pageSize(), run.batchSize()), pass))
                    .toList();
            LOGGER.infof("run %s: verification pass %s over %s ranges", run.id(), pass, tasks.size());
            if (tasks.isEmpty()) {
                verifications.closePassIfComplete(run.id()).ifPresent(p -> afterPass(run, p));
                return;
            }
            dispatchers.forCommand(run.commandId()).dispatch(tasks);
        } catch (PipelineException | QdrantException e) {
            fail(run, e.getMessage());
        }
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
        try {
            List<VerificationStore.RangeResult> results = verifications.results(run.id());
            VerificationReport.PassSummary summary = VerificationReport.PassSummary.of(pass, results);
            verifications.savePassSummary(run.id(), pass, Messages.get().write(summary));
            LOGGER.infof("run %s: verification pass %s: %s ranges checked, %s differed, %s repaired", run.id(), pass,
                    summary.checked(), summary.differing(), summary.repaired());
            List<VerificationStore.Pass> round = round(run.id());
            if (!summary.stillDiffering().isEmpty()) {
                Map<String, Object> report = VerificationReport.build(round, null, null, null, false);
                verifications.saveReport(run.id(), Messages.get().write(report));
                fail(run, "ranges still differ after " + config.verify().maxRepairs() + " repairs: "
                        + summary.stillDiffering() + "; the alias is left unchanged", report);
                return;
            }
            if (summary.differing() > 0 && round.size() <= config.verify().catchUpPasses()) {
                startPass(run, pass + 1, false);
                return;
            }
            finishVerification(run, round, summary.differing() == 0);
        } catch (PipelineException | QdrantException e) {
            fail(run, e.getMessage());
        }
    }

    private void finishVerification(Run run, List<VerificationStore.Pass> round, boolean converged) {
        long source = gateway.count(run.source());
        long target = gateway.count(run.target());
        RecallGate.Result recall = null;
        if (source == target) {
            recall = recallGate.measure(run.source(), run.target(),
                    verifications.results(run.id()).stream().map(VerificationStore.RangeResult::range).toList());
        }
        Map<String, Object> report = VerificationReport.build(round, source, target, recall, converged);
        verifications.saveReport(run.id(), Messages.get().write(report));
        if (source != target) {
            fail(run, "exact counts differ after verification: source " + run.source() + " has " + source
                    + " points, target " + run.target() + " has " + target + "; the alias is left unchanged", report);
            return;
        }
        if (!recall.passed()) {
            fail(run, String.format(java.util.Locale.ROOT, "recall@10 of the quantized target %s is %.4f over %d "
                    + "queries, below the threshold %.2f; the alias is left unchanged", run.target(), recall.recall(),
                    recall.queries(), recall.threshold()), report);
            return;
        }
        if (!runStore.transition(run.id(), RunState.VERIFIED, RunState.VERIFYING)) {
            return;
        }
        boolean requested = verifications.cutoverRequested(run.id());
        events.publishRunEvent(EventType.VERIFIED, base(run).details(Map.of("verification", report)).sourcePoints(source).targetPoints(target)
                .build(), !requested);
        MigrateCommand command = command(run);
        if ("manual".equals(command.cutover()) && command.swapAlias() && !requested) {
            runStore.transition(run.id(), RunState.READY_FOR_CUTOVER, RunState.VERIFIED);
            LOGGER.infof("run %s: copy verified; waiting for a qdrant.cutover command", run.id());
            return;
        }
        cutover(run.id(), RunState.VERIFIED);
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

    private int lastPass(UUID runId) {
        List<VerificationStore.Pass> passes = verifications.passes(runId);
        return passes.isEmpty() ? 0 : passes.get(passes.size() - 1).pass();
    }

    /** Cuts over a run that is in {@code from} (verified, or ready-for-cutover on command). */
    public void cutover(UUID runId, RunState from) {
        Run run = runStore.findRun(runId).orElseThrow();
        if (!runStore.transition(runId, RunState.CUTTING_OVER, from)) {
            return;
        }
        try {
            MigrateCommand command = command(run);
            long targetPoints = gateway.count(run.target());
            Cutover.Result result = null;
            if (command.swapAlias()) {
                result = cutover.swap(run.id().toString(), run.alias(), run.target(),
                        command.dropCollectionNamedLikeAlias());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("targetPoints", targetPoints);
            summary.put("aliasSwapped", result != null);
            if (result != null && result.droppedCollection()) {
                summary.put("droppedCollection", result.previousCollection());
                summary.put("aliasGapMs", result.gapMillis());
            }
            if (!runStore.complete(runId, targetPoints, result == null ? null : result.previousCollection(),
                    result == null ? null : result.gapMillis(), Messages.get().write(summary))) {
                return;
            }
            Run done = runStore.findRun(runId).orElseThrow();
            if (result != null) {
                events.publishRunEvent(EventType.ALIAS_SWAPPED, base(done).previousCollection(result.previousCollection())
                        .aliasGapMs(result.gapMillis()).build(), true);
            }
            EventData data = base(done).previousCollection(result == null ? null : result.previousCollection())
                    .sourcePoints(done.sourcePoints()).targetPoints(targetPoints).batches(done.plannedBatches())
                    .copiedPoints(done.copiedPoints()).durationMs(done.duration(Instant.now()).toMillis())
                    .pointsPerSecond(Math.round(done.pointsPerSecond(Instant.now()) * 10) / 10.0)
                    .aliasGapMs(result == null ? null : result.gapMillis()).details(summary).build();
            events.publishRunEvent(EventType.COMPLETED, data, true);
            if (result != null) {
                // Readers of the alias now see the new collection: downstream services may switch.
                events.publishRunEvent(EventType.SCHEMA_READY, data, true);
            }
            LOGGER.infof("run %s: completed (%s points, alias %s)", runId, targetPoints,
                    result == null ? "not switched" : run.alias() + " -> " + run.target());
        } catch (PipelineException | QdrantException e) {
            fail(run, e.getMessage());
        }
    }

    /** Fails a run once and says so on the events topic; the alias is left as it is. */
    public void fail(Run run, String reason) {
        fail(run, reason, null);
    }

    private void fail(Run run, String reason, Map<String, Object> verification) {
        if (runStore.fail(run.id(), reason)) {
            LOGGER.errorf("run %s: failed: %s", run.id(), reason);
            Map<String, Object> details = new LinkedHashMap<>();
            if (verification != null) {
                details.put("verification", verification);
            }
            bulkLoad.restoreAfterEnd(run).ifPresent(outcome -> details.put("bulkLoad", outcome));
            events.publishRunEvent(EventType.FAILED, base(run).reason(reason).details(details).build(), true);
        }
    }

    /**
     * Cancels a run that has not ended or begun its cutover (true for the caller that cancelled it) and says so on
     * the events topic; a bulk load's target gets its HNSW m back. The alias is left as it is. (A verifying run can be
     * cancelled too: its passes find the run ended and stop.)
     */
    public boolean cancel(Run run, String reason) {
        if (!runStore.transition(run.id(), RunState.CANCELLED, RunState.ACCEPTED, RunState.PLANNED,
                RunState.COPYING, RunState.COPIED, RunState.VERIFYING, RunState.VERIFIED,
                RunState.READY_FOR_CUTOVER)) {
            return false;
        }
        LOGGER.infof("run %s: cancelled: %s", run.id(), reason);
        Map<String, Object> details = new LinkedHashMap<>();
        bulkLoad.restoreAfterEnd(run).ifPresent(outcome -> details.put("bulkLoad", outcome));
        events.publishRunEvent(EventType.FAILED, base(run).reason(reason).details(details).build(), true);
        return true;
    }

    static MigrateCommand command(Run run) {
        return (MigrateCommand) Messages.get().readCommand(run.commandJson());
    }

    static EventData.Builder base(Run run) {
        return EventData.forRun(run.id().toString(), run.commandId()).collections(run.source(), run.target(), run.alias());
    }
}
