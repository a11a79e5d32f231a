package io.apex.migrator.schema;

import java.time.Duration;
import java.util.Objects;

/**
 * The one unchecked root of the schema area. Each subtype carries the facts a user needs to fix the problem
 * (which file, which line, which version, which checksums); messages never contain secrets.
 */
public abstract sealed class SchemaException extends RuntimeException {

    SchemaException(String message) {
        super(message);
    }

    SchemaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A requested version does not exist or cannot be reached in the requested direction. */
    public static final class UnknownVersion extends SchemaException {
        private final String requested;

        public UnknownVersion(String requested, String reason) {
            super("version '" + requested + "' " + reason);
            this.requested = requested;
        }

        public String requested() {
            return requested;
        }
    }

    /** A script was edited after it was applied: the history checksum and the file's checksum differ. */
    public static final class ChecksumMismatch extends SchemaException {
        private final String file;
        private final Checksum applied;
        private final Checksum current;

        public ChecksumMismatch(String file, Version version, Checksum applied, Checksum current) {
            super(file + " (" + version + ") was changed after it was applied: applied checksum " + applied
                    + ", file checksum " + current + ". Restore the applied text, or add a new migration instead.");
            this.file = file;
            this.applied = applied;
            this.current = current;
        }

        public String file() {
            return file;
        }

        public Checksum applied() {
            return applied;
        }

        public Checksum current() {
            return current;
        }
    }

    /** A downgrade needs a rollback script that is not there; nothing was rolled back. */
    public static final class MissingRollback extends SchemaException {
        private final Version version;

        public MissingRollback(Version version, String expectedFile, String location) {
            super("cannot roll back " + version + ": no rollback script " + expectedFile + " in " + location
                    + "; nothing was rolled back");
            this.version = version;
        }

        public Version version() {
            return version;
        }
    }

    /** The migration scripts themselves are inconsistent (bad name, duplicate version, unreadable location). */
    public static final class InvalidScripts extends SchemaException {
        public InvalidScripts(String message) {
            super(message);
        }

        public InvalidScripts(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A request that does not fit the current state (downgrade more than applied, upgrade below current). */
    public static final class InvalidRequest extends SchemaException {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /** A statement of a script failed; {@code line} is the line in {@code file} where the failing statement starts or errs. */
    public static final class ScriptFailed extends SchemaException {
        private final String file;
        private final int line;

        public ScriptFailed(String file, int line, String reason, Throwable cause) {
            super(file + ":" + line + ": " + reason, cause);
            this.file = Objects.requireNonNull(file);
            this.line = line;
        }

        public String file() {
            return file;
        }

        public int line() {
            return line;
        }
    }

    /** Another runner holds the migration lock and did not release it in time. */
    public static final class LockUnavailable extends SchemaException {
        private final String holder;

        public LockUnavailable(Store store, String holder, Duration waited) {
            super("another migration runner holds the " + store.id() + " migration lock (" + holder + "); gave up after "
                    + waited.toSeconds() + " s. Retry when it has finished.");
            this.holder = holder;
        }

        public String holder() {
            return holder;
        }
    }

    /**
     * The runner lost the migration lock while it held it (its Neo4j lease expired, e.g. the process was paused past
     * it; its PostgreSQL session ended): it stopped before its next statement, since another runner may have taken
     * the lock over. What it applied before is recorded; what it had not is not.
     */
    public static final class LockLost extends SchemaException {
        public LockLost(Store store, String how, Throwable cause) {
            super("lost the " + store.id() + " migration lock (" + how + "); stopped before the next statement, "
                    + "since another runner may hold it now. Run status to see what is applied, then run again.",
                    cause);
        }
    }

    /** The store cannot be reached (or refused the connection); {@code where} never contains a password. */
    public static final class StoreUnavailable extends SchemaException {
        public StoreUnavailable(Store store, String where, String reason, Throwable cause) {
            super("cannot reach " + store.id() + " at " + where + ": " + reason, cause);
        }
    }

    /** A store operation outside the scripts failed (reading history, recording, catalog queries). */
    public static final class StoreFailed extends SchemaException {
        public StoreFailed(Store store, String where, String reason, Throwable cause) {
            super(store.id() + " at " + where + ": " + reason, cause);
        }
    }

    /** The store lacks something the pending scripts need (e.g. the pgvector extension); nothing was applied. */
    public static final class PreconditionFailed extends SchemaException {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    /** The backup requested before an upgrade could not be taken; nothing was applied. */
    public static final class BackupFailed extends SchemaException {
        public BackupFailed(String message) {
            super(message);
        }
    }

    /** An INVALID index could not be rebuilt. */
    public static final class RepairFailed extends SchemaException {
        public RepairFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
