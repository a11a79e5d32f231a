package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.PayloadExcludeSelector;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.VectorsSelector;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Points in Qdrant's REST JSON shapes and their protobuf twins: point structs ({@code id}, {@code vector} unnamed or
 * named, dense or sparse, {@code payload}), the {@code batch} form of an upsert, points selectors ({@code points} or
 * {@code filter}), {@code with_payload} / {@code with_vector}, and records and scored points as Qdrant answers them.
 */
final class RestPoints {

    private RestPoints() {
    }

    /** An upsert's points: {@code points: [...]} or {@code batch: {ids, vectors, payloads}}. */
    static List<PointStruct> upserted(JsonNode body) {
        if (body.has("batch")) {
            return batch(body.path("batch"));
        }
        if (!body.path("points").isArray()) {
            throw StandInErrors.invalid("Format error in JSON body: data did not match any variant of "
                    + "untagged enum PointInsertOperations");
        }
        List<PointStruct> points = new ArrayList<>();
        body.path("points").forEach(p -> points.add(point(p)));
        return points;
    }

    static PointStruct point(JsonNode p) {
        PointStruct.Builder point = PointStruct.newBuilder().setId(RestValues.id(p.path("id")));
        JsonNode vector = p.has("vector") ? p.path("vector") : p.path("vectors");
        if (!vector.isMissingNode() && !vector.isNull()) {
            point.setVectors(vectors(vector));
        }
        if (p.path("payload").isObject()) {
            point.putAllPayload(RestValues.payload(p.path("payload")));
        }
        return point.build();
    }

