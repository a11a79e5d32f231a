package io.apex.migrator.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.apex.migrator.api.PointKey;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@link CaptureEffect} of a captured gRPC write (a Points service request as the client sent it). */
final class GrpcCaptureEffects {

    private static final String BATCH = PointsGrpc.getUpdateBatchMethod().getFullMethodName();

    private GrpcCaptureEffects() {
    }

    /** @throws IllegalArgumentException when the bytes are no valid request of that method */
    static CaptureEffect of(String method, byte[] request) {
        try {
            return parse(method, request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid " + method + " request: " + e.getMessage(), e);
        }
    }

    private static CaptureEffect parse(String method, byte[] request) throws InvalidProtocolBufferException {
        Set<PointKey> ids = new LinkedHashSet<>();
        if (method.equals(CaptureMethods.RESYNC)) {
            Points.PointsIdsList.parseFrom(request).getIdsList().forEach(id -> ids.add(PointKey.of(id)));
            return new CaptureEffect(ids, Optional.empty());
        }
        if (method.equals(BATCH)) {
            return batch(Points.UpdateBatchPoints.parseFrom(request), method);
        }
        boolean byFilter = switch (method.substring(method.indexOf('/') + 1)) {
            case "Upsert" -> addPoints(ids, Points.UpsertPoints.parseFrom(request).getPointsList());
            case "UpdateVectors" -> addVectors(ids, Points.UpdatePointVectors.parseFrom(request).getPointsList());
            case "Delete" -> select(ids, Points.DeletePoints.parseFrom(request).getPoints());
            case "SetPayload", "OverwritePayload" -> select(ids, Points.SetPayloadPoints.parseFrom(request)
                    .getPointsSelector());
            case "DeletePayload" -> select(ids, Points.DeletePayloadPoints.parseFrom(request).getPointsSelector());
            case "ClearPayload" -> select(ids, Points.ClearPayloadPoints.parseFrom(request).getPoints());
            case "DeleteVectors" -> select(ids, Points.DeletePointVectors.parseFrom(request).getPointsSelector());
            default -> throw new IllegalArgumentException(method + " is not a captured write");
        };
        return new CaptureEffect(ids, byFilter ? Optional.of(replay(method, request)) : Optional.empty());
    }

    /** The id-based operations are re-synced by id; the ones by filter are replayed as a batch of their own. */
    private static CaptureEffect batch(Points.UpdateBatchPoints batch, String method) {
        Set<PointKey> ids = new LinkedHashSet<>();
        List<PointsUpdateOperation> byFilter = new ArrayList<>();
        for (PointsUpdateOperation op : batch.getOperationsList()) {
            boolean filter = switch (op.getOperationCase()) {
                case UPSERT -> addPoints(ids, op.getUpsert().getPointsList());
                case UPDATE_VECTORS -> addVectors(ids, op.getUpdateVectors().getPointsList());
                case DELETE_DEPRECATED -> select(ids, op.getDeleteDeprecated());
                case CLEAR_PAYLOAD_DEPRECATED -> select(ids, op.getClearPayloadDeprecated());
                case SET_PAYLOAD -> select(ids, op.getSetPayload().getPointsSelector());
                case OVERWRITE_PAYLOAD -> select(ids, op.getOverwritePayload().getPointsSelector());
                case DELETE_PAYLOAD -> select(ids, op.getDeletePayload().getPointsSelector());
                case DELETE_VECTORS -> select(ids, op.getDeleteVectors().getPointsSelector());
                case DELETE_POINTS -> select(ids, op.getDeletePoints().getPoints());
                case CLEAR_PAYLOAD -> select(ids, op.getClearPayload().getPoints());
                case OPERATION_NOT_SET -> false;
            };
            if (filter) {
                byFilter.add(op);
            }
        }
        if (byFilter.isEmpty()) {
            return new CaptureEffect(ids, Optional.empty());
        }
        byte[] filterOnly = batch.toBuilder().clearOperations().addAllOperations(byFilter).build().toByteArray();
        return new CaptureEffect(ids, Optional.of(replay(method, filterOnly)));
    }

    private static CaptureEffect.FilterReplay replay(String method, byte[] request) {
        return (gateway, rest, target) -> gateway.callEncoded(target, method,
                CaptureMethods.retarget(method, request, target));
    }

    private static boolean addPoints(Set<PointKey> ids, List<Points.PointStruct> points) {
        points.forEach(p -> ids.add(PointKey.of(p.getId())));
        return false;
    }

    private static boolean addVectors(Set<PointKey> ids, List<Points.PointVectors> points) {
        points.forEach(p -> ids.add(PointKey.of(p.getId())));
        return false;
    }

    /** Adds a selector's ids; true when it selects by filter. */
    private static boolean select(Set<PointKey> ids, PointsSelector selector) {
        if (selector.hasFilter()) {
            return true;
        }
        for (PointId id : selector.getPoints().getIdsList()) {
            ids.add(PointKey.of(id));
        }
        return false;
    }
}
