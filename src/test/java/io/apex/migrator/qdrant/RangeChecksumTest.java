package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeChecksumTest {

    @Test
    void payloadKeyOrderAndTheVectorFieldsAServerFillsInDoNotChangeTheChecksum() {
        // given: the same point, payload keys in another order, dense vector in the deprecated 'data' field
        RetrievedPoint a = point(7, payload(false), dense(0.25f, -1f), false);
        RetrievedPoint b = point(7, payload(true), dense(0.25f, -1f), true);

        // when / then
        assertThat(checksum(a)).isEqualTo(checksum(b));
        assertThat(RangeChecksum.canonicalJson(a.getPayloadMap()))
                .isEqualTo("{\"a\":1,\"m\":{\"x\":\"s\",\"y\":[true,null,2.5]},\"z\":\"last\"}");
    }

    @Test
    void oneFloatBitIdAnyPayloadValueOrASparseIndexChangesTheChecksum() {
        // given
        RetrievedPoint base = point(7, payload(false), dense(0.25f, -1f), false);

        // when / then
        assertThat(checksum(point(7, payload(false), dense(Math.nextUp(0.25f), -1f), false))).isNotEqualTo(checksum(base));
        assertThat(checksum(point(8, payload(false), dense(0.25f, -1f), false))).isNotEqualTo(checksum(base));
        assertThat(checksum(base.toBuilder().putPayload("a", Value.newBuilder().setDoubleValue(1).build()).build()))
                .as("integer 1 and double 1.0 are different payloads").isNotEqualTo(checksum(base));
        RetrievedPoint sparse1 = sparse(7, List.of(1, 5), List.of(0.5f, 0.5f));
        RetrievedPoint sparse2 = sparse(7, List.of(1, 6), List.of(0.5f, 0.5f));
        assertThat(checksum(sparse1)).isNotEqualTo(checksum(sparse2));
    }

    @Test
    void aMissingPointChangesTheChecksumOfTheRange() {
        // given
        RangeChecksum both = new RangeChecksum();
        both.add(point(1, payload(false), dense(1f, 2f), false));
        both.add(point(2, payload(false), dense(1f, 2f), false));
        RangeChecksum one = new RangeChecksum();
        one.add(point(1, payload(false), dense(1f, 2f), false));

        // when
        RangeChecksum.Result two = both.result();
        RangeChecksum.Result single = one.result();

        // then
        assertThat(two.points()).isEqualTo(2);
        assertThat(single.points()).isEqualTo(1);
        assertThat(two.checksum()).isNotEqualTo(single.checksum());
    }

    private static String checksum(RetrievedPoint p) {
        RangeChecksum c = new RangeChecksum();
        c.add(p);
        return c.result().checksum();
    }

    private static float[] dense(float... values) {
        return values;
    }

    @SuppressWarnings("deprecation")
    private static RetrievedPoint point(long id, Map<String, Value> payload, float[] vector, boolean legacy) {
        VectorOutput.Builder v = VectorOutput.newBuilder();
        DenseVector.Builder d = DenseVector.newBuilder();
        for (float x : vector) {
            if (legacy) {
                v.addData(x);
            } else {
                d.addData(x);
            }
        }
        if (!legacy) {
            v.setDense(d);
        }
        return RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(id)).putAllPayload(payload)
                .setVectors(VectorsOutput.newBuilder().setVector(v)).build();
    }

    private static RetrievedPoint sparse(long id, List<Integer> indices, List<Float> values) {
        return RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(id))
                .setVectors(VectorsOutput.newBuilder().setVectors(NamedVectorsOutput.newBuilder().putVectors("text",
                        VectorOutput.newBuilder().setSparse(SparseVector.newBuilder().addAllIndices(indices)
                                .addAllValues(values)).build()))).build();
    }

    private static Map<String, Value> payload(boolean reversed) {
        Map<String, Value> inner = new LinkedHashMap<>();
        Value list = Value.newBuilder().setListValue(ListValue.newBuilder()
                .addValues(Value.newBuilder().setBoolValue(true))
                .addValues(Value.newBuilder().setNullValueValue(0))
                .addValues(Value.newBuilder().setDoubleValue(2.5))).build();
        Value s = Value.newBuilder().setStringValue("s").build();
        if (reversed) {
            inner.put("y", list);
            inner.put("x", s);
        } else {
            inner.put("x", s);
            inner.put("y", list);
        }
        Value m = Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(inner)).build();
        Map<String, Value> out = new LinkedHashMap<>();
        List<String> keys = reversed ? List.of("z", "m", "a") : List.of("a", "m", "z");
        for (String k : keys) {
            out.put(k, switch (k) {
                case "a" -> Value.newBuilder().setIntegerValue(1).build();
                case "m" -> m;
                default -> Value.newBuilder().setStringValue("last").build();
            });
        }
        return out;
    }
}
