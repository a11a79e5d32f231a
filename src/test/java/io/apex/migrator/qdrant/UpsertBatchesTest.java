package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpsertBatchesTest {

    private static Points.PointStruct point(int id, int dim) {
        Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
        for (int i = 0; i < dim; i++) {
            dense.addData(i * 0.001f + id);
        }
        return Points.PointStruct.newBuilder().setId(Common.PointId.newBuilder().setNum(id))
                .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder().setDense(dense)))
                .build();
    }

    @Test
    void aThousand1536dPointsAreSplitIntoRequestsUnderTheGrpcLimitInOrder() {
        // given: ~6.2 MB in one request would be refused by a default gRPC server
        List<Points.PointStruct> points = IntStream.range(0, 1000).mapToObj(i -> point(i, 1536)).toList();

        // when
        List<List<Points.PointStruct>> slices = UpsertBatches.split("documents_v2", points,
                UpsertBatches.DEFAULT_LIMIT_BYTES);

        // then
        assertThat(slices).hasSizeGreaterThan(1);
        assertThat(slices.stream().flatMap(List::stream).toList()).isEqualTo(points);
        assertThat(slices).allSatisfy(slice -> assertThat(Points.UpsertPoints.newBuilder()
                .setCollectionName("documents_v2").setWait(true).addAllPoints(slice).build().getSerializedSize())
                .isLessThanOrEqualTo(UpsertBatches.DEFAULT_LIMIT_BYTES));
    }

    @Test
    void aSmallBatchStaysOneRequest() {
        List<Points.PointStruct> points = IntStream.range(0, 10).mapToObj(i -> point(i, 8)).toList();

        assertThat(UpsertBatches.split("c", points, UpsertBatches.DEFAULT_LIMIT_BYTES)).containsExactly(points);
    }

    @Test
    void aPointLargerThanTheLimitIsRefusedWithItsId() {
        assertThatThrownBy(() -> UpsertBatches.split("chunks_v2", List.of(point(42, 1536)), 1000))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageContaining("chunks_v2").hasMessageContaining("point 42");
    }
}
