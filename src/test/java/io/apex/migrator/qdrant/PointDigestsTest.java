package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.PointKey;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PointDigestsTest {

    @Test
    void pointsEqualForTheRangeChecksumHaveEqualDigestsWhateverThePayloadKeyOrder() {
        // given: the same three points, payload keys written in another order on the target
        List<RetrievedPoint> source = List.of(point(1, 0.5f, false), point(2, 0.25f, false), point(3, -1f, false));
        List<RetrievedPoint> target = List.of(point(1, 0.5f, true), point(2, 0.25f, true), point(3, -1f, true));

        // when
        RangeChecksum.Detailed s = detailed(source);
        RangeChecksum.Detailed t = detailed(target);

        // then
        assertThat(t.range()).isEqualTo(s.range());
        assertThat(PointDigests.differing(s.points(), t.points())).isEmpty();
        assertThat(s.points().digests()).hasSize(3);
    }

    @Test
    void theDiffNamesExactlyThePointsThatMakeTheRangeChecksumsDiffer() {
        // given: point 2 differs by one float bit, 3 is missing on the target, 9 exists only there, 1 is the same
        List<RetrievedPoint> source = List.of(point(1, 0.5f, false), point(2, 0.25f, false), point(3, -1f, false));
        List<RetrievedPoint> target = List.of(point(1, 0.5f, false), point(2, Math.nextUp(0.25f), false),
                point(9, 1f, false));

        // when
        RangeChecksum.Detailed s = detailed(source);
        RangeChecksum.Detailed t = detailed(target);

        // then: listed in Qdrant's id order
        assertThat(s.range().checksum()).isNotEqualTo(t.range().checksum());
        assertThat(PointDigests.differing(s.points(), t.points())).containsExactly(key(2), key(3), key(9));
    }

    @Test
    void aPointIsComparedByItsOwnBytesNotByItsPlaceInTheRange() {
        // given: the same point digested alone and inside a range, and a UUID point beside integer ids
        PointKey uuid = PointKey.of(PointId.newBuilder().setUuid(UUID.randomUUID().toString()).build());
        RetrievedPoint alone = point(2, 0.25f, false);

        // when
        PointDigests single = detailed(List.of(alone)).points();
        PointDigests inRange = detailed(List.of(point(1, 0.5f, false), alone)).points();
        PointDigests withUuid = new PointDigests(Map.of(uuid, "x", key(2), single.of(key(2))));

        // then
        assertThat(single.of(key(2))).isEqualTo(inRange.of(key(2)));
        assertThat(PointDigests.differing(inRange, withUuid)).containsExactly(key(1), uuid);
        assertThat(PointDigests.differing(inRange, withUuid, List.of(key(2)))).isEmpty();
        assertThat(inRange.of(key(7))).isNull();
    }

    private static RangeChecksum.Detailed detailed(List<RetrievedPoint> points) {
        RangeChecksum c = new RangeChecksum();
        points.forEach(c::add);
        return c.detailed();
    }

    private static PointKey key(long num) {
        return new PointKey(num, null);
    }

    private static RetrievedPoint point(long id, float first, boolean reversedPayload) {
        Map<String, Value> payload = new LinkedHashMap<>();
        Value a = Value.newBuilder().setIntegerValue(id).build();
        Value b = Value.newBuilder().setStringValue("label " + id).build();
        if (reversedPayload) {
            payload.put("b", b);
            payload.put("a", a);
        } else {
            payload.put("a", a);
            payload.put("b", b);
        }
        return RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(id)).putAllPayload(payload)
                .setVectors(VectorsOutput.newBuilder().setVector(VectorOutput.newBuilder()
                        .setDense(DenseVector.newBuilder().addData(first).addData(2f)))).build();
    }
}
