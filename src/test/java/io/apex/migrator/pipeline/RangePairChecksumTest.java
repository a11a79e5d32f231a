package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.RangeChecksum;
import io.apex.migrator.qdrant.RangePairChecksum;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both sides of a range checksummed together ({@link RangePairChecksum}, over several pages of a stand-in) give each
 * side exactly the checksum and point digests it has read alone ({@link RangeChecksum#withPoints}): when the sides are
 * equal, and when the target misses a point, holds one more, or holds one with another payload, so that the two
 * sides fall out of step and back into it.
 */
class RangePairChecksumTest {

    private static final int PAGE = 64;
    private static QdrantStandIn standIn;
    private static QdrantGateway gateway;
    private static ExecutorService reads;

    @BeforeAll
    static void start() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
        reads = Executors.newCachedThreadPool();
        for (String name : List.of("pair_a", "pair_b", "pair_c")) {
            TestCollections.create(gateway, name, 8, false);
            TestCollections.seed(gateway, name, 300, 8, false, true, 5);
        }
        // pair_c: one point missing, one point more, one point with another title
        List<RetrievedPoint> firstPage = gateway.scroll("pair_c", null, 40, true, true).points();
        gateway.delete("pair_c", List.of(firstPage.get(3).getId()));
        RetrievedPoint changed = firstPage.get(20);
        gateway.upsert("pair_c", List.of(PointCopy.of(changed).toBuilder()
                .putPayload("title", Value.newBuilder().setStringValue("changed").build()).build()));
        gateway.upsert("pair_c", List.of(PointCopy.of(changed).toBuilder()
                .setId(PointId.newBuilder().setNum(1_000_000L + 20 * 7L + 3)).build()));
    }

    @AfterAll
    static void stop() {
        reads.shutdownNow();
        gateway.close();
        standIn.close();
    }

    @Test
    void equalSidesGetTheChecksumsAndDigestsEachGetsAlone() {
        PointRange whole = new PointRange(new PointKey(0L, null), null);

        RangePairChecksum.Sides sides = RangePairChecksum.read(gateway, "pair_a", "pair_b", whole, PAGE, reads);

        assertAlone(sides.source(), "pair_a", whole);
        assertAlone(sides.target(), "pair_b", whole);
        assertThat(sides.source().range().checksum()).isEqualTo(sides.target().range().checksum());
        assertThat(sides.source().range().points()).isEqualTo(300);
    }

    @Test
    void sidesOutOfStepGetTheChecksumsAndDigestsEachGetsAlone() {
        PointRange whole = new PointRange(new PointKey(0L, null), null);
        List<RetrievedPoint> ids = gateway.scroll("pair_a", null, 300, false, false).points();
        PointRange middle = new PointRange(PointKey.of(ids.get(2).getId()), PointKey.of(ids.get(250).getId()));

        for (PointRange range : List.of(whole, middle)) {
            // every page read ahead, and (a bound of 0 bytes) each page only once the one before it is digested
            for (int readAheadMaxBytes : List.of(Integer.MAX_VALUE, 0)) {
                RangePairChecksum.Sides sides = RangePairChecksum.read(gateway, "pair_a", "pair_c", range, PAGE,
                        reads, readAheadMaxBytes);

                assertAlone(sides.source(), "pair_a", range);
                assertAlone(sides.target(), "pair_c", range);
                assertThat(sides.source().range().checksum()).isNotEqualTo(sides.target().range().checksum());
            }
        }
    }

    private static void assertAlone(RangeChecksum.Detailed paired, String collection, PointRange range) {
        RangeChecksum.Detailed alone = RangeChecksum.withPoints(gateway, collection, range, PAGE);
        assertThat(paired.range()).isEqualTo(alone.range());
        assertThat(paired.points()).isEqualTo(alone.points());
    }
}
