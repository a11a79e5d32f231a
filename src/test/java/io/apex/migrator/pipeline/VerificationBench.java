package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What verification costs (a benchmark that prints, not a timed test; not in the default suites because its
 * name matches neither *Test nor *IT): {@code ./mvnw test -Dtest=VerificationBench [-Dverify.bench.points=10000]}.
 * Two equal collections of 1536-d points in a stand-in of its own: range checksums of the pair on 2 and 4
 * threads, then five points corrupted in five ranges and those ranges verified and repaired.
 */
class VerificationBench {

    private static final int DIMS = 1536;
    private static final int BATCH = 1000;

    @Test
    void rangeChecksumsAndRepairsOf1536dPoints() {
        int points = Integer.getInteger("verify.bench.points", 10_000);
        try (QdrantStandIn standIn = QdrantStandIn.start();
                QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            // given
            TestCollections.create(gateway, "a", DIMS, false);
            TestCollections.create(gateway, "b", DIMS, false);
            TestCollections.seed(gateway, "a", points, DIMS, false, false, 1);
            TestCollections.seed(gateway, "b", points, DIMS, false, false, 1);

            // when: the whole pair, twice per thread count (the first warms up)
            for (int threads : List.of(2, 4)) {
                PairVerification.run(gateway, "a", "b", BATCH, 256, threads);
                PairVerification.Report report = PairVerification.run(gateway, "a", "b", BATCH, 256, threads);
                assertThat(report.equal()).isTrue();
                readBothSides(gateway, threads); // warm-up
                long readMs = readBothSides(gateway, threads);
                System.out.printf(Locale.ROOT, "verify %d x %d-d points (both sides), %d ranges, %d threads: %d ms "
                        + "= %.0f ms per 10k points = %.0f points/s; reading both sides alone (wire scroll, no digest): "
                        + "%d ms; verify / read = %.2f%n", points, DIMS, report.ranges(), threads, report.durationMs(),
                        report.durationMs() * 10_000.0 / points, points * 1000.0 / report.durationMs(), readMs,
                        (double) report.durationMs() / readMs);
            }

            // and: five corrupted points in five ranges, found and repaired range by range
            int ranges = (points + BATCH - 1) / BATCH;
            for (int i = 0; i < 5; i++) {
                long num = 1_000_000L + (long) ((i * ranges / 5) * BATCH + 17) * 7L;
                RetrievedPoint p = gateway.scroll("b", PointId.newBuilder().setNum(num).build(), 1, true, true)
                        .points().get(0);
                gateway.upsert("b", List.of(PointCopy.of(p).toBuilder()
                        .putPayload("title", Value.newBuilder().setStringValue("corrupted").build()).build()));
            }
            PairVerification.Report before = PairVerification.run(gateway, "a", "b", BATCH, 256, 4);
            long started = System.nanoTime();
            long repairedPoints = 0;
            for (PairVerification.RangeDiff diff : before.differing()) {
                RangeVerification v = RangeVerifier.verify(gateway, new BatchTask(UUID.randomUUID().toString(),
                        diff.index(), BatchKind.VERIFY, "a", "b", diff.range(), 256, 1), direct(gateway), 3);
                assertThat(v.equal()).isTrue();
                repairedPoints += v.resyncedPoints();
            }
            long repairMs = (System.nanoTime() - started) / 1_000_000;
            PairVerification.Report after = PairVerification.run(gateway, "a", "b", BATCH, 256, 4);

            // then
            assertThat(before.differing()).hasSize(5);
            assertThat(after.equal()).isTrue();
            System.out.printf(Locale.ROOT, "repair: %d differing ranges of %d points found; checked, re-synced by id (%d "
                    + "points re-synced) and re-checked one after the other in %d ms (%.0f ms per range)%n",
                    before.differing().size(), BATCH, repairedPoints, repairMs, repairMs / 5.0);
        }
    }

    /** The floor of verification: every range of both sides scrolled as the copy reads it, nothing digested. */
    private static long readBothSides(QdrantGateway gateway, int threads) {
        List<io.apex.migrator.api.PointRange> ranges = RangePlanner.plan(gateway, "a", BATCH, 10_000).ranges();
        long started = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                io.apex.migrator.api.PointRange range = PairVerification.covering(i, ranges.get(i));
                for (String side : List.of("a", "b")) {
                    reads.add(pool.submit(() -> io.apex.migrator.qdrant.RangeReader.readWire(range,
                            from -> gateway.scrollWire(side, from, 256), page -> { })));
                }
            }
            for (java.util.concurrent.Future<?> read : reads) {
                read.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** No capture stream here: nothing to wait for, and a re-sync copies the points by id straight away. */
    private static PointConvergence.Stream direct(QdrantGateway gateway) {
        return new PointConvergence.Stream() {
            @Override
            public boolean catchUp() {
                return true;
            }

            @Override
            public void resync(java.util.Collection<io.apex.migrator.api.PointKey> points) {
                io.qdrant.client.grpc.Common.Filter byIds = io.qdrant.client.grpc.Common.Filter.newBuilder()
                        .addMust(io.qdrant.client.grpc.Common.Condition.newBuilder().setHasId(
                                io.qdrant.client.grpc.Common.HasIdCondition.newBuilder().addAllHasId(points.stream()
                                        .map(io.apex.migrator.api.PointKey::toPointId).toList()))).build();
                gateway.upsertWire("b", gateway.scrollWire("a", null, points.size(), byIds).points());
            }
        };
    }
}
