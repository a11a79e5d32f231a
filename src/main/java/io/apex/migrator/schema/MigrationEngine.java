package io.apex.migrator.schema;

import io.apex.migrator.CrashPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The versioned-script engine shared by both stores: it loads the scripts, plans (ordering, checksums,
 * targets, rollbacks) and runs every change inside the one lock template. Store specifics (how a script is
 * executed, where history lives, how the lock is taken) are in a {@link StoreAdapter}.
 */
public final class MigrationEngine {

    private static final Logger LOGGER = Logger.getLogger(MigrationEngine.class);

    private final StoreAdapter adapter;
    private final MigrationSource source;
    private final Duration lockWait;
    private final String runner;

    public MigrationEngine(StoreAdapter adapter, MigrationSource source, Duration lockWait) {
        this.adapter = Objects.requireNonNull(adapter);
        this.source = Objects.requireNonNull(source);
        this.lockWait = Objects.requireNonNull(lockWait);
        this.runner = RunnerIdentity.current();
    }

    /** Applies pending migrations up to {@code target} (default: all), after repairing INVALID indexes. */
    public SchemaResult upgrade(Optional<String> target, Optional<Path> backup, String runId) {
        List<Migration> available = source.load();
        return LockTemplate.withLock(adapter.store(), adapter.lock(), lockWait, runId, () -> {
            adapter.prepareHistory();
            Plan plan = Plan.upgrade(available, adapter.history(), target, source.location());
            List<String> repaired = adapter.repair(runId);
            if (!plan.steps().isEmpty()) {
                adapter.preflight(plan.steps());
                backup.ifPresent(file -> adapter.backup(file, runId));
            }
            List<Version> done = new ArrayList<>();
            for (Migration m : plan.steps()) {
                LOGGER.infof("[run %s] applying %s %s (%s)", runId, adapter.store().id(), m.version(), m.script().name());
                AppliedMigration applied = adapter.apply(m, runner, runId);
                LOGGER.infof("[run %s] applied %s %s in %d ms", runId, adapter.store().id(), m.version(),
                        applied.duration().toMillis());
                done.add(m.version());
                if (done.size() < plan.steps().size()) {
                    CrashPoint.reached(CrashPoint.MID_SCHEMA_MIGRATION);
                }
            }
            if (done.isEmpty()) {
                LOGGER.infof("[run %s] %s schema is up to date; nothing to apply", runId, adapter.store().id());
            }
            return result(runId, Direction.UP, done, repaired);
        });
    }

    /** Rolls back the last {@code count} applied migrations, newest first. */
    public SchemaResult downgrade(int count, String runId) {
        List<Migration> available = source.load();
        return LockTemplate.withLock(adapter.store(), adapter.lock(), lockWait, runId, () -> {
            adapter.prepareHistory();
            Plan plan = Plan.downgrade(available, adapter.history(), count, source.location());
            List<Version> done = new ArrayList<>();
            for (Migration m : plan.steps()) {
                ScriptFile rollback = m.rollback().orElseThrow();
                LOGGER.infof("[run %s] rolling back %s %s (%s)", runId, adapter.store().id(), m.version(),
                        rollback.name());
                adapter.revert(m, rollback, runId);
                done.add(m.version());
            }
            return result(runId, Direction.DOWN, done, List.of());
        });
    }

    /** Applied / pending / checksum-mismatch state of every migration, and INVALID indexes. Changes nothing. */
    public SchemaStatus status() {
        List<Migration> available = source.load();
        List<AppliedMigration> applied = adapter.history();
        return new SchemaStatus(adapter.store(), Plan.current(applied), Plan.states(available, applied),
                adapter.indexes().stream().filter(i -> !i.valid()).toList());
    }

    /** The history records, oldest first. */
    public List<AppliedMigration> history() {
        return adapter.history();
    }

    private SchemaResult result(String runId, Direction direction, List<Version> done, List<String> repaired) {
        return new SchemaResult(adapter.store(), runId, direction, Plan.current(adapter.history()), done, repaired,
                adapter.indexes());
    }
}
