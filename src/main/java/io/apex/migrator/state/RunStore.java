package io.apex.migrator.state;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The migrator's own state in PostgreSQL (schema {@code apex_migrator}): runs, their planned ranges, the
 * events emitted and the command ids processed. Every state change is a conditional UPDATE, so duplicated
 * messages and racing trackers change things once.
 */
@ApplicationScoped
public class RunStore {

    private static final String RUN_COLUMNS = "id, command_id, source, target, alias, batch_size, command::text, "
            + "state, paused, max_points_per_second, source_points, target_points, planned_batches, done_batches, "
            + "failed_batches, copied_points, previous_collection, alias_gap_ms, failure, summary::text, created_at, "
            + "copy_started_at, copied_at, finished_at";

    private final DataSource dataSource;
    private final AtomicBoolean schemaReady = new AtomicBoolean();
    private final RunStoreRetry retry;

    @Inject
    public RunStore(DataSource dataSource,
            @ConfigProperty(name = "apex.run-store.retry-for", defaultValue = "2m") Duration retryFor) {
        this.dataSource = dataSource;
        this.retry = new RunStoreRetry(retryFor);
    }

    /** Creates the tables if needed; called at worker start and before first use. */
    public void ensureSchema() {
        if (!schemaReady.get()) {
            retry.call("creating the schema", () -> {
                createSchemaOnce();
                return null;
            });
        }
    }

    private void createSchemaOnce() {
        if (!schemaReady.get()) {
            synchronized (schemaReady) {
                if (!schemaReady.get()) {
                    RunStoreSchema.apply(dataSource);
                    schemaReady.set(true);
                }
            }
        }
    }

    /**
     * Claims a command for this coordinator: blocks while another one handles it, then holds it until closed (see
     * {@link CommandClaim}). Waits out a run store that cannot be reached, like every other call here.
     */
    public CommandClaim claimCommand(String commandId) {
        ensureSchema();
        return retry.call("claiming command " + commandId, () -> CommandClaim.acquire(dataSource, commandId));
    }

    /** Claims a command only if no other coordinator holds it now (empty otherwise). */
    public Optional<CommandClaim> tryClaimCommand(String commandId) {
        ensureSchema();
        return retry.call("claiming command " + commandId, () -> CommandClaim.tryAcquire(dataSource, commandId));
    }

    /** Whether a command id was already processed (a repeat is a no-op). */
    public boolean commandSeen(String commandId) {
        return query("reading processed commands",
                "SELECT 1 FROM " + RunStoreSchema.NAME + ".processed_commands WHERE command_id = ?",
                ps -> ps.setString(1, commandId), rs -> true).isPresent();
    }

    /** Records a processed command that made no run (controls, schema commands); false if it was seen before. */
    public boolean markCommandProcessed(String commandId, String type) {
        return inTransaction("recording a processed command", c -> markProcessed(c, commandId, type));
    }

