package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdatedSinceTest {

    @Test
    void copiesExactlyThePointsWhoseUpdatedAtIsAtOrAfterTheCopyStart() {
        try (QdrantStandIn standIn = QdrantStandIn.start();
                QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            // given: 600 points; every third changed after the copy began (one exactly at its start), the rest
            // before it or with no usable datetime
            TestCollections.create(gateway, "src", 4, false);
            TestCollections.create(gateway, "dst", 4, false);
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 600; i++) {
                String updatedAt = i == 3 ? "2026-11-25T03:00:00Z" : i % 3 == 0 ? "2026-11-25T04:0" + (i % 10)
                        + ":00+00:00" : i % 3 == 1 ? "2026-11-24T23:59:59Z" : "not a date";
                points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                        .setVectors(io.qdrant.client.VectorsFactory.vectors(i, 1, 2, 3))
                        .putPayload("updated_at", Value.newBuilder().setStringValue(updatedAt).build()).build());
            }
            gateway.upsert("src", points);

            // when
            long copied = UpdatedSince.copy(gateway, "src", "dst", "updated_at",
                    Instant.parse("2026-11-25T03:00:00Z"), 64);

            // then
            assertThat(copied).isEqualTo(200);
            List<RetrievedPoint> target = gateway.scroll("dst", null, 1000, false, true).points();
            assertThat(target).hasSize(200).allMatch(p -> p.getId().getNum() % 3 == 0);
        }
    }
}
