package io.apex.migrator.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apex.migrator.api.PointKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link CaptureEffect} of a captured REST write (the JSON body as the client sent it to one of
 * {@link RestCaptureMethods}): the point ids it names ({@code points} lists of ids or of points, {@code batch.ids}, the
 * operations of a batch) and the filters of its by-filter parts, whose matching points are read with Qdrant's REST
 * scroll (the JSON filter as the client wrote it).
 */
final class RestCaptureEffects {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILTER = "filter";
    private static final String POINTS = "points";
    private static final String OPERATIONS = "operations";
    private static final int SCROLL_PAGE = 1000;

    private RestCaptureEffects() {
    }

    /** @throws IllegalArgumentException when the body is no JSON object or names a malformed point id */
    static CaptureEffect of(String method, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + method + " body: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a valid " + method + " body: a JSON object expected");
        }
        Set<PointKey> ids = new LinkedHashSet<>();
        List<JsonNode> filters = new ArrayList<>();
        String endpoint = method.substring(method.indexOf("/points"));
        String httpMethod = RestCaptureMethods.httpMethod(method);
        switch (httpMethod + " " + endpoint) {
            case "PUT /points" -> upserted(ids, json);
            case "PUT /points/vectors" -> pointsOf(ids, json.path(POINTS));
            case "POST /points/batch" -> batch(ids, filters, json.path(OPERATIONS));
            // delete, set / overwrite / delete / clear payload, delete vectors: a points selector
            default -> selects(ids, filters, json);
        }
        return new CaptureEffect(ids, filters.stream().map(Selection::new).map(CaptureEffect.FilterSelection.class::cast)
                .toList());
    }

    /** Adds the ids the operations of a batch name, and the filters of the ones that select by filter. */
    private static void batch(Set<PointKey> ids, List<JsonNode> filters, JsonNode operations) {
        for (JsonNode operation : operations) {
            var fields = operation.fields();
            if (!fields.hasNext()) {
                continue;
            }
            var entry = fields.next();
            switch (entry.getKey()) {
                case "upsert" -> upserted(ids, entry.getValue());
                case "update_vectors" -> pointsOf(ids, entry.getValue().path(POINTS));
                default -> selects(ids, filters, entry.getValue());
            }
        }
    }

    /** An upsert's points: {@code points: [{id, ...}]} or {@code batch: {ids: [...]}}. */
    private static void upserted(Set<PointKey> ids, JsonNode upsert) {
        if (upsert.has("batch")) {
            upsert.path("batch").path("ids").forEach(id -> ids.add(key(id)));
        } else {
            pointsOf(ids, upsert.path(POINTS));
        }
    }

    private static void pointsOf(Set<PointKey> ids, JsonNode points) {
        points.forEach(p -> ids.add(key(p.path("id"))));
    }

    /** A points selector: {@code filter} or {@code points: [ids]}. */
    private static void selects(Set<PointKey> ids, List<JsonNode> filters, JsonNode selector) {
        JsonNode filter = selector.path(FILTER);
        if (!filter.isMissingNode() && !filter.isNull()) {
            filters.add(filter);
            return;
        }
        selector.path(POINTS).forEach(id -> ids.add(key(id)));
    }

    /** The ids a REST filter matches in a collection: Qdrant's scroll over REST, ids only, page by page. */
    record Selection(JsonNode filter) implements CaptureEffect.FilterSelection {

        /** One selection matching what any of these match ({@code should} of the filters). */
        static Selection anyOf(List<Selection> all) {
            // each distinct filter once (JSON trees compare by value)
            List<Selection> selections = List.copyOf(new LinkedHashSet<>(all));
            if (selections.size() == 1) {
                return selections.get(0);
            }
            ObjectNode any = JSON.createObjectNode();
            ArrayNode should = any.putArray("should");
            selections.forEach(s -> should.add(s.filter()));
            return new Selection(any);
        }

        @Override
        public Set<PointKey> matching(io.apex.migrator.qdrant.QdrantGateway gateway,
                io.apex.migrator.qdrant.QdrantRestClient rest, String collection) {
            Set<PointKey> matching = new LinkedHashSet<>();
            JsonNode offset = null;
            do {
                ObjectNode body = JSON.createObjectNode();
                body.set(FILTER, filter);
                body.put("limit", SCROLL_PAGE);
                body.put("with_payload", false);
                body.put("with_vector", false);
                if (offset != null) {
                    body.set("offset", offset);
                }
                JsonNode result = read(rest.send("POST", "/collections/" + RestCaptureMethods.encode(collection)
                        + "/points/scroll", bytes(body), collection)).path("result");
                result.path(POINTS).forEach(p -> matching.add(key(p.path("id"))));
                offset = result.path("next_page_offset");
                if (offset.isNull() || offset.isMissingNode()) {
                    offset = null;
                }
            } while (offset != null);
            return matching;
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Qdrant's REST answer is no JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** A point id as Qdrant's REST API takes it: an unsigned integer or a UUID in any form Qdrant accepts. */
    static PointKey key(JsonNode id) {
        if (id.isIntegralNumber()) {
            return new PointKey(Long.parseUnsignedLong(id.asText()), null);
        }
        if (id.isTextual()) {
            return new PointKey(null, uuid(id.asText()));
        }
        throw new IllegalArgumentException("not a point id: " + id);
    }

    private static UUID uuid(String text) {
        String hex = text.strip().toLowerCase(Locale.ROOT);
        if (hex.startsWith("urn:uuid:")) {
            hex = hex.substring("urn:uuid:".length());
        } else if (hex.startsWith("{") && hex.endsWith("}")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        hex = hex.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a point id: " + text);
        }
        try {
            return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                    Long.parseUnsignedLong(hex.substring(16), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a point id: " + text, e);
        }
    }
}
