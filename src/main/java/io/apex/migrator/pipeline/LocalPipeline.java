package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.observability.PipelineMetrics;
import io.apex.migrator.observability.PipelineTracing;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.state.CutoverRequest;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * A one-machine run ({@code qdrant migrate --local}): the same coordinator, workers and tracker, with batch
 * tasks handed to an in-process pool instead of the batches topic. The run store and events are the same as
 * in worker mode, so {@code status} and downstream consumers see no difference.
 */
@ApplicationScoped
public class LocalPipeline {

    private static final Logger LOGGER = Logger.getLogger(LocalPipeline.class);

    private final Coordinator coordinator;
    private final Worker worker;
    private final Tracker tracker;
    private final RunStore runStore;
    private final PipelineConfig config;
    @Inject
    PipelineMetrics metrics;
    @Inject
    PipelineTracing tracing;
    private final RunDispatchers dispatchers;
    private final VerificationStore verifications;
    private final RunDriver driver;

    @Inject
    public LocalPipeline(Coordinator coordinator, Worker worker, Tracker tracker, RunStore runStore,
            PipelineConfig config, RunDispatchers dispatchers, VerificationStore verifications, RunDriver driver) {
        this.dispatchers = dispatchers;
        this.verifications = verifications;
        this.driver = driver;
        this.coordinator = coordinator;
        this.worker = worker;
        this.tracker = tracker;
        this.runStore = runStore;
        this.config = config;
    }

    /** Runs the command to its end; empty when the command id was used before. */
    public Optional<Run> run(MigrateCommand command) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.localWorkers()));
        try (RunContext.Scope mdc = RunContext.enter(command.commandId(), null)) {
            InProcess dispatcher = new InProcess(pool);
            // verification passes dispatch from the tracker: they must come back to this pool
            dispatchers.remember(command.commandId(), dispatcher);
            Optional<Run> run = coordinator.start(command, dispatcher);
            dispatcher.awaitAll();
            return run.flatMap(r -> runStore.findRun(r.id()));
        } finally {
            dispatchers.forget(command.commandId());
            pool.shutdownNow();
        }
    }

    /**
     * The go-ahead for a run of this machine waiting for a manual cutover: catch-up passes here, then the swap.
     *
     * @throws PipelineException.CutoverRefused when the run does not wait in ready-for-cutover (any more), naming the
     *     state it is in; nothing is recorded then
     */
    public Optional<Run> cutover(Run run) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.localWorkers()));
        try {
            InProcess dispatcher = new InProcess(pool);
            dispatchers.remember(run.commandId(), dispatcher);
            CutoverRequest request = verifications.requestCutover(run.id(), "local-cutover-" + UUID.randomUUID(),
                    CommandType.QDRANT_CUTOVER.wireName());
            if (request.refused()) {
                throw new PipelineException.CutoverRefused(CutoverRequest.notWaiting(run.id(), request.stateRead()));
            }
            driver.drive(run.id());
            dispatcher.awaitAll();
            return runStore.findRun(run.id());
        } finally {
            dispatchers.forget(run.commandId());
            pool.shutdownNow();
        }
    }

    public Coordinator.DryRun dryRun(MigrateCommand command) {
        return coordinator.dryRun(command);
    }

    private final class InProcess implements BatchDispatcher {
        private final ExecutorService pool;
        private final List<Future<?>> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();

        InProcess(ExecutorService pool) {
            this.pool = pool;
        }

        @Override
        public void dispatch(List<BatchTask> tasks, int pointsPerRange) {
            for (BatchTask task : tasks) {
                // the pool's threads log for the run and continue the caller's trace
                io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
                submitted.add(pool.submit(trace.wrap(() -> {
                    try (RunContext.Scope mdc = RunContext.enter(null, task.runId())) {
                        tracing.inSpan("apex batch", task.runId(), () -> runTask(task));
                    }
                })));
            }
        }

        private void runTask(BatchTask task) {
            BatchProgress progress;
            try {
                progress = worker.execute(task);
            } catch (PipelineException.RangeFailed e) {
                LOGGER.errorf("run %s: range %s failed: %s", task.runId(), task.batchIndex(), e.getMessage());
                progress = worker.failed(task, e.getMessage());
            }
            metrics.batch(progress);
            tracker.apply(progress);
        }

        /** Waits for every task, also those handed over while waiting (verification passes follow the copy). */
        void awaitAll() {
            for (int i = 0; i < submitted.size(); i++) {
                Future<?> f = submitted.get(i);
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while copying", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a range could not be processed: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
    }
}
