package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.ClearPayload;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.DeletePayload;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.DeleteVectors;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.OverwritePayload;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.PointStructList;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.SetPayload;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.UpdateVectors;

/** One operation of a REST batch update ({@code {"upsert": {...}}}, {@code {"delete": {...}}}, ...) as protobuf. */
final class RestBatchOperations {

    private RestBatchOperations() {
    }

    static PointsUpdateOperation of(JsonNode operation) {
        var fields = operation.fields();
        if (!operation.isObject() || operation.size() != 1) {
            throw StandInErrors.invalid("Format error in JSON body: data did not match any variant of untagged enum "
                    + "UpdateOperation");
        }
        var entry = fields.next();
        JsonNode body = entry.getValue();
        PointsUpdateOperation.Builder op = PointsUpdateOperation.newBuilder();
        switch (entry.getKey()) {
            case "upsert" -> op.setUpsert(PointStructList.newBuilder().addAllPoints(RestPoints.upserted(body)));
            case "delete" -> op.setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder()
                    .setPoints(RestPoints.selector(body)));
            case "set_payload" -> {
                SetPayload.Builder set = SetPayload.newBuilder().putAllPayload(RestValues.payload(body.path("payload")))
                        .setPointsSelector(RestPoints.selector(body));
                if (body.hasNonNull("key")) {
                    set.setKey(body.path("key").asText());
                }
                op.setSetPayload(set);
            }
            case "overwrite_payload" -> op.setOverwritePayload(OverwritePayload.newBuilder()
                    .putAllPayload(RestValues.payload(body.path("payload"))).setPointsSelector(RestPoints.selector(body)));
            case "delete_payload" -> {
                DeletePayload.Builder delete = DeletePayload.newBuilder().setPointsSelector(RestPoints.selector(body));
                body.path("keys").forEach(k -> delete.addKeys(k.asText()));
                op.setDeletePayload(delete);
            }
            case "clear_payload" -> op.setClearPayload(ClearPayload.newBuilder().setPoints(RestPoints.selector(body)));
            case "update_vectors" -> op.setUpdateVectors(UpdateVectors.newBuilder()
                    .addAllPoints(RestPoints.pointVectors(body.path("points"))));
            case "delete_vectors" -> op.setDeleteVectors(DeleteVectors.newBuilder()
                    .setPointsSelector(RestPoints.selector(body)).setVectors(RestPoints.vectorNames(body.path("vector"))));
            default -> throw StandInErrors.invalid("Format error in JSON body: unknown variant `" + entry.getKey()
                    + "` of UpdateOperation");
        }
        return op.build();
    }
}
