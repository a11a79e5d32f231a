package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads payload values by Qdrant's key paths ({@code a.b.c}, {@code a[].b}): arrays on the way are
 * flattened, so a condition on {@code tags} matches when any element matches, as in Qdrant.
 */
final class PayloadPaths {

    private PayloadPaths() {
    }

    static List<Value> values(Map<String, Value> payload, String path) {
        if (path.indexOf('.') < 0 && !path.endsWith("[]")) {
            // the common case, a top-level key: no parsing, no copies (filters are evaluated per point per scroll)
            Value v = payload.get(path);
            if (v == null) {
                return List.of();
            }
            return v.hasListValue() ? v.getListValue().getValuesList() : List.of(v);
        }
        List<Value> current = new ArrayList<>();
        String[] parts = path.split("\\.");
        Value first = payload.get(stripArray(parts[0]));
        if (first == null) {
            return List.of();
        }
        current.add(first);
        for (int i = 1; i < parts.length; i++) {
            List<Value> next = new ArrayList<>();
            for (Value v : flatten(current)) {
                if (v.hasStructValue()) {
                    Value child = v.getStructValue().getFieldsMap().get(stripArray(parts[i]));
                    if (child != null) {
                        next.add(child);
                    }
                }
            }
            current = next;
        }
        return flatten(current);
    }

    static boolean has(Map<String, Value> payload, String path) {
        return values(payload, path).stream().anyMatch(v -> !v.hasNullValue());
    }

    private static String stripArray(String part) {
        return part.endsWith("[]") ? part.substring(0, part.length() - 2) : part;
    }

    private static List<Value> flatten(List<Value> values) {
        List<Value> flat = new ArrayList<>();
        for (Value v : values) {
            if (v.hasListValue()) {
                flat.addAll(v.getListValue().getValuesList());
            } else {
                flat.add(v);
            }
        }
        return flat;
    }
}
