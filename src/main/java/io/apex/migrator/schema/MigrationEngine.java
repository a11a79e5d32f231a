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

    /**
     * Applies pending migrations up to {@code target} (default: all), after repairing INVALID indexes. With a
     * {@code backup}, the backup is taken before anything changes the store (the history table, the repair, the
     * scripts), whenever there is something to change; a failed backup leaves the store as it was.
     */
    public SchemaResult upgrade(Optional<String> target, Optional<Path> backup, String runId) {
        List<Migration> available = source.load();
        return LockTemplate.withLock(adapter.store(), adapter.lock(), lockWait, runId, () -> {
            Plan plan = Plan.upgrade(available, adapter.history(), target, source.location());
            if (!plan.steps().isEmpty()) {
                adapter.preflight(plan.steps());
            }
            if (backup.isPresent() && (!plan.steps().isEmpty()
                    || adapter.indexes().stream().anyMatch(i -> !i.valid()))) {
                adapter.backup(backup.get(), runId);
            }
            adapter.prepareHistory();
            List<String> repaired = adapter.repair(runId);
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

    /** What {@link #upgrade} would do now, changing nothing (no lock, no history table, no repair). */
    public SchemaPreview previewUpgrade(Optional<String> target) {
        List<AppliedMigration> applied = adapter.history();
        Plan plan = Plan.upgrade(source.load(), applied, target, source.location());
        if (!plan.steps().isEmpty()) {
            adapter.preflight(plan.steps());
        }
        return new SchemaPreview(adapter.store(), Direction.UP, Plan.current(applied),
                plan.steps().stream().map(m -> m.version().label() + " " + m.script().name()).toList(),
                adapter.indexes().stream().filter(i -> !i.valid()).toList());
    }

    /** What {@link #downgrade} would do now, changing nothing. */
    public SchemaPreview previewDowngrade(int count) {
        List<AppliedMigration> applied = adapter.history();
        Plan plan = Plan.downgrade(source.load(), applied, count, source.location());
        return new SchemaPreview(adapter.store(), Direction.DOWN, Plan.current(applied),
                plan.steps().stream().map(m -> m.version().label() + " " + m.rollback().orElseThrow().name()).toList(),
                List.of());
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
