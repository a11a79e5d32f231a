package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.RunStoreDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction of the run store that PostgreSQL rolls back as a deadlock victim is run again, on a real
 * PostgreSQL 15: two transactions lock two rows in opposite orders, so the server must pick one of them to abort.
 */
class RunStoreConflictsIT {

    private static RunStoreDatabase db;

    @BeforeAll
    static void store() throws SQLException {
        db = RunStoreDatabase.create("apex_conflicts_");
        db.execute("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)");
        db.execute("INSERT INTO counters VALUES (1, 0), (2, 0)");
    }

    @Test
    void theDeadlockVictimIsRetriedAndBothTransactionsTakeEffectOnce() throws Exception {
        // given: each transaction locks its first row, then waits until the other one holds its own first row
        CountDownLatch oneLocked = new CountDownLatch(1);
        CountDownLatch twoLocked = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();

        // when: each then asks for the row the other holds
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> db.runStore().inTransaction("one then two",
                c -> incrementBoth(c, 1, 2, oneLocked, twoLocked, attempts)));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> db.runStore().inTransaction("two then one",
                c -> incrementBoth(c, 2, 1, twoLocked, oneLocked, attempts)));
        CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);

        // then: one of them was aborted as the victim and ran again; each incremented both rows once
        assertThat(attempts).as("transaction attempts (two, plus the victim's second one)").hasValue(3);
        assertThat(counters()).containsExactly(2, 2);
    }

    private static Void incrementBoth(Connection c, int firstRow, int secondRow, CountDownLatch mine,
            CountDownLatch theirs, AtomicInteger attempts) throws SQLException {
        attempts.incrementAndGet();
        increment(c, firstRow);
        mine.countDown();
        try {
            // on the victim's second attempt both latches are open already
            assertThat(theirs.await(30, TimeUnit.SECONDS)).as("the other transaction locked its first row").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        increment(c, secondRow);
        return null;
    }

    private static void increment(Connection c, int row) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + row);
        }
    }

    private static List<Integer> counters() throws SQLException {
        return db.runStore().queryList("reading the counters", "SELECT n FROM counters ORDER BY id", ps -> { },
                rs -> rs.getInt(1));
    }
}
