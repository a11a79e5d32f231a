package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qdrant.client.grpc.Points.ClearPayloadPoints;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.DeletePayloadPoints;
import io.qdrant.client.grpc.Points.DeletePointVectors;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;

/**
 * Qdrant's REST points API over the stand-in's {@link PointsService}: each endpoint's JSON becomes the protobuf request
 * of the matching RPC, its answer Qdrant's REST {@code result}.
 */
final class RestPointsApi {

    private final PointsService points;

    RestPointsApi(PointsService points) {
        this.points = points;
    }

    /** PUT /collections/{c}/points. */
    JsonNode upsert(String collection, JsonNode body, boolean wait) {
        UpsertPoints.Builder request = UpsertPoints.newBuilder().setCollectionName(collection).setWait(wait)
                .addAllPoints(RestPoints.upserted(body));
        if (body.path("update_filter").isObject()) {
            request.setUpdateFilter(RestFilters.filter(body.path("update_filter")));
        }
        return updated(RestCall.unary(points::upsert, request.build()));
    }

    /** POST /collections/{c}/points/delete. */
    JsonNode delete(String collection, JsonNode body, boolean wait) {
        return updated(RestCall.unary(points::delete, DeletePoints.newBuilder().setCollectionName(collection)
                .setWait(wait).setPoints(RestPoints.selector(body)).build()));
    }

    /** POST (set) or PUT (overwrite) /collections/{c}/points/payload. */
    JsonNode setPayload(String collection, JsonNode body, boolean wait, boolean overwrite) {
        SetPayloadPoints.Builder request = SetPayloadPoints.newBuilder().setCollectionName(collection).setWait(wait)
                .putAllPayload(RestValues.payload(body.path("payload"))).setPointsSelector(RestPoints.selector(body));
        if (body.hasNonNull("key")) {
            request.setKey(body.path("key").asText());
        }
        return updated(overwrite ? RestCall.unary(points::overwritePayload, request.build())
                : RestCall.unary(points::setPayload, request.build()));
    }

    /** POST /collections/{c}/points/payload/delete. */
    JsonNode deletePayload(String collection, JsonNode body, boolean wait) {
        DeletePayloadPoints.Builder request = DeletePayloadPoints.newBuilder().setCollectionName(collection)
                .setWait(wait).setPointsSelector(RestPoints.selector(body));
        body.path("keys").forEach(k -> request.addKeys(k.asText()));
        return updated(RestCall.unary(points::deletePayload, request.build()));
    }

    /** POST /collections/{c}/points/payload/clear. */
    JsonNode clearPayload(String collection, JsonNode body, boolean wait) {
        return updated(RestCall.unary(points::clearPayload, ClearPayloadPoints.newBuilder()
                .setCollectionName(collection).setWait(wait).setPoints(RestPoints.selector(body)).build()));
    }

    /** PUT /collections/{c}/points/vectors. */
    JsonNode updateVectors(String collection, JsonNode body, boolean wait) {
        UpdatePointVectors.Builder request = UpdatePointVectors.newBuilder().setCollectionName(collection)
                .setWait(wait).addAllPoints(RestPoints.pointVectors(body.path("points")));
        if (body.path("update_filter").isObject()) {
            request.setUpdateFilter(RestFilters.filter(body.path("update_filter")));
        }
        return updated(RestCall.unary(points::updateVectors, request.build()));
    }

    /** POST /collections/{c}/points/vectors/delete. */
    JsonNode deleteVectors(String collection, JsonNode body, boolean wait) {
        return updated(RestCall.unary(points::deleteVectors, DeletePointVectors.newBuilder()
                .setCollectionName(collection).setWait(wait).setPointsSelector(RestPoints.selector(body))
                .setVectors(RestPoints.vectorNames(body.path("vector"))).build()));
    }

    /** POST /collections/{c}/points/batch: one result per operation. */
    JsonNode batch(String collection, JsonNode body, boolean wait) {
        UpdateBatchPoints.Builder request = UpdateBatchPoints.newBuilder().setCollectionName(collection)
                .setWait(wait);
        body.path("operations").forEach(op -> request.addOperations(RestBatchOperations.of(op)));
        ArrayNode results = RestValues.NODES.arrayNode();
        RestCall.unary(points::updateBatch, request.build()).getResultList().forEach(r -> results.add(result(r)));
        return results;
    }

    /** POST /collections/{c}/points: points by id. */
    JsonNode get(String collection, JsonNode body) {
        WithPayloadSelector payload = RestPoints.withPayload(body.path("with_payload"), true);
        GetPoints.Builder request = GetPoints.newBuilder().setCollectionName(collection).setWithPayload(payload)
                .setWithVectors(RestPoints.withVectors(body));
        body.path("ids").forEach(id -> request.addIds(RestValues.id(id)));
        ArrayNode out = RestValues.NODES.arrayNode();
        RestCall.unary(points::get, request.build()).getResultList()
                .forEach(p -> out.add(RestPoints.json(p, asks(payload))));
        return out;
    }