    private static List<PointStruct> batch(JsonNode batch) {
        JsonNode ids = batch.path("ids");
        JsonNode vectors = batch.path("vectors");
        JsonNode payloads = batch.path("payloads");
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            PointStruct.Builder point = PointStruct.newBuilder().setId(RestValues.id(ids.get(i)));
            if (vectors.isArray()) {
                point.setVectors(Vectors.newBuilder().setVector(vector(vectors.get(i))));
            } else if (vectors.isObject()) {
                NamedVectors.Builder named = NamedVectors.newBuilder();
                int index = i;
                vectors.fields().forEachRemaining(e -> named.putVectors(e.getKey(), vector(e.getValue().get(index))));
                point.setVectors(Vectors.newBuilder().setVectors(named));
            }
            if (payloads.isArray() && payloads.get(i) != null && payloads.get(i).isObject()) {
                point.putAllPayload(RestValues.payload(payloads.get(i)));
            }
            points.add(point.build());
        }
        return points;
    }

    /** A point's vectors: one unnamed dense vector (an array) or named ones (an object). */
    static Vectors vectors(JsonNode json) {
        if (json.isArray()) {
            return Vectors.newBuilder().setVector(vector(json)).build();
        }
        NamedVectors.Builder named = NamedVectors.newBuilder();
        json.fields().forEachRemaining(e -> named.putVectors(e.getKey(), vector(e.getValue())));
        return Vectors.newBuilder().setVectors(named).build();
    }

    /** One vector: an array of numbers (dense) or {@code {indices, values}} (sparse). */
    static Vector vector(JsonNode json) {
        if (json != null && json.isArray()) {
            float[] values = new float[json.size()];
            for (int i = 0; i < values.length; i++) {
                if (!json.get(i).isNumber()) {
                    throw StandInErrors.unsupported("multi-vectors and vectors that are not numbers");
                }
                values[i] = (float) json.get(i).asDouble();
            }
            return Vector.newBuilder().setDense(PointCodec.dense(values)).build();
        }
        if (json != null && json.isObject() && json.has("indices")) {
            SparseVector.Builder sparse = SparseVector.newBuilder();
            json.path("indices").forEach(i -> sparse.addIndices(i.asInt()));
            json.path("values").forEach(v -> sparse.addValues((float) v.asDouble()));
            return Vector.newBuilder().setSparse(sparse).build();
        }
        throw StandInErrors.invalid("Format error in JSON body: data did not match any variant of untagged enum "
                + "VectorStruct");
    }

    /** {@code update_vectors}' points: {@code [{id, vector}]}. */
    static List<PointVectors> pointVectors(JsonNode points) {
        List<PointVectors> out = new ArrayList<>();
        points.forEach(p -> out.add(PointVectors.newBuilder().setId(RestValues.id(p.path("id")))
                .setVectors(vectors(p.path("vector"))).build()));
        return out;
    }

    /** A points selector: {@code filter} or {@code points: [ids]}; neither is Qdrant's 400. */
    static PointsSelector selector(JsonNode body) {
        if (body.path("filter").isObject()) {
            return PointsSelector.newBuilder().setFilter(RestFilters.filter(body.path("filter"))).build();
        }
        if (body.path("points").isArray()) {
            PointsIdsList.Builder ids = PointsIdsList.newBuilder();
            body.path("points").forEach(id -> ids.addIds(RestValues.id(id)));
            return PointsSelector.newBuilder().setPoints(ids).build();
        }
        throw StandInErrors.invalid("Bad request: Either list of point ids or filter must be provided");
    }

    static VectorsSelector vectorNames(JsonNode names) {
        VectorsSelector.Builder selector = VectorsSelector.newBuilder();
        names.forEach(n -> selector.addNames(n.asText()));
        return selector.build();
    }

    /** {@code with_payload}: a boolean, a list of keys to include, or {@code {include}} / {@code {exclude}}. */
    static WithPayloadSelector withPayload(JsonNode json, boolean byDefault) {
        WithPayloadSelector.Builder selector = WithPayloadSelector.newBuilder();
        if (json.isBoolean()) {
            return selector.setEnable(json.asBoolean()).build();
        }
        if (json.isArray()) {
            return selector.setInclude(PayloadIncludeSelector.newBuilder().addAllFields(texts(json))).build();
        }
        if (json.has("include")) {
            return selector.setInclude(PayloadIncludeSelector.newBuilder().addAllFields(texts(json.path("include"))))
                    .build();
        }
        if (json.has("exclude")) {
            return selector.setExclude(PayloadExcludeSelector.newBuilder().addAllFields(texts(json.path("exclude"))))
                    .build();
        }
        return selector.setEnable(byDefault).build();
    }

    /** {@code with_vector} (or {@code with_vectors}): a boolean or a list of vector names; false by default. */
    static WithVectorsSelector withVectors(JsonNode body) {
        JsonNode json = body.has("with_vector") ? body.path("with_vector") : body.path("with_vectors");
        if (json.isArray()) {
            return WithVectorsSelector.newBuilder().setInclude(vectorNames(json)).build();
        }
        return WithVectorsSelector.newBuilder().setEnable(json.asBoolean(false)).build();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A record as Qdrant's REST API answers it: {@code id}, {@code payload}, {@code vector} (null when not asked). */
    static ObjectNode json(RetrievedPoint p, boolean withPayload) {
        ObjectNode out = RestValues.NODES.objectNode();
        out.set("id", RestValues.id(p.getId()));
        out.set("payload", withPayload ? RestValues.json(p.getPayloadMap()) : RestValues.NODES.nullNode());
        out.set("vector", p.hasVectors() ? json(p.getVectors()) : RestValues.NODES.nullNode());
        return out;
    }

    static ObjectNode json(ScoredPoint p, boolean withPayload) {
        ObjectNode out = RestValues.NODES.objectNode();
        out.set("id", RestValues.id(p.getId()));
        out.put("version", p.getVersion());
        out.put("score", p.getScore());
        out.set("payload", withPayload ? RestValues.json(p.getPayloadMap()) : RestValues.NODES.nullNode());
        out.set("vector", p.hasVectors() ? json(p.getVectors()) : RestValues.NODES.nullNode());
        return out;
    }

    private static JsonNode json(VectorsOutput vectors) {
        if (vectors.hasVector()) {
            return json(vectors.getVector());
        }
        ObjectNode named = RestValues.NODES.objectNode();
        vectors.getVectors().getVectorsMap().forEach((name, v) -> named.set(name, json(v)));
        return named;
    }

    private static JsonNode json(VectorOutput v) {
        if (v.hasSparse()) {
            ObjectNode sparse = RestValues.NODES.objectNode();
            ArrayNode indices = sparse.putArray("indices");
            v.getSparse().getIndicesList().forEach(indices::add);
            ArrayNode values = sparse.putArray("values");
            v.getSparse().getValuesList().forEach(values::add);
            return sparse;
        }
        ArrayNode dense = RestValues.NODES.arrayNode();
        DenseVector d = v.getDense();
        PointCodec.floats(d).forEach(dense::add);
        return dense;
    }
}
