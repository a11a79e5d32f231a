package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/**
 * Schema commands as durable jobs (table {@code schema_jobs}): a job is written with its command's processed mark in
 * one transaction, run under a lease ({@link Leases.Kind#SCHEMA_JOB}) by any replica, and finished together with the
 * event that reports it. A job whose replica died is run again by another (the engines are idempotent: applied
 * versions are skipped, an INVALID index is rebuilt).
 */
@ApplicationScoped
public class SchemaJobs {

    private final RunStore runStore;

    @Inject
    public SchemaJobs(RunStore runStore) {
        this.runStore = runStore;
    }

    /** A job as stored. */
    public record Job(String commandId, String type, String commandJson, String state, int attempts) {
    }

    /** Records the job of a command (and the command as processed); false when the command was seen before. */
    public boolean create(String commandId, String type, String commandJson) {
        return runStore.inTransaction("recording a schema job", c -> {
            if (!RunStore.markProcessed(c, commandId, type)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".schema_jobs (command_id, type, "
                    + "command) VALUES (?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
                ps.setString(1, commandId);
                ps.setString(2, type);
                ps.setString(3, commandJson);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public Optional<Job> find(String commandId) {
        return runStore.queryList("reading a schema job", "SELECT command_id, type, command::text, state, attempts FROM "
                + RunStoreSchema.NAME + ".schema_jobs WHERE command_id = ?", ps -> ps.setString(1, commandId),
                rs -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .stream().findFirst();
    }

    /** Marks the job started once more (how many times a job was begun shows its takeovers). */
    public void begin(String commandId) {
        runStore.update("starting a schema job", "UPDATE " + RunStoreSchema.NAME + ".schema_jobs SET state = 'running', "
                + "attempts = attempts + 1 WHERE command_id = ? AND state IN ('pending', 'running')",
                ps -> ps.setString(1, commandId));
    }

    /** Ends the job ({@code done} or {@code failed}) and records its event, in one transaction; false if it had ended. */
    public boolean finish(String commandId, String state, OutboxEvent event) {
        return runStore.inTransaction("finishing a schema job", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".schema_jobs SET state = ?, "
                    + "finished_at = now(), owner = NULL, lease_expires_at = NULL WHERE command_id = ? "
                    + "AND state IN ('pending', 'running')")) {
                ps.setString(1, state);
                ps.setString(2, commandId);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            Outbox.insert(c, event);
            return true;
        });
    }

    /** Ids of jobs that have not ended. */
    public List<String> open() {
        return runStore.queryList("listing open schema jobs", "SELECT command_id FROM " + RunStoreSchema.NAME + ".schema_jobs WHERE "
                + "state IN ('pending', 'running') ORDER BY created_at", ps -> { }, rs -> rs.getString(1));
    }
}
