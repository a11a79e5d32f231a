package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One range of one run for a worker, on the batches topic, possibly followed by further ranges of the same run, kind
 * and pass in the same message ({@code more}): a message of several small ranges pays the per-message costs (Kafka,
 * offset commit, dispatch) once. Each range is still taken, copied and reported on its own. Redelivery is harmless:
 * a copy upserts the same ids, progress is applied idempotently.
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
 * @param more the ranges handled after this one, in order (null or empty: this range only)
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchTask(String runId, int batchIndex, BatchKind kind, String source, String target, PointRange range,
        int pageSize, Integer pass, List<Next> more) {

    /** Most ranges one message may carry (this one and {@code more}). */
    public static final int MAX_RANGES = 100;

    /** A further range of the same run, kind and pass. */
    public record Next(int batchIndex, PointRange range) {
        public Next {
            if (batchIndex < 0) {
                throw new InvalidMessageException("$.more[].batchIndex", "must not be negative, was " + batchIndex);
            }
            if (range == null) {
                throw new InvalidMessageException("$.more[].range", "is required");
            }
        }
    }

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
        more = more == null || more.isEmpty() ? null : List.copyOf(more);
        if (more != null && more.size() + 1 > MAX_RANGES) {
            throw new InvalidMessageException("$.more", "carries at most " + (MAX_RANGES - 1) + " ranges, had "
                    + more.size());
        }
    }

    /** A task of one range. */
    public BatchTask(String runId, int batchIndex, BatchKind kind, String source, String target, PointRange range,
            int pageSize, Integer pass) {
        this(runId, batchIndex, kind, source, target, range, pageSize, pass, null);
    }

    /** A copy task (no pass). */
    public BatchTask(String runId, int batchIndex, BatchKind kind, String source, String target, PointRange range,
            int pageSize) {
        this(runId, batchIndex, kind, source, target, range, pageSize, null, null);
    }

    /** One message carrying {@code tasks} (of one run, kind and pass, in order), the first one's range first. */
    public static BatchTask carrying(List<BatchTask> tasks) {
        BatchTask first = tasks.get(0);
        List<Next> more = new ArrayList<>(tasks.size() - 1);
        for (BatchTask t : tasks.subList(1, tasks.size())) {
            if (!t.runId.equals(first.runId) || t.kind != first.kind || !Objects.equals(t.pass, first.pass)
                    || t.more != null) {
                throw new IllegalArgumentException("a message carries single ranges of one run, kind and pass");
            }
            more.add(new Next(t.batchIndex, t.range));
        }
        return new BatchTask(first.runId, first.batchIndex, first.kind, first.source, first.target, first.range,
                first.pageSize, first.pass, more);
    }

    /** The ranges this message carries, each as a task of one range, in order. */
    public List<BatchTask> ranges() {
        if (more == null) {
            return List.of(this);
        }
        List<BatchTask> all = new ArrayList<>(more.size() + 1);
        all.add(new BatchTask(runId, batchIndex, kind, source, target, range, pageSize, pass));
        more.forEach(n -> all.add(new BatchTask(runId, n.batchIndex, kind, source, target, n.range, pageSize, pass)));
        return all;
    }

    @JsonProperty("schemaVersion")
    public int schemaVersion() {
        return Command.SCHEMA_VERSION;
    }

    /**
     * Kafka key: {@code run/kind/index[/pass]}, for a message of several ranges {@code run/kind/first-last[/pass]};
     * {@link io.apex.migrator.pipeline.BatchTaskPartitioner} deals them over the partitions.
     */
    public String key() {
        String indexes = more == null ? String.valueOf(batchIndex) : batchIndex + "-" + more.get(more.size() - 1).batchIndex();
        return runId + "/" + kind.wireName() + "/" + indexes + (pass == null ? "" : "/" + pass);
    }
}
