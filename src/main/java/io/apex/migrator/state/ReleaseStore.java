package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Releases and their parts (tables {@code releases}, {@code release_parts}): a release is written with its command's
 * processed mark in one transaction, moves by conditional UPDATEs (each move happens once), and ends together with
 * the event that reports it.
 */
@ApplicationScoped
public class ReleaseStore {

    /** States a release never leaves. */
    public static final List<String> FINAL = List.of("completed", "failed", "cancelled", "rolled-back");

    private static final String COLUMNS = "id, name, command_id, state, manifest::text, failed_part, failure, "
            + "created_at, finished_at";

    private final RunStore runStore;

    @Inject
    public ReleaseStore(RunStore runStore) {
        this.runStore = runStore;
    }

    /** A release as stored; {@code state} is accepted, expanding, ready-for-cutover, cutting-over, rolling-back or final. */
    public record Release(UUID id, String name, String commandId, String state, String manifestJson,
            String failedPart, String failure, Instant createdAt, Instant finishedAt) {

        public boolean isFinal() {
            return FINAL.contains(state);
        }
    }

    /**
     * A part: {@code kind} postgres / neo4j (subject the store, target a version) or qdrant (subject the alias, target
     * the collection); {@code previous} is what the store or alias had before; {@code state} pending, running, done,
     * failed, cancelled or rolled-back.
     */
    public record Part(int position, String kind, String subject, String target, String previous, UUID runId,
            String state, String detail) {
    }

    /** A part to record when the release is created. */
    public record NewPart(String kind, String subject, String target) {
    }

    /**
     * Records a release with its parts and its command as processed; empty when the command was seen before.
     *
     * @throws RunStoreException when another apply of the same release is active (unique index)
     */
    public Optional<UUID> create(String name, String commandId, String type, String manifestJson,
            List<NewPart> parts) {
        return runStore.inTransaction("recording a release", c -> {
            if (!RunStore.markProcessed(c, commandId, type)) {
                return Optional.empty();
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".releases (id, name, command_id, "
                    + "manifest) VALUES (?, ?, ?, ?::jsonb)")) {
                ps.setObject(1, id);
                ps.setString(2, name);
                ps.setString(3, commandId);
                ps.setString(4, manifestJson);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".release_parts (release_id, "
                    + "position, kind, subject, target) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < parts.size(); i++) {
                    ps.setObject(1, id);
                    ps.setInt(2, i + 1);
                    ps.setString(3, parts.get(i).kind());
                    ps.setString(4, parts.get(i).subject());
                    ps.setString(5, parts.get(i).target());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Optional.of(id);
        });
    }

    public Optional<Release> find(UUID id) {
        return runStore.queryList("reading a release", "SELECT " + COLUMNS + " FROM " + RunStoreSchema.NAME + ".releases WHERE id = ?",
                ps -> ps.setObject(1, id), ReleaseStore::release).stream().findFirst();
    }

    public Optional<Release> findByCommand(String commandId) {
        return runStore.queryList("reading a release", "SELECT " + COLUMNS + " FROM " + RunStoreSchema.NAME + ".releases WHERE "
                + "command_id = ?", ps -> ps.setString(1, commandId), ReleaseStore::release).stream().findFirst();
    }

    /** The latest apply of a release (the active one if any). */
    public Optional<Release> latest(String name) {
        return runStore.queryList("reading a release", "SELECT " + COLUMNS + " FROM " + RunStoreSchema.NAME + ".releases WHERE "
                + "name = ? ORDER BY created_at DESC LIMIT 1", ps -> ps.setString(1, name), ReleaseStore::release)
                .stream().findFirst();
    }

    /** The latest applies, newest first. */
    public List<Release> list(int limit) {
        return runStore.queryList("listing releases", "SELECT " + COLUMNS + " FROM " + RunStoreSchema.NAME + ".releases ORDER BY "
                + "created_at DESC LIMIT ?", ps -> ps.setInt(1, limit), ReleaseStore::release);
    }

