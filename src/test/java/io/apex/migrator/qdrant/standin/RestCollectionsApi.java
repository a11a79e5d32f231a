package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qdrant.client.grpc.Collections.ChangeAliases;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.ListAliasesRequest;
import io.qdrant.client.grpc.Collections.ListAliasesResponse;
import io.qdrant.client.grpc.Collections.ListCollectionAliasesRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;

/**
 * Qdrant's REST collections and aliases API over the stand-in's {@link CollectionsService} (and its field index RPC):
 * the JSON of a create request and of collection info is the protobuf's, field for field ({@link RestProtoJson}),
 * except {@code vectors} / {@code sparse_vectors} and the optimizer status, whose REST shapes differ.
 */
final class RestCollectionsApi {

    private final CollectionsService collections;
    private final PointsService points;

    RestCollectionsApi(CollectionsService collections, PointsService points) {
        this.collections = collections;
        this.points = points;
    }

    /** GET /collections. */
    JsonNode list() {
        ObjectNode out = RestValues.NODES.objectNode();
        var list = out.putArray("collections");
        RestCall.unary(collections::list, ListCollectionsRequest.getDefaultInstance()).getCollectionsList()
                .forEach(c -> list.addObject().put("name", c.getName()));
        return out;
    }

    /** GET /collections/{c}. */
    JsonNode info(String collection) {
        CollectionInfo info = RestCall.unary(collections::get, GetCollectionInfoRequest.newBuilder()
                .setCollectionName(collection).build()).getResult();
        ObjectNode out = RestProtoJson.toJson(info);
        out.set("optimizer_status", info.getOptimizerStatus().getOk() ? RestValues.NODES.textNode("ok")
                : RestValues.NODES.objectNode().put("error", info.getOptimizerStatus().getError()));
        ObjectNode params = (ObjectNode) out.path("config").path("params");
        params.remove("vectors_config");
        params.remove("sparse_vectors_config");
        VectorsConfig vectors = info.getConfig().getParams().getVectorsConfig();
        if (vectors.hasParams()) {
            params.set("vectors", RestProtoJson.toJson(vectors.getParams()));
        } else {
            ObjectNode named = params.putObject("vectors");
            vectors.getParamsMap().getMapMap().forEach((name, p) -> named.set(name, RestProtoJson.toJson(p)));
        }
        if (info.getConfig().getParams().hasSparseVectorsConfig()) {
            ObjectNode sparse = params.putObject("sparse_vectors");
            info.getConfig().getParams().getSparseVectorsConfig().getMapMap()
                    .forEach((name, p) -> sparse.set(name, RestProtoJson.toJson(p)));
        }
        return out;
    }

    /** PUT /collections/{c}. */
    JsonNode create(String collection, JsonNode body) {
        CreateCollection.Builder request = RestProtoJson.merge(body, CreateCollection.newBuilder())
                .setCollectionName(collection);
        JsonNode vectors = body.path("vectors");
        if (vectors.has("size")) {
            request.setVectorsConfig(VectorsConfig.newBuilder().setParams(
                    RestProtoJson.merge(vectors, VectorParams.newBuilder())));
        } else if (vectors.isObject()) {
            VectorParamsMap.Builder map = VectorParamsMap.newBuilder();
            vectors.fields().forEachRemaining(e -> map.putMap(e.getKey(),
                    RestProtoJson.merge(e.getValue(), VectorParams.newBuilder()).build()));
            request.setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(map));
        }
        if (body.path("sparse_vectors").isObject()) {
            SparseVectorConfig.Builder sparse = SparseVectorConfig.newBuilder();
            body.path("sparse_vectors").fields().forEachRemaining(e -> sparse.putMap(e.getKey(),
                    RestProtoJson.merge(e.getValue(), SparseVectorParams.newBuilder()).build()));
            request.setSparseVectorsConfig(sparse);
        }
        return bool(RestCall.unary(collections::create, request.build()).getResult());
    }

    /** DELETE /collections/{c}. */
    JsonNode delete(String collection) {
        return bool(RestCall.unary(collections::delete, DeleteCollection.newBuilder().setCollectionName(collection)
                .build()).getResult());
    }

    /** GET /collections/{c}/exists. */
    JsonNode exists(String collection) {
        return RestValues.NODES.objectNode().put("exists", RestCall.unary(collections::collectionExists,
                CollectionExistsRequest.newBuilder().setCollectionName(collection).build()).getResult().getExists());
    }

    /** GET /collections/aliases, or GET /collections/{c}/aliases when {@code collection} is given. */
    JsonNode aliases(String collection) {
        ListAliasesResponse response = collection == null
                ? RestCall.unary(collections::listAliases, ListAliasesRequest.getDefaultInstance())
                : RestCall.unary(collections::listCollectionAliases, ListCollectionAliasesRequest.newBuilder()
                        .setCollectionName(collection).build());
        ObjectNode out = RestValues.NODES.objectNode();
        var list = out.putArray("aliases");
        response.getAliasesList().forEach(a -> list.addObject().put("alias_name", a.getAliasName())
                .put("collection_name", a.getCollectionName()));
        return out;
    }

    /** POST /collections/aliases: {@code actions} applied atomically. */
    JsonNode updateAliases(JsonNode body) {
        return bool(RestCall.unary(collections::updateAliases,
                RestProtoJson.merge(body, ChangeAliases.newBuilder()).build()).getResult());
    }

    /** PUT /collections/{c}/index: {@code field_name}, {@code field_schema} (a type name or {@code {type}}). */
    JsonNode createIndex(String collection, JsonNode body, boolean wait) {
        JsonNode schema = body.path("field_schema");
        String type = schema.isObject() ? schema.path("type").asText() : schema.asText();
        FieldType fieldType = switch (type) {
            case "keyword" -> FieldType.FieldTypeKeyword;
            case "integer" -> FieldType.FieldTypeInteger;
            case "float" -> FieldType.FieldTypeFloat;
            case "geo" -> FieldType.FieldTypeGeo;
            case "text" -> FieldType.FieldTypeText;
            case "bool" -> FieldType.FieldTypeBool;
            case "datetime" -> FieldType.FieldTypeDatetime;
            case "uuid" -> FieldType.FieldTypeUuid;
            default -> throw StandInErrors.invalid("Format error in JSON body: unknown field_schema `" + type + "`");
        };
        var result = RestCall.unary(points::createFieldIndex, CreateFieldIndexCollection.newBuilder()
                .setCollectionName(collection).setWait(wait).setFieldName(body.path("field_name").asText())
                .setFieldType(fieldType).build()).getResult();
        return RestValues.NODES.objectNode().put("operation_id", result.getOperationId())
                .put("status", result.getStatus().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static JsonNode bool(boolean value) {
        return RestValues.NODES.booleanNode(value);
    }
}