    /** Records a processed command in the caller's transaction; false if it was processed before. */
    static boolean markProcessed(Connection c, String commandId, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".processed_commands (command_id, type) "
                + "VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, commandId);
            ps.setString(2, type);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Changes a run on behalf of a command and records the command processed, in one transaction: a command is
     * processed exactly when its effect is stored. False (nothing changed) when it was processed before.
     */
    public boolean changeForCommand(String commandId, String type, UUID runId, String operation, String setClause,
            LeadingBinder binder) {
        return inTransaction(operation, c -> {
            if (!markProcessed(c, commandId, type)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".runs SET " + setClause
                    + ", updated_at = now() WHERE id = ?")) {
                int next = binder.bind(ps);
                ps.setObject(next, runId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Creates the run of a migrate command together with its processed-command row; when the command id is
     * known already, returns the existing run instead.
     */
    public Run createRun(MigrateCommand command) {
        ensureSchema();
        UUID id = UUID.randomUUID();
        inTransaction("creating a run", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".runs (id, command_id, source, "
                    + "target, alias, batch_size, command, state) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                    + "ON CONFLICT (command_id) DO NOTHING")) {
                ps.setObject(1, id);
                ps.setString(2, command.commandId());
                ps.setString(3, command.source());
                ps.setString(4, command.runTarget());
                ps.setString(5, command.alias());
                ps.setInt(6, command.batchSize());
                ps.setString(7, Messages.get().write(command));
                ps.setString(8, RunState.ACCEPTED.db());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".processed_commands "
                    + "(command_id, type, run_id) SELECT command_id, 'qdrant.migrate', id FROM " + RunStoreSchema.NAME + ".runs "
                    + "WHERE command_id = ? ON CONFLICT DO NOTHING")) {
                ps.setString(1, command.commandId());
                ps.executeUpdate();
            }
            return null;
        });
        return findByCommand(command.commandId()).orElseThrow();
    }

    public Optional<Run> findRun(UUID id) {
        ensureSchema();
        return query("reading a run", "SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME + ".runs WHERE id = ?",
                ps -> ps.setObject(1, id), RunStore::run);
    }

    /** The ended states ({@link RunState#FINAL}) as an SQL list: {@code state NOT IN (ENDED)} is a run still going. */
    private static final String ENDED = RunState.FINAL.stream().map(s -> "'" + s.db() + "'")
            .collect(Collectors.joining(", "));
    private static final String RUN_TAKING_RANGE = runTakingRange("");
    private static final String RUN_TAKING_RANGE_OF_PASS = runTakingRange(" AND pass = ?");

    private static String runTakingRange(String passCondition) {
        return "WITH r AS (SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME
                + ".runs WHERE id = ?), taken AS (UPDATE " + RunStoreSchema.NAME + ".batches SET started_at = now(), "
                + "attempts = attempts + 1, worker = ?, updated_at = now() WHERE run_id = ? AND kind = ? "
                + "AND batch_index = ANY (?) AND state = 'pending'" + passCondition
                + " AND EXISTS (SELECT 1 FROM r WHERE NOT r.paused AND r.state NOT IN (" + ENDED + ")) "
                + "RETURNING attempts) SELECT r.*, (SELECT coalesce(max(attempts), 0) FROM taken) FROM r";
    }

    /**
     * A run as a worker looked it up for a message, and whether a range of the message that it took had been taken
     * before without being reported: an earlier attempt at the message ended between its inserts and its reports
     * (its replica crashed or stopped), or is still at it.
     */
    public record RangesTaken(Run run, boolean takenBefore) {
    }

    /**
     * The run, and, when it may be worked on (not ended, not paused), its ranges recorded as taken by {@code worker}
     * (start time, attempts, worker: the dashboard's range map), in one statement: a worker's look-up before a
     * message and its observation of the message's ranges cost one round trip. Only a range that has not reported
     * yet is touched.
     */
    public Optional<RangesTaken> findRunTakingRanges(UUID id, BatchKind kind, Integer[] batchIndexes, Integer pass,
            String worker) {
        ensureSchema();
        return query("reading a run", (pass == null ? RUN_TAKING_RANGE : RUN_TAKING_RANGE_OF_PASS), ps -> {
                    ps.setObject(1, id);
                    ps.setString(2, worker);
                    ps.setObject(3, id);
                    ps.setString(4, kind.wireName());
                    ps.setArray(5, ps.getConnection().createArrayOf("integer", batchIndexes));
                    if (pass != null) {
                        ps.setInt(6, pass);
                    }
                }, rs -> new RangesTaken(run(rs), rs.getInt(rs.getMetaData().getColumnCount()) > 1));
    }

    public Optional<Run> findByCommand(String commandId) {
        ensureSchema();
        return query("reading a run", "SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME + ".runs WHERE command_id = ?",
                ps -> ps.setString(1, commandId), RunStore::run);
    }

    /** Runs, newest first. */
    public List<Run> listRuns(int limit) {
        ensureSchema();
        return queryList("listing runs", "SELECT " + RUN_COLUMNS
                + " FROM " + RunStoreSchema.NAME + ".runs ORDER BY created_at DESC LIMIT ?", ps -> ps.setInt(1, limit), RunStore::run);
    }

    /**
     * The runs that have not ended, newest first, at most {@code limit}: filtered by the database, so a poll of them
     * (the progress gauges, every few seconds on every replica) reads the active rows only, not the whole history.
     */
    public List<Run> activeRuns(int limit) {
        ensureSchema();
        return queryList("listing active runs", "SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME + ".runs WHERE "
                + "state NOT IN (" + ENDED + ") ORDER BY created_at DESC LIMIT ?", ps -> ps.setInt(1, limit), RunStore::run);
    }

    /** The last completed run that switched {@code alias}. */
    public Optional<Run> lastCompletedForAlias(String alias) {
        ensureSchema();
        return query("reading runs of an alias", "SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME + ".runs WHERE alias = ? "
                        + "AND state = 'completed' AND previous_collection IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
                ps -> ps.setString(1, alias), RunStore::run);
    }

    /**
     * Persists the plan (ranges fixed from now on) and moves the run from accepted to planned; false if it
     * was planned before (a redelivered command), in which case the stored plan stands.
     */
    public boolean savePlan(UUID runId, long sourcePoints, List<PointRange> ranges) {
        return inTransaction("saving the plan", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".runs SET state = 'planned', copy_started_at = now(), "
                    + "source_points = ?, planned_batches = ?, updated_at = now() WHERE id = ? AND state = 'accepted'")) {
                ps.setLong(1, sourcePoints);
                ps.setInt(2, ranges.size());
                ps.setObject(3, runId);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".batches (run_id, kind, "
                    + "batch_index, start_id, end_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (int i = 0; i < ranges.size(); i++) {
                    PointRange r = ranges.get(i);
                    ps.setObject(1, runId);
                    ps.setString(2, BatchKind.COPY.wireName());
                    ps.setInt(3, i);
                    ps.setString(4, r.start().text());
                    ps.setString(5, r.end() == null ? null : r.end().text());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    public List<BatchRecord> batches(UUID runId, BatchKind kind) {
        return queryList("reading batches", "SELECT batch_index, start_id, end_id, state, points, worker, reason, "
                        + "checksum, reports FROM " + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND kind = ? ORDER BY batch_index",
                ps -> {
                    ps.setObject(1, runId);
                    ps.setString(2, kind.wireName());
                },
                rs -> new BatchRecord(rs.getInt(1), kind, new PointRange(PointKey.parse(rs.getString(2)),
                        rs.getString(3) == null ? null : PointKey.parse(rs.getString(3))), rs.getString(4),
                        (Long) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)));
    }

    /** Moves a run between states when it is in one of {@code from}; true for the caller that moved it. */
    public boolean transition(UUID runId, RunState to, RunState... from) {
        return transition(runId, to, run -> List.of(), from);
    }

    /**
     * Moves a run between states when it is in one of {@code from} and records the events that report the move, in
     * one transaction (the outbox); true for the caller that moved it.
     */
    public boolean transition(UUID runId, RunState to, Function<Run, List<OutboxEvent>> events, RunState... from) {
        return transition(runId, to, events, null, from);
    }

    /**
     * As {@link #transition(UUID, RunState, Function, RunState...)}, on behalf of a command recorded processed in the
     * same transaction ({@code command}: id and type; null for none).
     */
    public boolean transition(UUID runId, RunState to, Function<Run, List<OutboxEvent>> events, String[] command,
            RunState... from) {
        StringBuilder in = new StringBuilder();
        for (RunState s : from) {
            in.append(in.length() == 0 ? "" : ", ").append('\'').append(s.db()).append('\'');
        }
        String alongside = switch (to) {
            case COPYING -> ", copy_started_at = coalesce(copy_started_at, now())";
            case COPIED -> ", copied_at = now()";
            case COMPLETED, FAILED, CANCELLED -> ", finished_at = now()";
            // a run that waits (again) for its cutover waits for a new request: the one that sent it through the
            // readiness gate is used up, in the same statement, so no crash can leave the state without the flag
            case READY_FOR_CUTOVER -> ", cutover_requested = false";
            default -> "";
        };
        return changeAndRecord("moving a run to " + to.db(), "UPDATE " + RunStoreSchema.NAME + ".runs SET state = ?, updated_at = now()"
                + alongside + " WHERE id = ? AND state IN (" + in + ")", ps -> {
                    ps.setString(1, to.db());
                    ps.setObject(2, runId);
                }, events, command);
    }

    /** Marks the run failed with a reason, unless it already ended; true for the caller that failed it. */
    public boolean fail(UUID runId, String reason) {
        return fail(runId, reason, run -> List.of());
    }

    /** Fails the run (unless it already ended) and records the events that say so, in one transaction. */
    public boolean fail(UUID runId, String reason, Function<Run, List<OutboxEvent>> events) {
        return changeAndRecord("failing a run", "UPDATE " + RunStoreSchema.NAME + ".runs SET state = 'failed', failure = ?, "
                + "finished_at = now(), updated_at = now() WHERE id = ? AND state NOT IN (" + ENDED + ")", ps -> {
                    ps.setString(1, reason);
                    ps.setObject(2, runId);
                }, events, null);
    }

    /**
     * One conditional UPDATE of a run (it must return the run's columns: RETURNING is added here) and, when it
     * changed the run, the events built from the changed run, committed together.
     */
    private boolean changeAndRecord(String operation, String update, Binder binder,
            Function<Run, List<OutboxEvent>> events, String[] command) {
        return inTransaction(operation, c -> {
            if (command != null && !markProcessed(c, command[0], command[1])) {
                return false;
            }
            Run changed;
            try (PreparedStatement ps = c.prepareStatement(update + " RETURNING " + RUN_COLUMNS)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return false;
                    }
                    changed = run(rs);
                }
            }
            for (OutboxEvent e : events.apply(changed)) {
                Outbox.insert(c, e);
            }
            return true;
        });
    }

