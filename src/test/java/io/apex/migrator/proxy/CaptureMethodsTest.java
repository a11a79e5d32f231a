package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.PointsGrpc;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CaptureMethodsTest {

    private static final String SET_PAYLOAD = PointsGrpc.getSetPayloadMethod().getFullMethodName();

    @Test
    void onlyThePointsServicesWriteMethodsAreCaptured() {
        assertThat(CaptureMethods.isWrite("qdrant.Points/Upsert")).isTrue();
        assertThat(CaptureMethods.isWrite("qdrant.Points/UpdateBatch")).isTrue();
        assertThat(CaptureMethods.isWrite("qdrant.Points/DeleteVectors")).isTrue();
        assertThat(CaptureMethods.isWrite("qdrant.Points/Scroll")).isFalse();
        assertThat(CaptureMethods.isWrite("qdrant.Collections/Delete")).isFalse();
    }

    @Test
    void theCollectionOfAWriteIsReadFromItsBytesAndGarbageHasNone() {
        // given
        byte[] request = setPayload("docs").toByteArray();

        // when / then
        assertThat(CaptureMethods.collection(SET_PAYLOAD, request)).contains("docs");
        assertThat(CaptureMethods.collection(SET_PAYLOAD, new byte[] {(byte) 0xff, 0x01})).isEmpty();
        assertThat(CaptureMethods.collection("qdrant.Points/UpdateBatch",
                UpdateBatchPoints.newBuilder().setCollectionName("b").build().toByteArray())).contains("b");
    }

    @Test
    void aRetargetedWriteNamesTheTargetWaitsAndKeepsEverythingElse() throws Exception {
        // given: a write that does not wait
        SetPayloadPoints original = setPayload("docs");

        // when
        SetPayloadPoints retargeted = SetPayloadPoints.parseFrom(
                CaptureMethods.retarget(SET_PAYLOAD, original.toByteArray(), "docs_v2"));

        // then
        assertThat(retargeted).isEqualTo(original.toBuilder().setCollectionName("docs_v2").setWait(true).build());
    }

    @Test
    void aDeleteByFilterIsRetargetedWithItsFilter() throws Exception {
        DeletePoints original = DeletePoints.newBuilder().setCollectionName("docs").setPoints(PointsSelector
                .newBuilder().setFilter(io.qdrant.client.grpc.Common.Filter.newBuilder()
                        .addMust(io.qdrant.client.ConditionFactory.matchKeyword("k", "v")))).build();

        DeletePoints retargeted = DeletePoints.parseFrom(CaptureMethods.retarget("qdrant.Points/Delete",
                original.toByteArray(), "docs_v2"));

        assertThat(retargeted.getPoints()).isEqualTo(original.getPoints());
        assertThat(retargeted.getCollectionName()).isEqualTo("docs_v2");
        assertThat(retargeted.getWait()).isTrue();
    }

    @Test
    void aCaptureTravelsAsHeadersAndTheOriginalBytes() {
        // given
        byte[] request = setPayload("docs").toByteArray();
        CapturedWrite write = new CapturedWrite(UUID.randomUUID(), "docs_v1", SET_PAYLOAD,
                Instant.parse("2026-11-30T10:00:00.123Z"), request);

        // when
        CapturedWrite read = CapturedWrite.of(write.headers(), request);

        // then
        assertThat(read.runId()).isEqualTo(write.runId());
        assertThat(read.source()).isEqualTo("docs_v1");
        assertThat(read.method()).isEqualTo(SET_PAYLOAD);
        assertThat(read.capturedAt()).isEqualTo(write.capturedAt());
        assertThat(read.request()).isEqualTo(request);
    }

    @Test
    void aRecordWithoutTheCaptureHeadersIsRefusedNamingTheHeader() {
        assertThatThrownBy(() -> CapturedWrite.of(new org.apache.kafka.common.header.internals.RecordHeaders(),
                new byte[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apex-run-id");
    }

    private static SetPayloadPoints setPayload(String collection) {
        return SetPayloadPoints.newBuilder().setCollectionName(collection).setWait(false)
                .putPayload("label", Value.newBuilder().setStringValue("x").build())
                .setPointsSelector(PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder()
                        .addIds(PointId.newBuilder().setNum(7)))).build();
    }
}
