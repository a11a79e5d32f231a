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
                        upsert.hasUpdateMode() ? upsert.getUpdateMode() : UpdateMode.Upsert,
                        ShardScope.forWrite(collection, upsert.hasShardKeySelector(), upsert.getShardKeySelector()));
            }
            case DELETE_DEPRECATED -> () -> points.delete(collection, operation.getDeleteDeprecated(),
                    ShardScope.forWrite(collection, false, null));
            case DELETE_POINTS -> {
                var delete = operation.getDeletePoints();
                yield () -> points.delete(collection, delete.getPoints(),
                        ShardScope.forWrite(collection, delete.hasShardKeySelector(), delete.getShardKeySelector()));
            }
            case SET_PAYLOAD -> {
                var set = operation.getSetPayload();
                yield () -> points.setPayload(collection, set.getPointsSelector(), set.getPayloadMap(), set.hasKey(),
                        ShardScope.forWrite(collection, set.hasShardKeySelector(), set.getShardKeySelector()));
            }
            case OVERWRITE_PAYLOAD -> {
                var overwrite = operation.getOverwritePayload();
                yield () -> points.overwritePayload(collection, overwrite.getPointsSelector(),
                        overwrite.getPayloadMap(), ShardScope.forWrite(collection, overwrite.hasShardKeySelector(),
                                overwrite.getShardKeySelector()));
            }
            case DELETE_PAYLOAD -> {
                var delete = operation.getDeletePayload();
                yield () -> points.deletePayload(collection, delete.getPointsSelector(), delete.getKeysList(),
                        ShardScope.forWrite(collection, delete.hasShardKeySelector(), delete.getShardKeySelector()));
            }
            case CLEAR_PAYLOAD -> {
                var clear = operation.getClearPayload();
                yield () -> points.clearPayload(collection, clear.getPoints(),
                        ShardScope.forWrite(collection, clear.hasShardKeySelector(), clear.getShardKeySelector()));
            }
            case CLEAR_PAYLOAD_DEPRECATED -> () -> points.clearPayload(collection,
                    operation.getClearPayloadDeprecated(), ShardScope.forWrite(collection, false, null));
            case UPDATE_VECTORS -> {
                var update = operation.getUpdateVectors();
                yield () -> vectors.update(collection, update.getPointsList(),
                        update.hasUpdateFilter() ? update.getUpdateFilter() : null,
                        ShardScope.forWrite(collection, update.hasShardKeySelector(), update.getShardKeySelector()));
            }
            case DELETE_VECTORS -> {
                var delete = operation.getDeleteVectors();
                yield () -> vectors.delete(collection, delete.getPointsSelector(), delete.getVectors(),
                        delete.hasVectors(), ShardScope.forWrite(collection, delete.hasShardKeySelector(),
                                delete.getShardKeySelector()));
            }
            case OPERATION_NOT_SET -> throw StandInErrors.invalid("Operation is missing");
        };
    }
}
