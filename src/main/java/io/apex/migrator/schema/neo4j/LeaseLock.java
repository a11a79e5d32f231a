package io.apex.migrator.schema.neo4j;

import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.StoreLock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * The migration lock in the graph: one {@code :ApexMigrationLock} node (unique {@code name}) with an owner and
 * an expiry on the database clock. The holder renews the lease every third of it; a crashed holder stops
 * renewing and its lock expires, after which the next runner takes it over.
 *
 * <p>A lease can be lost by a holder that is alive: a process paused (GC, SIGSTOP, a suspended VM) longer than the
 * lease comes back to find another runner holding the lock. So the lock is fenced: {@link #confirm()} checks (and
 * renews) the lease on the server before every statement, and {@link #fence(Transaction)} checks it inside a data
 * transaction right before its commit, taking the lock node's write lock, so nobody can take the lock over between
 * that check and the commit. A runner that lost the lease fails with {@link SchemaException.LockLost}.
 */
final class LeaseLock implements StoreLock {

    private static final Logger LOGGER = Logger.getLogger(LeaseLock.class);
    static final String LABEL = "ApexMigrationLock";
    private static final String NAME = "schema";

    // Setting a property first takes the node's write lock, so the owner/expiry read below is the committed
    // state after any competing transaction: two runners cannot both see the lock free. If the holder released
    // (deleted) the node while we waited for its lock, we hold a deleted node whose owner reads as null: that
    // round is lost (coalesce to false) and the next poll MERGEs a fresh node.
    private static final String ACQUIRE = "MERGE (l:" + LABEL + " {name: $name}) SET l.claiming = true WITH l "
            + "WITH l, (l.owner IS NULL OR l.owner = $owner OR l.expires_at < datetime()) AS free "
            + "FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END | SET l.owner = $owner, "
            + "l.expires_at = datetime() + duration({milliseconds: $lease}), l.acquired_at = datetime()) "
            + "REMOVE l.claiming RETURN coalesce(l.owner = $owner, false) AS mine";

    /** Renews the lease only while it is this runner's and unexpired; counts the nodes renewed (0 or 1). */
    private static final String RENEW = "MATCH (l:" + LABEL + " {name: $name, owner: $owner}) "
            + "WHERE l.expires_at > datetime() "
            + "SET l.expires_at = datetime() + duration({milliseconds: $lease}) RETURN count(l) AS n";

    private final Driver driver;
    private final SessionConfig sessionConfig;
    private final Duration lease;
    private final String owner;
    private ScheduledExecutorService heartbeat;
    /** Why the heartbeat found the lease lost; null while it was not. */
    private volatile String lost;

    LeaseLock(Driver driver, SessionConfig sessionConfig, Duration lease, String runner) {
        this.driver = driver;
        this.sessionConfig = sessionConfig;
        this.lease = lease;
        this.owner = runner + " #" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public boolean tryAcquire() {
        ensureConstraint();
        boolean mine;
        try (var session = driver.session(sessionConfig)) {
            mine = session.executeWrite(tx -> tx.run(ACQUIRE, params()).single().get("mine").asBoolean());
        } catch (TransientException e) {
            return false; // a competing runner's transaction won this round
        }
        if (mine) {
            lost = null;
            startHeartbeat();
        }
        return mine;
    }

    @Override
    public void release() {
        stopHeartbeat();
        try (var session = driver.session(sessionConfig)) {
            session.executeWrite(tx -> tx.run("MATCH (l:" + LABEL + " {name: $name, owner: $owner}) DELETE l",
                    params()).consume());
        }
    }

    @Override
    public String holder() {
        try (var session = driver.session(sessionConfig)) {
            return session.executeRead(tx -> {
                var rs = tx.run("MATCH (l:" + LABEL + " {name: $name}) RETURN l.owner AS owner, "
                        + "toString(l.expires_at) AS expires", Map.of("name", NAME)).list();
                return rs.isEmpty() ? "nobody any more"
                        : rs.get(0).get("owner").asString() + ", lease until " + rs.get(0).get("expires").asString();
            });
        }
    }

    @Override
    public void confirm() {
        String reason = lost;
        if (reason == null) {
            try (var session = driver.session(sessionConfig)) {
                if (session.executeWrite(this::renewIn) == 0) {
                    reason = lostReason();
                }
            } catch (RuntimeException e) {
                throw new SchemaException.LockLost(Store.NEO4J, "its lease could not be confirmed: " + e.getMessage(), e);
            }
        }
        if (reason != null) {
            throw new SchemaException.LockLost(Store.NEO4J, reason, null);
        }
    }

    /**
     * The fence of a data transaction, run in it right before its commit: the lease must still be this runner's;
     * renewing it write-locks the lock node until the commit, so no other runner takes it over in between.
     */
    void fence(Transaction tx) {
        if (tx.run(RENEW, params()).single().get("n").asLong() == 0) {
            throw new SchemaException.LockLost(Store.NEO4J, lostReason(), null);
        }
    }

    private long renewIn(TransactionContext tx) {
        return tx.run(RENEW, params()).single().get("n").asLong();
    }

    private String lostReason() {
        String now = holder();
        return "the lease of " + owner + " ran out" + (now.startsWith(owner + ",")
                ? " (" + now.substring(owner.length() + 2) + "); any other runner may take it over"
                : "; the lock is now held by " + now);
    }

    String owner() {
        return owner;
    }

    /** Stops renewing without releasing: what a crashed runner leaves behind (used by tests). */
    void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
    }

    private void startHeartbeat() {
        stopHeartbeat();
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apex-neo4j-lock-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        try (var session = driver.session(sessionConfig)) {
            if (session.executeWrite(this::renewIn) == 0) {
                // The runner stops at its next statement (confirm); a lease once lost is never taken back silently.
                lost = lostReason();
                LOGGER.errorf("lost the Neo4j migration lock: %s; the migration stops before its next statement", lost);
            }
        } catch (RuntimeException e) {
            LOGGER.warnf("renewing the Neo4j migration lock failed (will retry): %s", e.getMessage());
        }
    }

    private void ensureConstraint() {
        try (var session = driver.session(sessionConfig)) {
            session.run("CREATE CONSTRAINT apex_migration_lock_name IF NOT EXISTS FOR (l:" + LABEL + ") "
                    + "REQUIRE l.name IS UNIQUE").consume();
        } catch (ClientException | TransientException e) {
            // Two runners creating it at the same moment: the other one's constraint serves us too.
            LOGGER.debugf("lock constraint creation raced: %s", e.getMessage());
        }
    }

    private Map<String, Object> params() {
        return Map.of("name", NAME, "owner", owner, "lease", lease.toMillis());
    }
}
