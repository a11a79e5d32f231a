package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits a real Qdrant server has and the stand-in must have too. */
class StandInLimitsTest {

    private QdrantStandIn standIn;
    private QdrantGrpcClient grpcClient;
    private QdrantClient client;

    @BeforeEach
    void start() throws Exception {
        standIn = QdrantStandIn.start();
        grpcClient = QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build();
        client = new QdrantClient(grpcClient);
        client.createCollectionAsync("big", VectorParams.newBuilder().setSize(1536).setDistance(Distance.Cosine)
                .build()).get();
    }

    @AfterEach
    void stop() {
        // The client still holds the rejected 6 MB write; a graceful close would wait 5 s for it.
        grpcClient.channel().shutdownNow();
        client.close();
        standIn.close();
    }

    @Test
    void aBatchOverGrpcs4MbInboundLimitIsRejectedAndNothingIsWritten() throws Exception {
        // given: 1000 points of 1536 packed floats are ~6.1 MB on the wire
        List<PointStruct> batch = batch(1000);

        // when / then
        assertThatThrownBy(() -> client.upsertAsync("big", batch).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(client.countAsync("big").get()).isZero();
    }

    @Test
    void aBatchUnderTheLimitIsAccepted() throws Exception {
        // given: 600 points are ~3.7 MB
        List<PointStruct> batch = batch(600);

        // when
        client.upsertAsync("big", batch).get();

        // then
        assertThat(client.countAsync("big").get()).isEqualTo(600);
    }

    private static List<PointStruct> batch(int n) {
        float[] values = new float[1536];
        java.util.Arrays.fill(values, 0.5f);
        var vector = vectors(values);
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(PointStruct.newBuilder().setId(id(i)).setVectors(vector).build());
        }
        return points;
    }
}
