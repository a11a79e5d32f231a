package io.apex.migrator.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.ScrollPage;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@link CaptureEffect} of a captured gRPC write (a Points service request as the client sent it). */
final class GrpcCaptureEffects {

    private static final String BATCH = PointsGrpc.getUpdateBatchMethod().getFullMethodName();
    private static final int SCROLL_PAGE = 1000;

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
            return new CaptureEffect(ids, List.of());
        }
        List<Filter> filters = new ArrayList<>();
        if (method.equals(BATCH)) {
            for (PointsUpdateOperation op : Points.UpdateBatchPoints.parseFrom(request).getOperationsList()) {
                operation(op, ids, filters);
            }
            return effect(ids, filters);
        }
        switch (method.substring(method.indexOf('/') + 1)) {
            case "Upsert" -> addPoints(ids, Points.UpsertPoints.parseFrom(request).getPointsList());
            case "UpdateVectors" -> addVectors(ids, Points.UpdatePointVectors.parseFrom(request).getPointsList());
            case "Delete" -> select(Points.DeletePoints.parseFrom(request).getPoints(), ids, filters);
            case "SetPayload", "OverwritePayload" -> select(Points.SetPayloadPoints.parseFrom(request)
                    .getPointsSelector(), ids, filters);
            case "DeletePayload" -> select(Points.DeletePayloadPoints.parseFrom(request).getPointsSelector(), ids,
                    filters);
            case "ClearPayload" -> select(Points.ClearPayloadPoints.parseFrom(request).getPoints(), ids, filters);
            case "DeleteVectors" -> select(Points.DeletePointVectors.parseFrom(request).getPointsSelector(), ids,
                    filters);
            default -> throw new IllegalArgumentException(method + " is not a captured write");
        }
        return effect(ids, filters);
    }

    private static void operation(PointsUpdateOperation op, Set<PointKey> ids, List<Filter> filters) {
        switch (op.getOperationCase()) {
            case UPSERT -> addPoints(ids, op.getUpsert().getPointsList());
            case UPDATE_VECTORS -> addVectors(ids, op.getUpdateVectors().getPointsList());
            case DELETE_DEPRECATED -> select(op.getDeleteDeprecated(), ids, filters);
            case CLEAR_PAYLOAD_DEPRECATED -> select(op.getClearPayloadDeprecated(), ids, filters);
            case SET_PAYLOAD -> select(op.getSetPayload().getPointsSelector(), ids, filters);
            case OVERWRITE_PAYLOAD -> select(op.getOverwritePayload().getPointsSelector(), ids, filters);
            case DELETE_PAYLOAD -> select(op.getDeletePayload().getPointsSelector(), ids, filters);
            case DELETE_VECTORS -> select(op.getDeleteVectors().getPointsSelector(), ids, filters);
            case DELETE_POINTS -> select(op.getDeletePoints().getPoints(), ids, filters);
            case CLEAR_PAYLOAD -> select(op.getClearPayload().getPoints(), ids, filters);
            case OPERATION_NOT_SET -> { }
        }
    }

    private static CaptureEffect effect(Set<PointKey> ids, List<Filter> filters) {
        return new CaptureEffect(ids, filters.stream().map(Selection::new).map(CaptureEffect.FilterSelection.class::cast)
                .toList());
    }

    /** The ids a gRPC filter matches in a collection, read with a scroll of ids only. */
    record Selection(Filter filter) implements CaptureEffect.FilterSelection {

        /** One selection matching what any of these match (a filter whose conditions are the filters, any of them). */
        static Selection anyOf(List<Selection> all) {
            // many writers repeat a filter ("forget what this user said"): each distinct one is evaluated once
            List<Selection> selections = List.copyOf(new LinkedHashSet<>(all));
            if (selections.size() == 1) {
                return selections.get(0);
            }
            Filter.Builder any = Filter.newBuilder();
            selections.forEach(s -> any.addShould(io.qdrant.client.grpc.Common.Condition.newBuilder()
                    .setFilter(s.filter())));
            return new Selection(any.build());
        }

        @Override
        public Set<PointKey> matching(io.apex.migrator.qdrant.QdrantGateway gateway,
                io.apex.migrator.qdrant.QdrantRestClient rest, String collection) {
            Set<PointKey> matching = new LinkedHashSet<>();
            PointId offset = null;
            do {
                ScrollPage page = gateway.scroll(collection, offset, SCROLL_PAGE, false, false, filter);
                page.points().forEach(p -> matching.add(PointKey.of(p.getId())));
                offset = page.nextOffset().orElse(null);
            } while (offset != null);
            return matching;
        }
    }

    private static void addPoints(Set<PointKey> ids, List<Points.PointStruct> points) {
        points.forEach(p -> ids.add(PointKey.of(p.getId())));
    }

    private static void addVectors(Set<PointKey> ids, List<Points.PointVectors> points) {
        points.forEach(p -> ids.add(PointKey.of(p.getId())));
    }

    private static void select(PointsSelector selector, Set<PointKey> ids, List<Filter> filters) {
        if (selector.hasFilter()) {
            filters.add(selector.getFilter());
            return;
        }
        for (PointId id : selector.getPoints().getIdsList()) {
            ids.add(PointKey.of(id));
        }
    }
}
