package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.CommandClaim;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a {@code qdrant.migrate} command into a run: validates it against Qdrant, provisions the target,
 * plans the ranges (ids only), persists the plan, then hands one batch task per range to the workers. One
 * coordinator at a time handles a command (it claims it in the run store), and each step is idempotent, so a
 * command redelivered after a crash resumes where it stopped, and a repeat of a command whose run is under way
 * or done changes nothing. An in-place command ({@link InPlaceChange}) is checked, recorded and applied here instead,
 * and its gates left to the run's driver.
 */
@ApplicationScoped
public class Coordinator {

    private static final Logger LOGGER = Logger.getLogger(Coordinator.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final TargetCollections targets;
    private final Cutover cutover;
    private final EventPublisher events;
    private final Tracker tracker;
    private final PipelineConfig config;
    private final BulkLoad bulkLoad;
    private final RunDispatchers dispatchers;
    @Inject
    CaptureBarrier captureBarrier;
    @Inject
    SourceSnapshot sourceSnapshot;
    @Inject
    InPlaceChange inPlace;
    @Inject
    RunDriver driver;

    @Inject
    public Coordinator(QdrantGateway gateway, RunStore runStore, TargetCollections targets, Cutover cutover,
            EventPublisher events, Tracker tracker, PipelineConfig config, BulkLoad bulkLoad,
            RunDispatchers dispatchers) {
        this.dispatchers = dispatchers;
        this.gateway = gateway;
        this.runStore = runStore;
        this.targets = targets;
        this.cutover = cutover;
        this.events = events;
        this.tracker = tracker;
        this.config = config;
        this.bulkLoad = bulkLoad;
    }

    /** What a dry run would do. */
    public record DryRun(long points, int batches, boolean targetExists, String aliasNow) {
    }

    /**
     * Starts (or resumes) the run of a command; empty when the command was a repeat and nothing was done.
     *
     * @throws InvalidMessageException when the command cannot run (names the field)
     */
    public Optional<Run> start(MigrateCommand command, BatchDispatcher dispatcher) {
        // Kafka can hand one command to two coordinators at once (a rebalance of the commands partition while it is
        // handled redelivers it from the last committed offset): the claim lets one plan and dispatch; the other
        // waits for it, then reads the run below and finds it dispatched. A crashed holder's claim dies with its
        // session, so the next coordinator resumes the stored plan.
        Optional<Run> run;
        try (CommandClaim claim = runStore.claimCommand(command.commandId())) {
            run = startClaimed(command, dispatcher, claim);
        }
        if (command.inPlace() && run.isPresent()) {
            // the gates follow under the run's lease, like every step after the start
            driver.wake(run.get().id());
            return runStore.findRun(run.get().id());
        }
        return run;
    }

    /**
     * Resumes the planning and dispatch of a run whose coordinator is gone (the reconciler's step for an accepted or
     * planned run); false when a live coordinator holds its command.
     */
    boolean resume(Run run) {
        Optional<CommandClaim> claim = runStore.tryClaimCommand(run.commandId());
        if (claim.isEmpty()) {
            return false;
        }
        try (CommandClaim held = claim.get()) {
            startClaimed(RunFinisher.command(run), dispatchers.forCommand(run.commandId()), held);
        }
        return true;
    }

    private Optional<Run> startClaimed(MigrateCommand command, BatchDispatcher dispatcher, CommandClaim claim) {
        Optional<Run> existing = runStore.findByCommand(command.commandId());
        if (existing.isPresent() && existing.get().state() != RunState.ACCEPTED
                && existing.get().state() != RunState.PLANNED) {
            LOGGER.infof("run %s: command %s seen before (run is %s); nothing to do", existing.get().id(),
                    command.commandId(), existing.get().state().db());
            return Optional.empty();
        }
        if (existing.isEmpty() && runStore.commandSeen(command.commandId())) {
            LOGGER.infof("command %s seen before; nothing to do", command.commandId());
            return Optional.empty();
        }
        Run run;
        if (existing.isPresent()) {
            run = existing.get();
            RunContext.runIsNow(run.id().toString());
            LOGGER.infof("run %s: resuming from %s", run.id(), run.state().db());
        } else {
            validate(command);
            run = create(command);
            RunContext.runIsNow(run.id().toString());
        }
        // again on a resume: recorded once per run (its once-key), so a crash right after the run was created loses
        // nothing
        // before anything changes: the snapshot of the source the command asked for, named in the accepted event
        java.util.Optional<io.apex.migrator.qdrant.CollectionSnapshot> snapshot = run.state() == RunState.ACCEPTED
                ? sourceSnapshot.takeIfAsked(run, command) : SourceSnapshot.recorded(run);
        EventData.Builder accepted = RunFinisher.base(run);
        snapshot.ifPresent(s -> accepted.details(java.util.Map.of(SourceSnapshot.SUMMARY_KEY, s)));
        events.publishRunEvent(EventType.ACCEPTED, accepted.build(), true);
        if (command.inPlace()) {
            claim.confirm();
            inPlace.apply(run, command);
            return runStore.findRun(run.id());
        }
        if (run.state() == RunState.ACCEPTED) {
            targets.provision(command.target(), run.id().toString());
            if (command.bulkLoad()) {
                bulkLoad.begin(run);
            }
            RangePlanner.Plan plan = RangePlanner.plan(gateway, command.source(), command.batchSize(),
                    config.planPageSize());
            if (runStore.savePlan(run.id(), plan.points(), plan.ranges())) {
                LOGGER.infof("run %s: planned %s ranges over %s points of %s", run.id(), plan.ranges().size(),
                        plan.points(), command.source());
            }
            run = runStore.findRun(run.id()).orElseThrow();
        }
        // recorded once per run: repeated on a resume in case the replica died between the plan and its event
        events.publishRunEvent(EventType.PLANNED, RunFinisher.base(run).sourcePoints(run.sourcePoints())
                .batches(run.plannedBatches()).build(), true);
        CrashPoint.reached(CrashPoint.AFTER_PLAN, command.source());
        Run planned = run;
        List<BatchTask> tasks = runStore.batches(run.id(), BatchKind.COPY).stream()
                .filter(b -> "pending".equals(b.state()))
                .map(b -> task(planned, b))
                .toList();
        claim.confirm();
        if (planned.state() == RunState.PLANNED) {
            captureBarrier.await(planned);
        }
        dispatcher.dispatch(tasks, planned.batchSize());
        runStore.transition(run.id(), RunState.COPYING, RunState.PLANNED);
        CrashPoint.reached(CrashPoint.AFTER_DISPATCH, command.source());
        LOGGER.infof("run %s: %s batch tasks handed to workers", run.id(), tasks.size());
        tracker.checkCopied(run.id());
        return runStore.findRun(run.id());
    }

    /** Validates and plans without writing anything. */
    public DryRun dryRun(MigrateCommand command) {
        validate(command);
        RangePlanner.Plan plan = RangePlanner.plan(gateway, command.source(), command.batchSize(),
                config.planPageSize());
        String aliasNow = command.alias() == null ? null : gateway.aliases().get(command.alias());
        DryRun result = new DryRun(plan.points(), plan.ranges().size(), gateway.collectionExists(command.target()),
                aliasNow);
        events.publishUnrecorded(EventType.PLANNED, EventData.forRun(null, command.commandId())
                .collections(command.source(), command.target(), command.alias()).dryRun(true)
                .sourcePoints(plan.points()).batches(plan.ranges().size())
                .details(Map.of("targetExists", result.targetExists())).build());
        return result;
    }

    /** One active run per alias and per target: the unique indexes of the run store settle a race of two. */
    private Run create(MigrateCommand command) {
        try {
            return runStore.createRun(command);
        } catch (io.apex.migrator.state.RunStoreException e) {
            Optional<Run> active = runStore.activeRunFor(command.alias(), command.runTarget());
            if (active.isPresent() && !active.get().commandId().equals(command.commandId())) {
                throw activeRunExists(command, active.get());
            }
            throw e;
        }
    }

    private static InvalidMessageException activeRunExists(MigrateCommand command, Run active) {
        boolean sameAlias = command.alias() != null && command.alias().equals(active.alias());
        return new InvalidMessageException(sameAlias ? "$.alias" : "$.target", "run " + active.id() + " (command "
                + active.commandId() + ", " + active.state().db() + ") is migrating " + (sameAlias ? "alias '"
                + command.alias() + "'" : "into '" + command.runTarget() + "'") + "; wait for it to end or cancel it "
                + "(run.cancel) first");
    }

    private void validate(MigrateCommand command) {
        Optional<Run> active = runStore.activeRunFor(command.alias(), command.runTarget());
        if (active.isPresent()) {
            throw activeRunExists(command, active.get());
        }
        if (command.inPlace()) {
            inPlace.check(command);
            return;
        }
        refuseServedTarget(command);
        targets.check(command.source(), command.target());
        if (command.swapAlias() && cutover.collectionNamedLike(command.alias())
                && !command.dropCollectionNamedLikeAlias()) {
            throw new InvalidMessageException("$.alias", "a collection is named '" + command.alias()
                    + "', like the alias, so the alias cannot be switched atomically; set "
                    + "dropCollectionNamedLikeAlias=true to drop that collection at cutover (the gap is reported)");
        }
    }

    /**
     * A collection an alias serves takes its readers' and writers' traffic: copying the source into it again (a
     * repeated migrate with a new command id, typically) would overwrite what was written through the alias since
     * the cutover.
     */
    private void refuseServedTarget(MigrateCommand command) {
        for (Map.Entry<String, String> alias : gateway.aliases().entrySet()) {
            if (!alias.getValue().equals(command.target())) {
                continue;
            }
            String swappedBy = runStore.lastCompletedForAlias(alias.getKey())
                    .filter(r -> r.target().equals(command.target()))
                    .map(r -> ", verified and swapped by run " + r.id() + " (from " + r.source() + ")").orElse("");
            throw new InvalidMessageException("$.target", "alias '" + alias.getKey() + "' already serves '"
                    + command.target() + "'" + swappedBy + "; copying into it would overwrite what was written "
                    + "through the alias since; nothing was copied (a new version needs its own target collection)");
        }
    }

    private BatchTask task(Run run, BatchRecord batch) {
        return new BatchTask(run.id().toString(), batch.batchIndex(), BatchKind.COPY, run.source(), run.target(),
                batch.range(), Math.min(config.pageSize(), run.batchSize()));
    }
}
