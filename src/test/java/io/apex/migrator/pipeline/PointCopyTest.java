package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import org.junit.jupiter.api.Test;

class PointCopyTest {

    private static final Points.DenseVector DENSE = Points.DenseVector.newBuilder().addData(0.6f).addData(0.8f).build();

    @Test
    void anUnnamedDenseVectorIsReusedAsReadAndKeepsIdAndPayload() {
        // given
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(7))
                .putPayload("tenant", Value.newBuilder().setStringValue("a").build())
                .setVectors(Points.VectorsOutput.newBuilder().setVector(Points.VectorOutput.newBuilder().setDense(DENSE)))
                .build();

        // when
        Points.PointStruct copy = PointCopy.of(read);

        // then
        assertThat(copy.getId().getNum()).isEqualTo(7);
        assertThat(copy.getPayloadMap()).isEqualTo(read.getPayloadMap());
        assertThat(copy.getVectors().getVector().getDense()).isSameAs(read.getVectors().getVector().getDense());
    }

    @Test
    void namedDenseVectorsAreReusedByName() {
        // given
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setUuid(
                "00000000-0000-0000-0000-000000000001")).setVectors(Points.VectorsOutput.newBuilder().setVectors(
                Points.NamedVectorsOutput.newBuilder().putVectors("text", Points.VectorOutput.newBuilder().setDense(DENSE)
                        .build()))).build();

        // when
        Points.PointStruct copy = PointCopy.of(read);

        // then
        assertThat(copy.getVectors().getVectors().getVectorsMap()).containsOnlyKeys("text");
        assertThat(copy.getVectors().getVectors().getVectorsMap().get("text").getDense()).isSameAs(DENSE);
    }

    @Test
    void aSparseVectorNextToADenseOneIsConvertedOnTheWire() {
        // given
        Points.VectorOutput sparse = Points.VectorOutput.newBuilder().setSparse(Points.SparseVector.newBuilder()
                .addIndices(3).addValues(0.5f)).build();
        Points.RetrievedPoint read = Points.RetrievedPoint.newBuilder().setId(PointId.newBuilder().setNum(1))
                .setVectors(Points.VectorsOutput.newBuilder().setVectors(Points.NamedVectorsOutput.newBuilder()
                        .putVectors("dense", Points.VectorOutput.newBuilder().setDense(DENSE).build())
                        .putVectors("sparse", sparse))).build();

        // when
        Points.PointStruct copy = PointCopy.of(read);

        // then
        var vectors = copy.getVectors().getVectors().getVectorsMap();
        assertThat(vectors.get("dense").getDense().getDataList()).containsExactly(0.6f, 0.8f);
        assertThat(vectors.get("sparse").getSparse().getIndicesList()).containsExactly(3);
        assertThat(vectors.get("sparse").getSparse().getValuesList()).containsExactly(0.5f);
    }
}