    /** A run of this alias or target that has not ended (at most one may exist). */
    public Optional<Run> activeRunFor(String alias, String target) {
        return query("reading active runs", "SELECT " + RUN_COLUMNS + " FROM " + RunStoreSchema.NAME + ".runs WHERE state NOT IN "
                + "('completed', 'failed', 'cancelled') AND (alias = ? OR target = ?) ORDER BY created_at LIMIT 1",
                ps -> {
                    ps.setString(1, alias);
                    ps.setString(2, target);
                }, RunStore::run);
    }

    /** Records what the alias pointed at before the cutover touches it (kept if recorded before). */
    public void notePreviousCollection(UUID runId, String previous) {
        update("noting the alias before the cutover", "UPDATE " + RunStoreSchema.NAME + ".runs SET previous_collection = "
                + "coalesce(previous_collection, ?), updated_at = now() WHERE id = ?", ps -> {
                    ps.setString(1, previous);
                    ps.setObject(2, runId);
                });
    }

    /** Outcome of applying one progress report. */
    public enum ProgressOutcome {
        /** First report of the range: counted. */
        APPLIED,
        /** The range was reported before: nothing changed. */
        DUPLICATE,
        /** No such run or range (e.g. a deleted run): ignored. */
        UNKNOWN
    }

    /** Applies a worker's report once: the first report of a range counts, later ones change nothing. */
    public ProgressOutcome applyProgress(BatchProgress p) {
        return applyProgress(List.of(p)).outcomes().get(0);
    }

