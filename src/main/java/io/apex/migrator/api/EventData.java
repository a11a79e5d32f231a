package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The JSON {@code data} of a lifecycle CloudEvent (schema: {@code schemas/lifecycle-event-data.schema.json}).
 * Fields not meaningful for an event type are absent.
 *
 * @param store {@code qdrant}, {@code postgres}, {@code neo4j} or {@code release}
 * @param runId the run (Qdrant migrations)
 * @param commandId the command that caused the event
 * @param commandType the command's type
 * @param source collection copied from
 * @param target collection copied into
 * @param alias the alias switched
 * @param previousCollection what the alias pointed at before the swap
 * @param dryRun the run only planned
 * @param sourcePoints exact count of the source
 * @param targetPoints exact count of the target
 * @param batches planned ranges
 * @param copiedPoints points copied so far
 * @param durationMs run duration from acceptance
 * @param pointsPerSecond copy throughput
 * @param aliasGapMs when a collection named like the alias was dropped: time without the name
 * @param field for rejections: JSON path of the offending field
 * @param reason for rejections and failures: why
 * @param version for schema changes: the version now applied
 * @param details anything else (verification summary, failed ranges, per-store facts)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventData(
        String store,
        String runId,
        String commandId,
        String commandType,
        String source,
        String target,
        String alias,
        String previousCollection,
        Boolean dryRun,
        Long sourcePoints,
        Long targetPoints,
        Integer batches,
        Long copiedPoints,
        Long durationMs,
        Double pointsPerSecond,
        Long aliasGapMs,
        String field,
        String reason,
        String version,
        Map<String, Object> details) {

    public EventData {
        details = details == null || details.isEmpty() ? null : Map.copyOf(details);
    }

    /** A {@code migration-rejected} event's data; names the store when the command's type is known. */
    public static EventData rejection(String commandId, String commandType, String field, String reason) {
        String store = CommandType.fromWire(commandType).map(CommandType::store).orElse(null);
        return new EventData(store, null, commandId, commandType, null, null, null, null, null, null, null, null, null,
                null, null, null, field, reason, null, null);
    }

    /** Builder for run events; the store is {@code qdrant} unless set ({@link Builder#store(String)}). */
    public static Builder forRun(String runId, String commandId) {
        return new Builder(runId, commandId);
    }

    /** Collects the optional fields of a run event. */
    public static final class Builder {
        private final String runId;
        private final String commandId;
        private String store = "qdrant";
        private String commandType = CommandType.QDRANT_MIGRATE.wireName();
        private String source;
        private String target;
        private String alias;
        private String previousCollection;
        private Boolean dryRun;
        private Long sourcePoints;
        private Long targetPoints;
        private Integer batches;
        private Long copiedPoints;
        private Long durationMs;
        private Double pointsPerSecond;
        private Long aliasGapMs;
        private String reason;
        private String version;
        private Map<String, Object> details;

        private Builder(String runId, String commandId) {
            this.runId = runId;
            this.commandId = commandId;
        }

        public Builder store(String value) { this.store = value; return this; }
        public Builder commandType(String value) { this.commandType = value; return this; }
        public Builder collections(String src, String tgt, String al) {
            this.source = src; this.target = tgt; this.alias = al; return this;
        }
        public Builder previousCollection(String value) { this.previousCollection = value; return this; }
        public Builder dryRun(boolean value) { this.dryRun = value; return this; }
        public Builder sourcePoints(Long value) { this.sourcePoints = value; return this; }
        public Builder targetPoints(Long value) { this.targetPoints = value; return this; }
        public Builder batches(Integer value) { this.batches = value; return this; }
        public Builder copiedPoints(Long value) { this.copiedPoints = value; return this; }
        public Builder durationMs(Long value) { this.durationMs = value; return this; }
        public Builder pointsPerSecond(Double value) { this.pointsPerSecond = value; return this; }
        public Builder aliasGapMs(Long value) { this.aliasGapMs = value; return this; }
        public Builder reason(String value) { this.reason = value; return this; }
        public Builder version(String value) { this.version = value; return this; }
        public Builder details(Map<String, Object> value) { this.details = value; return this; }

        public EventData build() {
            return new EventData(store, runId, commandId, commandType, source, target, alias, previousCollection,
                    dryRun, sourcePoints, targetPoints, batches, copiedPoints, durationMs, pointsPerSecond,
                    aliasGapMs, null, reason, version, details);
        }
    }
}
