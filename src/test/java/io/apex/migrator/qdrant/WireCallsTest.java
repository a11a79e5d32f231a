package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCallsTest {

    @Test
    void aScrollAnswerIsSlicedIntoItsPointsWithIdsAndTheNextOffset() {
        // given
        Points.RetrievedPoint one = point(PointId.newBuilder().setNum(5).build(), 0.6f);
        Points.RetrievedPoint two = point(PointId.newBuilder().setUuid("00000000-0000-0000-0000-00000000000a").build(), 0.8f);
        Points.ScrollResponse answer = Points.ScrollResponse.newBuilder().addResult(one).addResult(two)
                .setNextPageOffset(PointId.newBuilder().setNum(99)).setTime(0.002).build();

        // when
        WireScrollPage page = WireCalls.SCROLL.parseResponse(new ByteArrayInputStream(answer.toByteArray()));

        // then
        assertThat(page.points()).extracting(WirePoint::id).containsExactly(one.getId(), two.getId());
        assertThat(page.points()).extracting(WirePoint::decode).containsExactly(one, two);
        assertThat(page.nextOffset()).contains(PointId.newBuilder().setNum(99).build());
        assertThat(page.isLast()).isFalse();
    }

    @Test
    void theLastPageHasNoNextOffset() {
        // when
        WireScrollPage page = WireCalls.SCROLL.parseResponse(new ByteArrayInputStream(
                Points.ScrollResponse.newBuilder().setTime(0.001).build().toByteArray()));

        // then
        assertThat(page.points()).isEmpty();
        assertThat(page.isLast()).isTrue();
    }

    @Test
    void anUpsertRequestIsTheUpsertPointsQdrantExpects() throws Exception {
        // given
        Points.RetrievedPoint read = point(PointId.newBuilder().setNum(7).build(), 0.6f);
        byte[] bytes = read.toByteArray();
        PointTranscoder.Encoded encoded = PointTranscoder.toPointStruct(new WirePoint(read.getId(), bytes, 0, bytes.length));

        // when
        var stream = WireCalls.UPSERT.streamRequest(new WireCalls.Upsert("docs_v2", List.of(encoded, encoded), false));

        // then
        Points.UpsertPoints request = Points.UpsertPoints.parseFrom(stream);
        assertThat(request.getCollectionName()).isEqualTo("docs_v2");
        assertThat(request.getWait()).isTrue();
        assertThat(request.hasUpdateMode()).as("a plain upsert names no update mode").isFalse();
        assertThat(request.getPointsList()).hasSize(2).allSatisfy(p -> {
            assertThat(p.getId().getNum()).isEqualTo(7);
            assertThat(p.getPayloadMap()).isEqualTo(read.getPayloadMap());
            assertThat(p.getVectors().getVector().getDense()).isEqualTo(read.getVectors().getVector().getDense());
        });
    }

    @Test
    void anInsertOnlyUpsertCarriesQdrantsInsertOnlyUpdateMode() throws Exception {
        // given: the backfill's page
        Points.RetrievedPoint read = point(PointId.newBuilder().setNum(9).build(), 0.3f);
        byte[] bytes = read.toByteArray();
        PointTranscoder.Encoded encoded = PointTranscoder.toPointStruct(new WirePoint(read.getId(), bytes, 0, bytes.length));
        WireCalls.Upsert upsert = new WireCalls.Upsert("docs_v2", List.of(encoded), true);

        // when
        byte[] sent = WireCalls.UPSERT.streamRequest(upsert).readAllBytes();

        // then: the size announced matches and Qdrant reads update_mode InsertOnly
        Points.UpsertPoints request = Points.UpsertPoints.parseFrom(sent);
        assertThat(sent).hasSize(Math.toIntExact(WireCalls.Upsert.size("docs_v2", List.of(encoded), true)));
        assertThat(request.getUpdateMode()).isEqualTo(Points.UpdateMode.InsertOnly);
        assertThat(request.getPoints(0).getId().getNum()).isEqualTo(9);
    }

    private static Points.RetrievedPoint point(PointId id, float x) {
        return Points.RetrievedPoint.newBuilder().setId(id)
                .putPayload("title", Value.newBuilder().setStringValue("t").build())
                .setVectors(Points.VectorsOutput.newBuilder().setVector(Points.VectorOutput.newBuilder()
                        .setDense(Points.DenseVector.newBuilder().addData(x).addData(0.1f)))).build();
    }
}
