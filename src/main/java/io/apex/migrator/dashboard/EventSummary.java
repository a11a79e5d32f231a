package io.apex.migrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A lifecycle event's facts in one line for the timeline, from its CloudEvent data (fields it lacks are left out). */
final class EventSummary {

    private EventSummary() {
    }

    static String of(JsonNode data) {
        List<String> parts = new ArrayList<>();
        if (data == null || !data.isObject()) {
            return "";
        }
        if (data.hasNonNull("alias") && data.hasNonNull("previousCollection")) {
            parts.add("alias " + data.get("alias").asText() + ": " + data.get("previousCollection").asText() + " → "
                    + data.path("target").asText("?"));
        }
        number(data, "sourcePoints", "source points", parts);
        number(data, "batches", "ranges", parts);
        number(data, "copiedPoints", "points copied", parts);
        number(data, "targetPoints", "target points", parts);
        if (data.hasNonNull("pointsPerSecond")) {
            parts.add(String.format(Locale.ROOT, "%,.0f points/s", data.get("pointsPerSecond").asDouble()));
        }
        if (data.hasNonNull("durationMs")) {
            parts.add(String.format(Locale.ROOT, "in %.1f s", data.get("durationMs").asLong() / 1000.0));
        }
        JsonNode verification = data.path("details").path("verification");
        if (verification.isObject()) {
            parts.add(verification.path("passes").asInt() + " pass(es), " + verification.path("rangesChecked").asInt()
                    + " ranges checked, " + verification.path("repaired").asInt() + " repaired");
        }
        JsonNode readiness = data.path("details").path("readiness");
        if (readiness.isObject() && readiness.has("indexedVectors")) {
            parts.add(String.format(Locale.ROOT, "%,d of %,d vectors indexed", readiness.path("indexedVectors").asLong(),
                    readiness.path("requiredIndexed").asLong()));
        }
        if (data.path("details").hasNonNull("batchIndex")) {
            parts.add("range " + data.path("details").get("batchIndex").asText() + " on "
                    + data.path("details").path("worker").asText("?"));
        }
        if (data.hasNonNull("version")) {
            parts.add("version " + data.get("version").asText());
        }
        return String.join(", ", parts);
    }

    private static void number(JsonNode data, String field, String unit, List<String> parts) {
        if (data.hasNonNull(field)) {
            parts.add(String.format(Locale.ROOT, "%,d %s", data.get(field).asLong(), unit));
        }
    }
}
