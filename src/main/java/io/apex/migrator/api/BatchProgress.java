package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A worker's report on one range, on the progress topic; applied idempotently by the tracker (a duplicate
 * changes nothing).
 *
 * @param points points copied (or checked) in the range
 * @param durationMs time the worker spent on the range
 * @param worker the reporting worker instance
 * @param reason why the range failed; null unless {@code status} is failed
 * @param checksum digest of the range (verify tasks: the target's after any repair); null for copies
 * @param verification what a verify task found and did (verify tasks); null for copies
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchProgress(String runId, int batchIndex, BatchKind kind, Status status, long points,
        long durationMs, String worker, String reason, String checksum, RangeVerification verification) {

    /** Outcome of a range. */
    public enum Status {
        DONE("done"),
        FAILED("failed"),
        SKIPPED("skipped");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public BatchProgress {
        Checks.text(runId, "runId");
        if (batchIndex < 0) {
            throw new InvalidMessageException("$.batchIndex", "must not be negative, was " + batchIndex);
        }
        if (kind == null) {
            throw new InvalidMessageException("$.kind", "is required");
        }
        if (status == null) {
            throw new InvalidMessageException("$.status", "is required");
        }
        if (points < 0) {
            throw new InvalidMessageException("$.points", "must not be negative, was " + points);
        }
        if (status == Status.FAILED && (reason == null || reason.isBlank())) {
            throw new InvalidMessageException("$.reason", "is required when the range failed");
        }
        if (kind == BatchKind.VERIFY && status == Status.DONE && verification == null) {
            throw new InvalidMessageException("$.verification", "is required when a verify task is done");
        }
    }

    /** A report without verification facts (copies, failures, skips). */
    public BatchProgress(String runId, int batchIndex, BatchKind kind, Status status, long points, long durationMs,
            String worker, String reason, String checksum) {
        this(runId, batchIndex, kind, status, points, durationMs, worker, reason, checksum, null);
    }

    @JsonProperty("schemaVersion")
    public int schemaVersion() {
        return Command.SCHEMA_VERSION;
    }
}
