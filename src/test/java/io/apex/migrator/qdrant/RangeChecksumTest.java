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
    void theShardKeyAPointIsStoredUnderIsPartOfItsDigest() {
        // given: one point, without a shard key and under two different ones
        RetrievedPoint plain = point(7, payload(false), dense(0.25f, -1f), false);
        RetrievedPoint eu = plain.toBuilder().setShardKey(io.qdrant.client.grpc.Collections.ShardKey.newBuilder()
                .setKeyword("eu")).build();
        RetrievedPoint us = plain.toBuilder().setShardKey(io.qdrant.client.grpc.Collections.ShardKey.newBuilder()
                .setKeyword("us")).build();

        // when / then: a point copied under the wrong key differs; the same key digests the same
        assertThat(checksum(eu)).isNotEqualTo(checksum(us)).isNotEqualTo(checksum(plain));
        assertThat(checksum(eu)).isEqualTo(checksum(eu.toBuilder().build()));
    }

    @Test
    void namedVectorsInAnyOrderAndPackedOrUnpackedFloatsReadTheSameButRowsAndNestedValuesCount() throws Exception {
        // given: two named vectors, sent in either order
        VectorOutput text = VectorOutput.newBuilder().setSparse(SparseVector.newBuilder().addAllIndices(List.of(3, 9))
                .addAllValues(List.of(0.5f, 0.25f))).build();
        VectorOutput image = VectorOutput.newBuilder().setDense(DenseVector.newBuilder().addData(1f).addData(2f)).build();
        RetrievedPoint ab = named(7, Map.of(), "image", image, "text", text);
        RetrievedPoint ba = named(7, Map.of(), "text", text, "image", image);
        // and: the same dense vector with its floats unpacked (field 1 of DenseVector, wire type 5, one by one)
        java.io.ByteArrayOutputStream unpacked = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(unpacked);
        DenseVector dense = DenseVector.newBuilder().addData(1f).addData(2f).build();
        byte[] denseUnpacked = unpackedFloats(1f, 2f);
        out.writeTag(RetrievedPoint.ID_FIELD_NUMBER, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeMessageNoTag(PointId.newBuilder().setNum(7).build());
        byte[] vectorOutput = tagged(VectorOutput.DENSE_FIELD_NUMBER, denseUnpacked);
        byte[] vectorsOutput = tagged(VectorsOutput.VECTOR_FIELD_NUMBER, vectorOutput);
        out.writeByteArray(RetrievedPoint.VECTORS_FIELD_NUMBER, vectorsOutput);
        out.flush();
        RetrievedPoint decoded = RetrievedPoint.parseFrom(unpacked.toByteArray());
        RetrievedPoint packed = point(7, Map.of(), dense(1f, 2f), false);

        // when / then
        assertThat(checksum(ab)).isEqualTo(checksum(ba));
        assertThat(decoded.getVectors().getVector().getDense()).isEqualTo(dense);
        RangeChecksum c = new RangeChecksum();
        c.add(new WirePoint(decoded.getId(), unpacked.toByteArray(), 0, unpacked.size()));
        assertThat(c.result().checksum()).isEqualTo(checksum(packed));
        RetrievedPoint twoRows = RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(7))
                .setVectors(VectorsOutput.newBuilder().setVector(VectorOutput.newBuilder().setMultiDense(
                        io.qdrant.client.grpc.Points.MultiDenseVector.newBuilder()
                                .addVectors(DenseVector.newBuilder().addData(1f))
                                .addVectors(DenseVector.newBuilder().addData(2f))))).build();
        assertThat(checksum(twoRows)).as("one row of two floats is not two rows of one").isNotEqualTo(checksum(packed));
        Map<String, Value> nested = payload(false);
        Map<String, Value> otherNested = new LinkedHashMap<>(nested);
        otherNested.put("m", Value.newBuilder().setStructValue(Struct.newBuilder().putFields("x",
                Value.newBuilder().setStringValue("s").build()).putFields("y", Value.newBuilder().setListValue(
                        ListValue.newBuilder().addValues(Value.newBuilder().setBoolValue(true))
                                .addValues(Value.newBuilder().setNullValueValue(0))
                                .addValues(Value.newBuilder().setDoubleValue(2.5000001))).build()).build()).build());
        assertThat(checksum(point(7, otherNested, dense(1f), false)))
                .as("a value deep in a list in a struct").isNotEqualTo(checksum(point(7, nested, dense(1f), false)));
    }

    private static RetrievedPoint named(long id, Map<String, Value> payload, String n1, VectorOutput v1, String n2,
            VectorOutput v2) {
        Map<String, VectorOutput> vectors = new LinkedHashMap<>();
        vectors.put(n1, v1);
        vectors.put(n2, v2);
        return RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(id)).putAllPayload(payload)
                .setVectors(VectorsOutput.newBuilder().setVectors(NamedVectorsOutput.newBuilder().putAllVectors(vectors)))
                .build();
    }

    private static byte[] unpackedFloats(float... values) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        for (float v : values) {
            out.writeFloat(DenseVector.DATA_FIELD_NUMBER, v); // one tag per value: not packed
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] tagged(int field, byte[] message) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        out.writeByteArray(field, message);
        out.flush();
        return bytes.toByteArray();
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
