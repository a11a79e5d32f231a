package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.support.RunStoreDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A manual cutover request on a real PostgreSQL 15: recorded with its command only while the run waits in
 * ready-for-cutover, decided on the state read under the run's lock; in any other state, also one the run reached
 * after its caller read ready-for-cutover, refused naming that state, with neither the request nor the command's
 * processed mark left behind.
 */
class CutoverRequestIT {

    private static final String CUTOVER = "qdrant.cutover";

    private static RunStoreDatabase db;
    private static RunStore runStore;
    private static VerificationStore verifications;

    @BeforeAll
    static void store() throws SQLException {
        db = RunStoreDatabase.create("apex_cutover_request_");
        runStore = db.runStore();
        verifications = new VerificationStore(runStore);
    }

    @Test
    void aRequestForARunWaitingInReadyForCutoverIsRecordedWithItsCommandAndTheSameCommandAgainIsSeenBefore()
            throws SQLException {
        // given
        UUID run = runIn(RunState.READY_FOR_CUTOVER);
        String command = "cut-" + UUID.randomUUID();

        // when
        CutoverRequest first = verifications.requestCutover(run, command, CUTOVER);
        CutoverRequest again = verifications.requestCutover(run, command, CUTOVER);

        // then
        assertThat(first.outcome()).isEqualTo(CutoverRequest.Outcome.RECORDED);
        assertThat(again.outcome()).isEqualTo(CutoverRequest.Outcome.SEEN_BEFORE);
        assertThat(verifications.cutoverRequested(run)).as("cutover requested").isTrue();
        assertThat(runStore.commandSeen(command)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RunState.class, names = "READY_FOR_CUTOVER", mode = EnumSource.Mode.EXCLUDE)
    void aRequestForARunInAnyOtherStateIsRefusedNamingItAndLeavesNeitherTheRequestNorTheCommand(RunState state)
            throws SQLException {
        // given
        UUID run = runIn(state);
        Timestamp updatedBefore = updatedAt(run);
        String command = "cut-" + UUID.randomUUID();

        // when
        CutoverRequest request = verifications.requestCutover(run, command, CUTOVER);

        // then
        assertThat(request.outcome()).isEqualTo(CutoverRequest.Outcome.REFUSED);
        assertThat(request.stateRead()).isEqualTo(state);
        assertThat(CutoverRequest.notWaiting(run, request.stateRead()))
                .isEqualTo("run " + run + " is " + state.db() + ", not ready-for-cutover");
        assertThat(verifications.cutoverRequested(run)).as("cutover requested").isFalse();
        assertThat(runStore.commandSeen(command)).as("command marked processed").isFalse();
        assertThat(updatedAt(run)).as("the run's updated_at").isEqualTo(updatedBefore);
    }

    @Test
    void aRunThatLeavesReadyForCutoverWhileTheRequestWaitsForItsRowIsRefusedNamingTheStateItMovedTo()
            throws Exception {
        // given: the caller read the run waiting for its cutover ...
        UUID run = runIn(RunState.READY_FOR_CUTOVER);
        assertThat(runStore.findRun(run).orElseThrow().state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        String command = "cut-" + UUID.randomUUID();
        try (Connection mover = db.dataSource().getConnection()) {
            // ... and before its request reaches the row, another transaction moves the run on (not committed yet)
            mover.setAutoCommit(false);
            try (Statement s = mover.createStatement()) {
                assertThat(s.executeUpdate("UPDATE apex_migrator.runs SET state = 'cancelled' WHERE id = '" + run
                        + "'")).isOne();
            }

            // when: the request is made while that transaction holds the row, which then commits
            CompletableFuture<CutoverRequest> request = CompletableFuture.supplyAsync(
                    () -> verifications.requestCutover(run, command, CUTOVER));
            await().atMost(Duration.ofSeconds(30)).until(CutoverRequestIT::aSessionWaitsForALock);
            assertThat(request).as("the request while the row is held").isNotDone();
            mover.commit();

            // then: refused naming the state the run moved to; nothing recorded
            CutoverRequest refused = request.get();
            assertThat(refused.outcome()).isEqualTo(CutoverRequest.Outcome.REFUSED);
            assertThat(refused.stateRead()).isEqualTo(RunState.CANCELLED);
        }
        assertThat(verifications.cutoverRequested(run)).as("cutover requested").isFalse();
        assertThat(runStore.commandSeen(command)).as("command marked processed").isFalse();
    }

    private static UUID runIn(RunState state) throws SQLException {
        UUID run = UUID.randomUUID();
        db.execute("INSERT INTO apex_migrator.runs (id, command_id, source, target, batch_size, command, state, "
                + "updated_at) VALUES ('" + run + "', 'c-" + run + "', 'src', 'dst_" + run + "', 100, '{}', '" + state.db()
                + "', now() - interval '1 hour')");
        return run;
    }

    private static Timestamp updatedAt(UUID run) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT updated_at FROM apex_migrator.runs WHERE id = '" + run + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getTimestamp(1);
        }
    }

    private static boolean aSessionWaitsForALock() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        + "current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
