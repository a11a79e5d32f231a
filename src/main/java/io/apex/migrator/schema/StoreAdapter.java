package io.apex.migrator.schema;

import java.nio.file.Path;
import java.util.List;

/**
 * What the engine needs from a store. The engine owns ordering, checksums, plans and locking; an adapter only
 * runs scripts and keeps the history records in its store.
 */
public interface StoreAdapter extends AutoCloseable {

    Store store();

    /** The migration lock of this store (used only through {@link LockTemplate}). */
    StoreLock lock();

    /** Creates the history table / constraints if absent; called while holding the lock. */
    void prepareHistory();

    /** Applied migrations in version order. */
    List<AppliedMigration> history();

    /** Checks the store can run {@code pending} (e.g. required extensions) before anything is applied. */
    default void preflight(List<Migration> pending) {
    }

    /** Repairs what failed runs left behind (e.g. INVALID indexes); returns the names of what was repaired. */
    default List<String> repair(String runId) {
        return List.of();
    }

    /** Writes a backup to {@code file} before an upgrade. */
    default void backup(Path file, String runId) {
        throw new SchemaException.BackupFailed("backups are not supported for " + store().id());
    }

    /** Runs the forward script and records it; nothing is recorded if a statement fails. */
    AppliedMigration apply(Migration migration, String appliedBy, String runId);

    /** Runs {@code rollback} and removes the history record of {@code migration}. */
    void revert(Migration migration, ScriptFile rollback, String runId);

    /** Indexes of the migrated schema, with their validity. */
    List<IndexState> indexes();

    @Override
    void close();
}