    /** POST /collections/{c}/points/scroll. */
    JsonNode scroll(String collection, JsonNode body) {
        WithPayloadSelector payload = RestPoints.withPayload(body.path("with_payload"), true);
        ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(collection)
                .setWithPayload(payload).setWithVectors(RestPoints.withVectors(body));
        if (body.hasNonNull("limit")) {
            request.setLimit(body.path("limit").asInt());
        }
        if (body.hasNonNull("offset")) {
            request.setOffset(RestValues.id(body.path("offset")));
        }
        if (body.path("filter").isObject()) {
            request.setFilter(RestFilters.filter(body.path("filter")));
        }
        if (body.hasNonNull("order_by")) {
            throw StandInErrors.unsupported("scroll order_by");
        }
        var response = RestCall.unary(points::scroll, request.build());
        ObjectNode out = RestValues.NODES.objectNode();
        ArrayNode list = out.putArray("points");
        response.getResultList().forEach(p -> list.add(RestPoints.json(p, asks(payload))));
        out.set("next_page_offset", response.hasNextPageOffset() ? RestValues.id(response.getNextPageOffset())
                : RestValues.NODES.nullNode());
        return out;
    }

    /** POST /collections/{c}/points/count. */
    JsonNode count(String collection, JsonNode body) {
        CountPoints.Builder request = CountPoints.newBuilder().setCollectionName(collection)
                .setExact(body.path("exact").asBoolean(true));
        if (body.path("filter").isObject()) {
            request.setFilter(RestFilters.filter(body.path("filter")));
        }
        return RestValues.NODES.objectNode().put("count",
                RestCall.unary(points::count, request.build()).getResult().getCount());
    }

    /** POST /collections/{c}/points/query: nearest to a vector or to a point id. */
    JsonNode query(String collection, JsonNode body) {
        WithPayloadSelector payload = RestPoints.withPayload(body.path("with_payload"), false);
        QueryPoints.Builder request = QueryPoints.newBuilder().setCollectionName(collection)
                .setWithPayload(payload).setWithVectors(RestPoints.withVectors(body));
        JsonNode query = body.path("query");
        if (query.has("nearest")) {
            query = query.path("nearest");
        }
        VectorInput.Builder input = VectorInput.newBuilder();
        if (query.isArray()) {
            input.setDense(RestPoints.vector(query).getDense());
        } else if (query.isObject() && query.has("indices")) {
            input.setSparse(RestPoints.vector(query).getSparse());
        } else if (query.isIntegralNumber() || query.isTextual()) {
            input.setId(RestValues.id(query));
        } else {
            throw StandInErrors.unsupported("query variants other than `nearest`");
        }
        request.setQuery(Query.newBuilder().setNearest(input));
        if (body.hasNonNull("using")) {
            request.setUsing(body.path("using").asText());
        }
        if (body.path("filter").isObject()) {
            request.setFilter(RestFilters.filter(body.path("filter")));
        }
        request.setLimit(body.path("limit").asLong(10)).setOffset(body.path("offset").asLong(0));
        if (body.hasNonNull("score_threshold")) {
            request.setScoreThreshold((float) body.path("score_threshold").asDouble());
        }
        ObjectNode out = RestValues.NODES.objectNode();
        ArrayNode list = out.putArray("points");
        RestCall.unary(points::query, request.build()).getResultList()
                .forEach(p -> list.add(RestPoints.json(p, asks(payload))));
        return out;
    }

    /** POST /collections/{c}/points/search: {@code vector} unnamed, or {@code {name, vector}}. */
    JsonNode search(String collection, JsonNode body) {
        WithPayloadSelector payload = RestPoints.withPayload(body.path("with_payload"), false);
        JsonNode vector = body.path("vector");
        SearchPoints.Builder request = SearchPoints.newBuilder().setCollectionName(collection)
                .setWithPayload(payload).setWithVectors(RestPoints.withVectors(body))
                .setLimit(body.path("limit").asLong(10)).setOffset(body.path("offset").asLong(0));
        if (vector.isObject()) {
            request.setVectorName(vector.path("name").asText());
            vector = vector.path("vector");
        }
        PointCodec.floats(RestPoints.vector(vector).getDense()).forEach(request::addVector);
        if (body.path("filter").isObject()) {
            request.setFilter(RestFilters.filter(body.path("filter")));
        }
        if (body.hasNonNull("score_threshold")) {
            request.setScoreThreshold((float) body.path("score_threshold").asDouble());
        }
        ArrayNode out = RestValues.NODES.arrayNode();
        RestCall.unary(points::search, request.build()).getResultList()
                .forEach(p -> out.add(RestPoints.json(p, asks(payload))));
        return out;
    }

    private static boolean asks(WithPayloadSelector payload) {
        return !payload.hasEnable() || payload.getEnable();
    }

    private static JsonNode updated(PointsOperationResponse response) {
        return result(response.getResult());
    }

    private static JsonNode result(UpdateResult result) {
        return RestValues.NODES.objectNode().put("operation_id", result.getOperationId())
                .put("status", result.getStatus().name().toLowerCase(java.util.Locale.ROOT));
    }
}
