package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeChecksum;
import io.apex.migrator.qdrant.RangePairChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Verification of any two collections in this process, without Kafka or a run ({@code qdrant verify}): the
 * ranges are planned over the source ids as a migration would plan them, each range is checksummed on both
 * sides ({@link RangePairChecksum}) on a small thread pool, and the exact counts are compared. Nothing is written.
 */
public final class PairVerification {

    /** The lowest id in Qdrant's order: the first range starts there so that no target point escapes. */
    static final PointKey LOWEST = new PointKey(0L, null);

    /** A range whose checksums differ. */
    public record RangeDiff(int index, PointRange range, long sourcePoints, long targetPoints) {
    }

    /** What was compared and what differed. */
    public record Report(long sourcePoints, long targetPoints, int ranges, List<RangeDiff> differing,
            long durationMs) {
        public boolean equal() {
            return sourcePoints == targetPoints && differing.isEmpty();
        }
    }

    private PairVerification() {
    }

    /** Compares {@code target} with {@code source} range by range. */
    public static Report run(QdrantGateway gateway, String source, String target, int batchSize, int pageSize,
            int threads) {
        long started = System.nanoTime();
        long sourcePoints = gateway.count(source);
        long targetPoints = gateway.count(target);
        List<PointRange> ranges = RangePlanner.plan(gateway, source, batchSize, 10_000).ranges();
        if (ranges.isEmpty()) {
            ranges = List.of(new PointRange(LOWEST, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        ExecutorService reads = Executors.newCachedThreadPool();
        try {
            List<Future<RangeDiff>> checks = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                int index = i;
                PointRange range = covering(i, ranges.get(i));
                checks.add(pool.submit(() -> {
                    RangePairChecksum.Sides sides = RangePairChecksum.read(gateway, source, target, range, pageSize,
                            reads);
                    RangeChecksum.Result s = sides.source().range();
                    RangeChecksum.Result t = sides.target().range();
                    return s.checksum().equals(t.checksum()) ? null
                            : new RangeDiff(index, range, s.points(), t.points());
                }));
            }
            List<RangeDiff> differing = new ArrayList<>();
            for (Future<RangeDiff> check : checks) {
                RangeDiff diff = check.get();
                if (diff != null) {
                    differing.add(diff);
                }
            }
            return new Report(sourcePoints, targetPoints, ranges.size(), differing,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            reads.shutdownNow();
        }
    }

    /** The range to verify for planned range {@code index}: the first one reaches down to the lowest id. */
    static PointRange covering(int index, PointRange planned) {
        return index == 0 ? new PointRange(LOWEST, planned.end()) : planned;
    }
}
