package io.apex.migrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.Run;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --output json} shape of a run (README "--output json"): the field names of the dashboard's API. */
final class RunJson {

    private RunJson() {
    }

    static Map<String, Object> summary(Run r, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("commandId", r.commandId());
        m.put("state", r.state().db());
        m.put("paused", r.paused());
        m.put("source", r.source());
        m.put("target", r.target());
        m.put("alias", r.alias());
        m.put("sourcePoints", r.sourcePoints());
        m.put("copiedPoints", r.copiedPoints());
        m.put("pointsPerSecond", Math.round(r.pointsPerSecond(now) * 10) / 10.0);
        m.put("etaSeconds", r.eta(now).map(d -> d.toSeconds()).orElse(null));
        m.put("failure", r.failure());
        m.put("createdAt", r.createdAt() == null ? null : r.createdAt().toString());
        m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        return m;
    }

    static Map<String, Object> detail(Run r, Instant now, long capturedWrites, String verification,
            List<BatchRecord> failedRanges) {
        Map<String, Object> m = summary(r, now);
        m.put("plannedBatches", r.plannedBatches());
        m.put("doneBatches", r.doneBatches());
        m.put("failedBatches", r.failedBatches());
        m.put("durationSeconds", r.duration(now).toSeconds());
        m.put("previousCollection", r.previousCollection());
        m.put("aliasGapMs", r.aliasGapMs());
        m.put("capturedWrites", capturedWrites);
        m.put("verification", parse(verification));
        m.put("failedRanges", failedRanges.stream().map(b -> {
            Map<String, Object> range = new LinkedHashMap<>();
            range.put("index", b.batchIndex());
            range.put("range", String.valueOf(b.range()));
            range.put("reason", b.reason());
            return range;
        }).toList());
        return m;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Messages.get().mapper().readTree(json);
        } catch (IOException e) {
            return Messages.get().mapper().getNodeFactory().textNode(json);
        }
    }
}
