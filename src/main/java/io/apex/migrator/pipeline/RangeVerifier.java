package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.live.CaptureCatchUp;
import io.apex.migrator.qdrant.PointDigests;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeChecksum;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * A worker's verify task: checksums one range on the source and on the target, keeping the digest of every point
 * ({@link RangeChecksum#withPoints}); when the range checksums differ, the points that differ are left to converge
 * ({@link PointConvergence}): the capture stream first, then re-syncs of just those points through the stream, up to
 * {@code apex.pipeline.verify.max-repairs} rounds. What it found and did travels back in the progress report; the
 * run's verification decides on the whole.
 *
 * <p>Per-point digests rather than sub-ranges with digests of their own: the range is read once either way (its
 * points are a batch, so their digests fit in memory), the diff is exact in one step where bisection needs about
 * ten more reads of both sides, each racing the writes again, and the points it names are what a re-sync by id
 * takes.
 */
@ApplicationScoped
public class RangeVerifier {

    private static final Logger LOGGER = Logger.getLogger(RangeVerifier.class);
    /** Reads the target side of a range while the task's own thread reads the source (as many as tasks run). */
    private static final ExecutorService TARGET_READS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "apex-verify-target");
        thread.setDaemon(true);
        return thread;
    });
    /** Points named in a report of a range that stayed different. */
    static final int NAMED_POINTS = 5;

    private final QdrantGateway gateway;
    private final PipelineConfig config;
    private final CaptureCatchUp stream;

    @Inject
    public RangeVerifier(QdrantGateway gateway, PipelineConfig config, CaptureCatchUp stream) {
        this.gateway = gateway;
        this.config = config;
        this.stream = stream;
    }

    /** Checks (and repairs) the task's range. */
    public RangeVerification verify(BatchTask task) {
        UUID runId = UUID.fromString(task.runId());
        PointConvergence.Stream viaStream = new PointConvergence.Stream() {
            @Override
            public boolean catchUp() {
                return stream.catchUp();
            }

            @Override
            public void resync(Collection<PointKey> points) {
                stream.resync(runId, task.source(), task.target(), points);
            }
        };
        return verify(gateway, task, viaStream, config.verify().maxRepairs());
    }

    static RangeVerification verify(QdrantGateway gateway, BatchTask task, PointConvergence.Stream stream,
            int maxRounds) {
        // The two sides are read at once: a task waits for the slower side, not for both in turn.
        CompletableFuture<RangeChecksum.Detailed> target = CompletableFuture.supplyAsync(
                () -> RangeChecksum.withPoints(gateway, task.target(), task.range(), task.pageSize()), TARGET_READS);
        RangeChecksum.Detailed s;
        try {
            s = RangeChecksum.withPoints(gateway, task.source(), task.range(), task.pageSize());
        } catch (RuntimeException e) {
            target.cancel(false);
            throw e;
        }
        RangeChecksum.Detailed t = join(target);
        if (s.range().checksum().equals(t.range().checksum())) {
            return result(task, s, t, false, new PointConvergence.Outcome(0, 0, 0, 0, 0, List.of()));
        }
        Set<PointKey> differing = PointDigests.differing(s.points(), t.points());
        LOGGER.infof("run %s: range %s %s differs in %s points (source %s points, target %s); comparing them again "
                + "once the capture stream passed them", task.runId(), task.batchIndex(), task.range(),
                differing.size(), s.range().points(), t.range().points());
        PointConvergence.Sides sides = new PointConvergence.Sides() {
            @Override
            public PointDigests source(Collection<PointKey> points) {
                return PointDigests.read(gateway, task.source(), points);
            }

            @Override
            public PointDigests target(Collection<PointKey> points) {
                return PointDigests.read(gateway, task.target(), points);
            }
        };
        PointConvergence.Outcome outcome = PointConvergence.converge(differing, s.points(), stream, sides, maxRounds);
        if (!outcome.equal()) {
            LOGGER.warnf("run %s: range %s %s: %s points still differ after %s rounds of repair, e.g. %s",
                    task.runId(), task.batchIndex(), task.range(), outcome.still().size(), outcome.rounds(),
                    named(outcome));
        } else {
            LOGGER.infof("run %s: range %s %s equal again: %s points converged by the stream, %s repaired by "
                    + "checksum (%s rounds)", task.runId(), task.batchIndex(), task.range(),
                    outcome.convergedByStream(), outcome.repaired(), outcome.rounds());
        }
        return result(task, s, t, true, outcome);
    }

    /** The target side's result, or its own exception (what the task's retry classifies), not a wrapper. */
    private static RangeChecksum.Detailed join(CompletableFuture<RangeChecksum.Detailed> target) {
        try {
            return target.get();
        } catch (InterruptedException e) {
            target.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the target side", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static RangeVerification result(BatchTask task, RangeChecksum.Detailed s, RangeChecksum.Detailed t,
            boolean differed, PointConvergence.Outcome o) {
        return new RangeVerification(task.pass(), s.range().checksum(), t.range().checksum(), s.range().points(),
                t.range().points(), differed, o.rounds(), o.repaired(), o.equal(), o.differing(),
                o.convergedByStream(), o.resynced(), named(o));
    }

    private static List<String> named(PointConvergence.Outcome o) {
        return o.still().stream().limit(NAMED_POINTS).map(PointKey::text).toList();
    }
}
