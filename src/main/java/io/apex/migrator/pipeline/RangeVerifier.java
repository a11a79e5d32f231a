package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.live.CaptureCatchUp;
import io.apex.migrator.qdrant.PointDigests;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeChecksum;
import io.apex.migrator.qdrant.RangePairChecksum;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * A worker's verify task: checksums one range on the source and on the target, keeping the digest of every point
 * ({@link RangePairChecksum}); when the range checksums differ, the points that differ are left to converge
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
    /** Reads the pages of both sides of the ranges being verified (two reads in flight per task at most). */
    private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "apex-verify-read");
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
        // both sides read at once and digested in step (a point held alike is hashed once)
        RangePairChecksum.Sides read = RangePairChecksum.read(gateway, task.source(), task.target(), task.range(),
                task.pageSize(), READS);
        RangeChecksum.Detailed s = read.source();
        RangeChecksum.Detailed t = read.target();
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
