package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One range of one run for a worker, on the batches topic. Redelivery is harmless: a copy upserts the same
 * ids, progress is applied idempotently.
 *
 * @param runId the run (UUID text)
 * @param batchIndex position of the range in the plan (0-based)
 * @param kind copy or verify
 * @param source collection read from
 * @param target collection written to (copy) or compared with (verify)
 * @param range {@code [start, end)} in Qdrant's scroll order
 * @param pageSize points per scroll/upsert page
 * @param pass verification pass (verify tasks, from 1): a report of an earlier pass is recognised as stale;
 *        null for copies
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchTask(String runId, int batchIndex, BatchKind kind, String source, String target, PointRange range,
        int pageSize, Integer pass) {

    public BatchTask {
        Checks.text(runId, "runId");
        if (batchIndex < 0) {
            throw new InvalidMessageException("$.batchIndex", "must not be negative, was " + batchIndex);
        }
        if (kind == null) {
            throw new InvalidMessageException("$.kind", "is required");
        }
        Checks.name(source, "source");
        Checks.name(target, "target");
        if (range == null) {
            throw new InvalidMessageException("$.range", "is required");
        }
        Checks.range(pageSize, 1, MigrateCommand.MAX_BATCH_SIZE, "pageSize");
        if (kind == BatchKind.VERIFY && (pass == null || pass < 1)) {
            throw new InvalidMessageException("$.pass", "is required (>= 1) for a verify task, was " + pass);
        }
    }

    /** A copy task (no pass). */
    public BatchTask(String runId, int batchIndex, BatchKind kind, String source, String target, PointRange range,
            int pageSize) {
        this(runId, batchIndex, kind, source, target, range, pageSize, null);
    }

    @JsonProperty("schemaVersion")
    public int schemaVersion() {
        return Command.SCHEMA_VERSION;
    }

    /** Kafka key: spreads a run's ranges over the partitions. */
    public String key() {
        return runId + "/" + kind.wireName() + "/" + batchIndex + (pass == null ? "" : "/" + pass);
    }
}
