package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import org.junit.jupiter.api.Test;

class PointTranscoderTest {

    private static final Points.DenseVector DENSE = Points.DenseVector.newBuilder().addData(0.6f).addData(-0.8f).build();

    @Test
    void anUnnamedDenseVectorWithNestedPayloadBecomesTheSamePointStruct() throws Exception {
        // given: a point as scroll returns it, with the read-only fields upsert has no place for
        Value nested = Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("tags", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStringValue("a"))
                        .addValues(Value.newBuilder().setIntegerValue(-3))).build())
                .putFields("score", Value.newBuilder().setDoubleValue(0.25).build())).build();
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(42))
                .putPayload("tenant", Value.newBuilder().setStringValue("acme").build())
                .putPayload("meta", nested)
                .setVectors(Points.VectorsOutput.newBuilder().setVector(Points.VectorOutput.newBuilder().setDense(DENSE)))
                .setShardKey(io.qdrant.client.grpc.Collections.ShardKey.newBuilder().setKeyword("s1"))
                .setOrderValue(Points.OrderValue.newBuilder().setInt(5))
                .build();

        // when
        Points.PointStruct copy = transcode(read);

        // then
        assertThat(copy).isEqualTo(Points.PointStruct.newBuilder().setId(read.getId())
                .putAllPayload(read.getPayloadMap())
                .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder().setDense(DENSE)))
                .build());
        assertThat(copy.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation")
    void namedVectorsOfEveryKindPassAndTheDeprecatedDenseCopyIsLeftOut() throws Exception {
        // given: Qdrant may fill the deprecated data field next to dense with the same floats
        Points.VectorOutput denseWithCopy = Points.VectorOutput.newBuilder().setDense(DENSE)
                .addAllData(DENSE.getDataList()).build();
        Points.VectorOutput sparse = Points.VectorOutput.newBuilder().setSparse(Points.SparseVector.newBuilder()
                .addIndices(3).addIndices(9).addValues(0.5f).addValues(1.5f)).build();
        Points.VectorOutput multi = Points.VectorOutput.newBuilder().setMultiDense(Points.MultiDenseVector.newBuilder()
                .addVectors(DENSE).addVectors(Points.DenseVector.newBuilder().addData(1f).addData(0f))).build();
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setUuid(
                "6f9619ff-8b86-d011-b42d-00c04fc964ff")).setVectors(Points.VectorsOutput.newBuilder().setVectors(
                Points.NamedVectorsOutput.newBuilder().putVectors("text", denseWithCopy).putVectors("keywords", sparse)
                        .putVectors("colbert", multi))).build();

        // when
        Points.PointStruct copy = transcode(read);

        // then
        var named = copy.getVectors().getVectors().getVectorsMap();
        assertThat(named).containsOnlyKeys("text", "keywords", "colbert");
        assertThat(named.get("text")).isEqualTo(Points.Vector.newBuilder().setDense(DENSE).build());
        assertThat(named.get("keywords").getSparse()).isEqualTo(sparse.getSparse());
        assertThat(named.get("colbert").getMultiDense()).isEqualTo(multi.getMultiDense());
        assertThat(copy.getId().getUuid()).isEqualTo("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assertThat(copy.getPayloadMap()).isEmpty();
    }

    @Test
    void floatsArriveBitForBit() throws Exception {
        // given: values a decode/re-encode could not change either, but NaN payloads and -0.0 show the bytes move as is
        Points.DenseVector odd = Points.DenseVector.newBuilder().addData(Float.intBitsToFloat(0x7fc00001))
                .addData(-0.0f).addData(Float.MIN_VALUE).build();
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(1))
                .setVectors(Points.VectorsOutput.newBuilder().setVector(Points.VectorOutput.newBuilder().setDense(odd)))
                .build();

        // when
        Points.PointStruct copy = transcode(read);

        // then
        assertThat(copy.getVectors().getVector().getDense().toByteString()).isEqualTo(odd.toByteString());
    }

    @Test
    void aPointInsideALargerBufferIsReadFromItsSliceOnly() throws Exception {
        // given: two points back to back in one buffer, as in a scroll answer
        Points.RetrievedPoint first = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(1)).build();
        Points.RetrievedPoint second = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(2))
                .putPayload("k", Value.newBuilder().setBoolValue(true).build()).build();
        byte[] a = first.toByteArray();
        byte[] b = second.toByteArray();
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        // when
        PointTranscoder.Encoded encoded = PointTranscoder.toPointStruct(
                new WirePoint(second.getId(), both, a.length, b.length));

        // then
        Points.PointStruct copy = Points.PointStruct.parseFrom(
                com.google.protobuf.CodedInputStream.newInstance(encoded.bytes(), 0, encoded.length()));
        assertThat(copy.getId().getNum()).isEqualTo(2);
        assertThat(copy.getPayloadMap()).containsOnlyKeys("k");
    }

    private static Points.PointStruct transcode(Points.RetrievedPoint read) throws Exception {
        byte[] bytes = read.toByteArray();
        PointTranscoder.Encoded encoded = PointTranscoder.toPointStruct(new WirePoint(read.getId(), bytes, 0, bytes.length));
        return Points.PointStruct.parseFrom(com.google.protobuf.CodedInputStream.newInstance(encoded.bytes(), 0,
                encoded.length()));
    }
}