    /**
     * What applying a poll of copy reports did: each report's outcome, in the reports' order, and the tally (state and
     * counters, as the poll's update left them) of each run whose counters moved.
     */
    public record ProgressApplied(List<ProgressOutcome> outcomes, Map<UUID, CopyTally> tallies) {
    }

    /**
     * Applies several reports in one transaction (a poll of the progress topic), each as {@link #applyProgress}
     * would; the outcomes are in the reports' order. A report repeated within the list counts once.
     */
    public ProgressApplied applyProgress(List<BatchProgress> reports) {
        return inTransaction("applying progress", c -> ProgressApplication.apply(c, reports));
    }

    /** Moves the run to copied if every range is done, with its events; true exactly once, for the caller that moved it. */
    public boolean markCopiedIfComplete(UUID runId, Function<Run, List<OutboxEvent>> events) {
        return changeAndRecord("completing the copy", "UPDATE " + RunStoreSchema.NAME + ".runs SET state = 'copied', copied_at = now(), "
                + "updated_at = now() WHERE id = ? AND state IN ('planned', 'copying') AND failed_batches = 0 "
                + "AND done_batches = planned_batches", ps -> ps.setObject(1, runId), events, null);
    }

    /**
     * Keeps a note (a JSON object holding {@code key}) in the run's summary while the run is under way, unless the
     * summary has that key already (a redelivered command must not overwrite what was noted first); other keys of
     * the summary are kept. The completion summary replaces it.
     */
    public boolean noteInSummary(UUID runId, String key, String json) {
        return update("noting in a run's summary", "UPDATE " + RunStoreSchema.NAME + ".runs SET summary = "
                + "coalesce(summary, '{}'::jsonb) || ?::jsonb, updated_at = now() "
                + "WHERE id = ? AND (summary IS NULL OR summary -> ?::text IS NULL)", ps -> {
                    ps.setString(1, json);
                    ps.setObject(2, runId);
                    ps.setString(3, key);
                }) == 1;
    }