    public List<Part> parts(UUID releaseId) {
        return runStore.queryList("reading release parts", "SELECT position, kind, subject, target, previous, run_id, "
                + "state, detail FROM " + RunStoreSchema.NAME + ".release_parts WHERE release_id = ? ORDER BY position",
                ps -> ps.setObject(1, releaseId), rs -> new Part(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), (UUID) rs.getObject(6), rs.getString(7), rs.getString(8)));
    }

    /** Moves the release from one of {@code from} to {@code to}; true for the caller that moved it. */
    public boolean transition(UUID id, String to, String... from) {
        return runStore.update("moving a release to " + to, "UPDATE " + RunStoreSchema.NAME + ".releases SET state = ?, updated_at = "
                + "now() WHERE id = ? AND state = ANY (?)", ps -> {
                    ps.setString(1, to);
                    ps.setObject(2, id);
                    ps.setArray(3, ps.getConnection().createArrayOf("text", from));
                }) == 1;
    }

    /** Records what a part's store or alias had before the release touched it (kept once: a resume keeps the first). */
    public void notePrevious(UUID id, int position, String previous) {
        runStore.update("noting a part's previous state", "UPDATE " + RunStoreSchema.NAME + ".release_parts SET previous = ? WHERE "
                + "release_id = ? AND position = ? AND previous IS NULL", ps -> {
                    ps.setString(1, previous);
                    ps.setObject(2, id);
                    ps.setInt(3, position);
                });
    }

    /** Sets a part's state and detail. */
    public void partState(UUID id, int position, String state, String detail) {
        runStore.update("moving a release part", "UPDATE " + RunStoreSchema.NAME + ".release_parts SET state = ?, detail = ?, "
                + "updated_at = now() WHERE release_id = ? AND position = ?", ps -> {
                    ps.setString(1, state);
                    ps.setString(2, detail);
                    ps.setObject(3, id);
                    ps.setInt(4, position);
                });
        touch(id);
    }

    /** Links a Qdrant part to its run, and the run to the release (its parent). */
    public void linkRun(UUID id, int position, UUID runId) {
        runStore.inTransaction("linking a release part to its run", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".release_parts SET run_id = ?, state = "
                    + "'running', updated_at = now() WHERE release_id = ? AND position = ?")) {
                ps.setObject(1, runId);
                ps.setObject(2, id);
                ps.setInt(3, position);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".runs SET release_id = ? WHERE id = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Ends a release that has not ended ({@code completed}, {@code failed}, {@code rolled-back}) and records its event in
     * the same transaction; false when it had ended already (nothing recorded).
     */
    public boolean end(UUID id, String state, String failedPart, String failure, OutboxEvent event, String... from) {
        return runStore.inTransaction("ending a release", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".releases SET state = ?, failed_part = "
                    + "coalesce(?, failed_part), failure = coalesce(?, failure), finished_at = now(), updated_at = now(), "
                    + "owner = NULL, lease_expires_at = NULL "
                    + "WHERE id = ? AND state = ANY (?)")) {
                ps.setString(1, state);
                ps.setString(2, failedPart);
                ps.setString(3, failure);
                ps.setObject(4, id);
                ps.setArray(5, c.createArrayOf("text", from));
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            Outbox.insert(c, event);
            return true;
        });
    }

    /**
     * Starts the rollback of an ended release with its command's processed mark, in one transaction; false when the
     * command was seen before or the release is not (any more) completed or failed.
     */
    public boolean startRollback(UUID id, String commandId, String type) {
        return runStore.inTransaction("starting a release rollback", c -> {
            if (!RunStore.markProcessed(c, commandId, type)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".releases SET state = 'rolling-back', "
                    + "rollback_command_id = ?, finished_at = NULL, updated_at = now() WHERE id = ? AND state IN "
                    + "('completed', 'failed', 'cancelled')")) {
                ps.setString(1, commandId);
                ps.setObject(2, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Moves a release waiting for its manual cutover to {@code cutting-over} with its command's processed mark, in one
     * transaction; false when the command was seen before or the release is not waiting (any more).
     */
    public boolean requestCutover(UUID id, String commandId, String type) {
        return runStore.inTransaction("requesting a release cutover", c -> {
            if (!RunStore.markProcessed(c, commandId, type)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".releases SET state = "
                    + "'cutting-over', updated_at = now() WHERE id = ? AND state = 'ready-for-cutover'")) {
                ps.setObject(1, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Ends an active release {@code cancelled} (only before its cutover: accepted, expanding, ready-for-cutover) with its
     * command's processed mark and its event, in one transaction; false when the command was seen before or the
     * release could not be cancelled (nothing recorded then).
     */
    public boolean cancel(UUID id, String commandId, String type, String reason, OutboxEvent event) {
        return runStore.inTransaction("cancelling a release", c -> {
            if (!RunStore.markProcessed(c, commandId, type)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".releases SET state = "
                    + "'cancelled', failed_part = 'release', failure = ?, finished_at = now(), updated_at = now(), "
                    + "owner = NULL, lease_expires_at = NULL WHERE id = ? AND state IN ('accepted', 'expanding', "
                    + "'ready-for-cutover')")) {
                ps.setString(1, reason);
                ps.setObject(2, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            Outbox.insert(c, event);
            return true;
        });
    }

    /** The command that asked for the release's rollback, if one did. */
    public Optional<String> rollbackCommand(UUID id) {
        return runStore.queryList("reading a release", "SELECT rollback_command_id FROM " + RunStoreSchema.NAME + ".releases WHERE "
                + "id = ?", ps -> ps.setObject(1, id), rs -> rs.getString(1)).stream().filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private void touch(UUID id) {
        runStore.update("touching a release", "UPDATE " + RunStoreSchema.NAME + ".releases SET updated_at = now() WHERE id = ?",
                ps -> ps.setObject(1, id));
    }

    private static Release release(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp(9);
        return new Release((UUID) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
