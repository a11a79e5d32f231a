package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.UpdateMode;

/**
 * The write one operation of an UpdateBatch request names, as the stand-alone RPC of that kind would do it. Qdrant
 * runs a batch's operations one after the other, each as its own update with its own operation id
 * (src/tonic/api/update_common.rs update_batch): the first that fails ends the batch with its error, those before it
 * stay applied and those after it are not run. The deprecated {@code delete_deprecated} and
 * {@code clear_payload_deprecated} are the delete and clear payload they were renamed to.
 */
final class BatchUpdates {

    private final PointWrites points;
    private final VectorUpdates vectors;

    BatchUpdates(PointWrites points, VectorUpdates vectors) {
        this.points = points;
        this.vectors = vectors;
    }

    @SuppressWarnings("deprecation")
    Runnable write(StoredCollection collection, PointsUpdateOperation operation) {
        return switch (operation.getOperationCase()) {
            case UPSERT -> {
                var upsert = operation.getUpsert();
                yield () -> points.upsert(collection, upsert.getPointsList(),
                        upsert.hasUpdateFilter() ? upsert.getUpdateFilter() : null,
                        upsert.hasUpdateMode() ? upsert.getUpdateMode() : UpdateMode.Upsert);
            }
            case DELETE_DEPRECATED -> () -> points.delete(collection, operation.getDeleteDeprecated());
            case DELETE_POINTS -> () -> points.delete(collection, operation.getDeletePoints().getPoints());
            case SET_PAYLOAD -> {
                var set = operation.getSetPayload();
                yield () -> points.setPayload(collection, set.getPointsSelector(), set.getPayloadMap(), set.hasKey());
            }
            case OVERWRITE_PAYLOAD -> {
                var overwrite = operation.getOverwritePayload();
                yield () -> points.overwritePayload(collection, overwrite.getPointsSelector(),
                        overwrite.getPayloadMap());
            }
            case DELETE_PAYLOAD -> {
                var delete = operation.getDeletePayload();
                yield () -> points.deletePayload(collection, delete.getPointsSelector(), delete.getKeysList());
            }
            case CLEAR_PAYLOAD -> () -> points.clearPayload(collection, operation.getClearPayload().getPoints());
            case CLEAR_PAYLOAD_DEPRECATED -> () -> points.clearPayload(collection,
                    operation.getClearPayloadDeprecated());
            case UPDATE_VECTORS -> {
                var update = operation.getUpdateVectors();
                yield () -> vectors.update(collection, update.getPointsList(),
                        update.hasUpdateFilter() ? update.getUpdateFilter() : null);
            }
            case DELETE_VECTORS -> {
                var delete = operation.getDeleteVectors();
                yield () -> vectors.delete(collection, delete.getPointsSelector(), delete.getVectors(),
                        delete.hasVectors());
            }
            case OPERATION_NOT_SET -> throw StandInErrors.invalid("Operation is missing");
        };
    }
}