    /** Adds the keys of a JSON object to the run's summary (a later key of the same name replaces the earlier). */
    public void mergeIntoSummary(UUID runId, String json) {
        update("adding to a run's summary", "UPDATE " + RunStoreSchema.NAME + ".runs SET summary = coalesce(summary, '{}'::jsonb) "
                + "|| ?::jsonb, updated_at = now() WHERE id = ?", ps -> {
                    ps.setString(1, json);
                    ps.setObject(2, runId);
                });
    }

    /** Pauses or resumes a run for a command; false when the command was processed before. */
    public boolean setPaused(UUID runId, boolean paused, String commandId, String type) {
        return changeForCommand(commandId, type, runId, "pausing a run", "paused = ?", ps -> {
            ps.setBoolean(1, paused);
            return 2;
        });
    }

    /** Throttles a run for a command; false when the command was processed before. */
    public boolean setThrottle(UUID runId, int maxPointsPerSecond, String commandId, String type) {
        return changeForCommand(commandId, type, runId, "throttling a run", "max_points_per_second = ?", ps -> {
            ps.setInt(1, maxPointsPerSecond);
            return 2;
        });
    }

    /** Records the outcome of the cutover and completes the run with its events; true for the caller that completed it. */
    public boolean complete(UUID runId, long targetPoints, String previousCollection, Long aliasGapMs,
            String summaryJson, Function<Run, List<OutboxEvent>> events) {
        return changeAndRecord("completing a run", "UPDATE " + RunStoreSchema.NAME + ".runs SET state = 'completed', target_points = ?, "
                + "previous_collection = ?, alias_gap_ms = ?, summary = ?::jsonb, finished_at = now(), updated_at = now() "
                + "WHERE id = ? AND state = 'cutting-over'", ps -> {
                    ps.setLong(1, targetPoints);
                    ps.setString(2, previousCollection);
                    if (aliasGapMs == null) {
                        ps.setNull(3, Types.BIGINT);
                    } else {
                        ps.setLong(3, aliasGapMs);
                    }
                    ps.setString(4, summaryJson);
                    ps.setObject(5, runId);
                }, events, null);
    }

    /** Event types recorded for a run, oldest first. */
    public List<String> eventTypes(UUID runId) {
        return queryList("reading events", "SELECT type FROM " + RunStoreSchema.NAME + ".events WHERE run_id = ? ORDER BY seq",
                ps -> ps.setObject(1, runId), rs -> rs.getString(1));
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run((UUID) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getString(7), RunState.fromDb(rs.getString(8)), rs.getBoolean(9), rs.getInt(10),
                (Long) rs.getObject(11), (Long) rs.getObject(12), (Integer) rs.getObject(13), rs.getInt(14),
                rs.getInt(15), rs.getLong(16), rs.getString(17), (Long) rs.getObject(18), rs.getString(19),
                rs.getString(20), instant(rs.getTimestamp(21)), instant(rs.getTimestamp(22)),
                instant(rs.getTimestamp(23)), instant(rs.getTimestamp(24)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Binds the leading parameters of a statement and returns the index of the next one. */
    @FunctionalInterface
    public interface LeadingBinder {
        int bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    int update(String operation, String sql, Binder binder) {
        ensureSchema();
        return retry.call(operation, () -> updateOnce(operation, sql, binder));
    }

    int updateOnce(String operation, String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new RunStoreException(operation, e);
        }
    }

    private <T> Optional<T> query(String operation, String sql, Binder binder, Reader<T> reader) {
        List<T> rows = queryList(operation, sql, binder, reader);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    <T> List<T> queryList(String operation, String sql, Binder binder, Reader<T> reader) {
        ensureSchema();
        return retry.call(operation, () -> queryListOnce(operation, sql, binder, reader));
    }

    private <T> List<T> queryListOnce(String operation, String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new RunStoreException(operation, e);
        }
    }

    /** A transaction is retried as a whole: it was rolled back, and every one here is conditional. */
    <T> T inTransaction(String operation, Work<T> work) {
        ensureSchema();
        return retry.call(operation, () -> inTransactionOnce(operation, work));
    }

    private <T> T inTransactionOnce(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RunStoreException(operation, e);
        }
    }
}
