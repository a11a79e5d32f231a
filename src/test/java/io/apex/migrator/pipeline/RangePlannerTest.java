package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.PointIdOrder;
import io.apex.migrator.qdrant.ScrollPage;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RangePlannerTest {

    /** Pages over a sorted id list, as Qdrant's scroll serves them (offset inclusive). */
    private static Function<PointId, ScrollPage> pages(List<PointId> sorted, int pageSize) {
        return offset -> {
            int from = 0;
            if (offset != null) {
                while (from < sorted.size() && PointIdOrder.INSTANCE.compare(sorted.get(from), offset) < 0) {
                    from++;
                }
            }
            int to = Math.min(sorted.size(), from + pageSize);
            List<RetrievedPoint> points = sorted.subList(from, to).stream()
                    .map(id -> RetrievedPoint.newBuilder().setId(id).build()).toList();
            return new ScrollPage(points, to < sorted.size() ? Optional.of(sorted.get(to)) : Optional.empty());
        };
    }

    private static List<PointId> ids(int nums, int uuids) {
        List<PointId> ids = new ArrayList<>();
        for (int i = 0; i < nums; i++) {
            ids.add(PointId.newBuilder().setNum(i * 3L + 1).build());
        }
        for (int i = 0; i < uuids; i++) {
            ids.add(PointId.newBuilder().setUuid(new UUID(i, i * 31L).toString()).build());
        }
        ids.sort(PointIdOrder.INSTANCE);
        return ids;
    }

    @Test
    void rangesStartAtEveryBatchSizeThPointAndTheLastIsOpen() {
        // given
        List<PointId> ids = ids(25, 0);

        // when
        RangePlanner.Plan plan = RangePlanner.plan(pages(ids, 7), 10);

        // then
        assertThat(plan.points()).isEqualTo(25);
        assertThat(plan.ranges()).containsExactly(
                new PointRange(PointKey.of(ids.get(0)), PointKey.of(ids.get(10))),
                new PointRange(PointKey.of(ids.get(10)), PointKey.of(ids.get(20))),
                new PointRange(PointKey.of(ids.get(20)), null));
    }

    @Test
    void everyPointFallsInExactlyOneRangeAcrossNumericAndUuidIds() {
        // given
        List<PointId> ids = ids(13, 17);

        // when
        RangePlanner.Plan plan = RangePlanner.plan(pages(ids, 4), 6);

        // then
        for (PointId id : ids) {
            long containing = plan.ranges().stream().filter(r -> contains(r, id)).count();
            assertThat(containing).as("ranges containing %s", id).isEqualTo(1);
        }
        assertThat(plan.ranges()).hasSize(5);
    }

    @Test
    void anEmptyCollectionHasNoRanges() {
        RangePlanner.Plan plan = RangePlanner.plan(pages(List.of(), 10), 10);
        assertThat(plan.ranges()).isEmpty();
        assertThat(plan.points()).isZero();
    }

    private static boolean contains(PointRange range, PointId id) {
        return PointIdOrder.INSTANCE.compare(id, range.start().toPointId()) >= 0
                && (range.end() == null || PointIdOrder.INSTANCE.compare(id, range.end().toPointId()) < 0);
    }
}
