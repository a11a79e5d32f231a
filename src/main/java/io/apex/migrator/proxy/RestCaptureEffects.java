package io.apex.migrator.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apex.migrator.api.PointKey;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link CaptureEffect} of a captured REST write (the JSON body as the client sent it to one of
 * {@link RestCaptureMethods}): the point ids it names ({@code points} lists of ids or of points, {@code batch.ids}, the
 * operations of a batch) and its by-filter part, replayed on the target over REST with {@code ?wait=true}.
 */
final class RestCaptureEffects {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILTER = "filter";
    private static final String POINTS = "points";
    private static final String OPERATIONS = "operations";

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
        String endpoint = method.substring(method.indexOf("/points"));
        String httpMethod = RestCaptureMethods.httpMethod(method);
        boolean byFilter = switch (httpMethod + " " + endpoint) {
            case "PUT /points" -> upserted(ids, json);
            case "PUT /points/vectors" -> pointsOf(ids, json.path(POINTS));
            case "POST /points/batch" -> {
                ArrayNode filtered = batch(ids, json.path(OPERATIONS));
                if (filtered.isEmpty()) {
                    yield false;
                }
                json = ((ObjectNode) json).deepCopy().set(OPERATIONS, filtered);
                yield true;
            }
            // delete, set / overwrite / delete / clear payload, delete vectors: a points selector
            default -> selects(ids, json);
        };
        return new CaptureEffect(ids, byFilter ? Optional.of(replay(method, json)) : Optional.empty());
    }

    /** The operations of a batch that select by filter (to replay); adds the ids the others name. */
    private static ArrayNode batch(Set<PointKey> ids, JsonNode operations) {
        ArrayNode byFilter = JSON.createArrayNode();
        for (JsonNode operation : operations) {
            var fields = operation.fields();
            if (!fields.hasNext()) {
                continue;
            }
            var entry = fields.next();
            boolean filter = switch (entry.getKey()) {
                case "upsert" -> upserted(ids, entry.getValue());
                case "update_vectors" -> pointsOf(ids, entry.getValue().path(POINTS));
                default -> selects(ids, entry.getValue());
            };
            if (filter) {
                byFilter.add(operation);
            }
        }
        return byFilter;
    }

    /** An upsert's points: {@code points: [{id, ...}]} or {@code batch: {ids: [...]}}. */
    private static boolean upserted(Set<PointKey> ids, JsonNode upsert) {
        if (upsert.has("batch")) {
            upsert.path("batch").path("ids").forEach(id -> ids.add(key(id)));
        } else {
            pointsOf(ids, upsert.path(POINTS));
        }
        return false;
    }

    private static boolean pointsOf(Set<PointKey> ids, JsonNode points) {
        points.forEach(p -> ids.add(key(p.path("id"))));
        return false;
    }

    /** A points selector: {@code filter} (true: by filter) or {@code points: [ids]}. */
    private static boolean selects(Set<PointKey> ids, JsonNode selector) {
        JsonNode filter = selector.path(FILTER);
        if (!filter.isMissingNode() && !filter.isNull()) {
            return true;
        }
        selector.path(POINTS).forEach(id -> ids.add(key(id)));
        return false;
    }

    private static CaptureEffect.FilterReplay replay(String method, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
        String httpMethod = RestCaptureMethods.httpMethod(method);
        return (gateway, rest, target) -> rest.send(httpMethod,
                RestCaptureMethods.path(method, target) + "?wait=true", bytes, target);
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
