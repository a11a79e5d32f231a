package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.RunStoreDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run store's lifecycle pieces on a real PostgreSQL 15: a run's lease (taken once, woken, expired and taken over)
 * and the outbox (rows leave in order, each marked sent only once the sender returned; one that could not be sent
 * stays pending with its id).
 */
class LeasesAndOutboxIT {

    private static RunStoreDatabase db;
    private static RunStore runStore;

    @BeforeAll
    static void store() throws SQLException {
        // a database of its own: no relay of another test's application may send (and mark) these rows
        db = RunStoreDatabase.create("apex_lifecycle_");
        runStore = db.runStore();
    }

    @Test
    void aLeaseIsHeldByOneOwnerWakesItsHolderAndIsTakenOverOnceExpired() throws SQLException {
        // given
        Leases leases = new Leases(runStore);
        UUID run = insertRun("copying");

        // when / then: A takes it; B cannot, and asks A for another round instead
        assertThat(leases.acquire(Leases.Kind.RUN, run, "A", Duration.ofMinutes(1))).isTrue();
        assertThat(leases.acquire(Leases.Kind.RUN, run, "B", Duration.ofMinutes(1))).isFalse();
        assertThat(leases.wakeHolder(Leases.Kind.RUN, run, "B")).isTrue();
        assertThat(leases.release(Leases.Kind.RUN, run, "A")).as("woken: drive again first").isFalse();
        assertThat(leases.holds(Leases.Kind.RUN, run, "A")).isTrue();
        assertThat(leases.release(Leases.Kind.RUN, run, "A")).isTrue();
        assertThat(leases.unattended(Leases.Kind.RUN, 10_000, Duration.ofHours(1))).as("changed just now")
                .doesNotContain(run);
        assertThat(leases.unattended(Leases.Kind.RUN, 10_000, Duration.ZERO)).contains(run);

        // and: a lease that expired (its holder died and a minute went by: the expiry is moved back, not waited for)
        // is taken over by another owner
        assertThat(leases.acquire(Leases.Kind.RUN, run, "A", Duration.ofMinutes(1))).isTrue();
        assertThat(leases.unattended(Leases.Kind.RUN, 10_000, Duration.ZERO)).as("held, not expired")
                .doesNotContain(run);
        db.execute("UPDATE apex_migrator.runs SET lease_expires_at = lease_expires_at - interval '61 seconds' "
                + "WHERE id = '" + run + "'");
        assertThat(leases.unattended(Leases.Kind.RUN, 10_000, Duration.ZERO)).contains(run);
        assertThat(leases.acquire(Leases.Kind.RUN, run, "B", Duration.ofMinutes(1))).isTrue();
        assertThat(leases.renew(Leases.Kind.RUN, List.of(run), "A", Duration.ofMinutes(1))).isZero();
        assertThat(leases.renew(Leases.Kind.RUN, List.of(run), "B", Duration.ofMinutes(1))).isEqualTo(1);

        // and: a run that ended cannot be leased
        db.execute("UPDATE apex_migrator.runs SET state = 'completed' WHERE id = '" + run + "'");
        assertThat(leases.acquire(Leases.Kind.RUN, run, "C", Duration.ofMinutes(1))).isFalse();
        assertThat(leases.unattended(Leases.Kind.RUN, 10_000, Duration.ZERO)).doesNotContain(run);
    }

    @Test
    void theOutboxSendsInOrderMarksOnlyWhatWasSentAndKeepsAFailedEventWithItsId() throws SQLException {
        // given: anything left pending by other tests is sent first
        Outbox outbox = new Outbox(runStore);
        drain(outbox);
        UUID run = UUID.randomUUID();
        List<OutboxEvent> recorded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recorded.add(new OutboxEvent(UUID.randomUUID(), run, "c-" + run, "migration-copied", null,
                    "{\"n\":" + i + "}"));
        }
        assertThat(outbox.record(recorded)).containsExactly(true, true, true);

        // when: the sender fails on the second event
        List<UUID> sent = new ArrayList<>();
        Outbox.Round first = outbox.relay(100, e -> {
            if (e.id().equals(recorded.get(1).id())) {
                throw new IllegalStateException("Kafka did not acknowledge within 30 s");
            }
            sent.add(e.id());
        });

        // then: the first went, the second and third stay pending
        assertThat(first.failure()).hasMessageContaining("did not acknowledge");
        assertThat(sent).containsExactly(recorded.get(0).id());
        assertThat(outbox.pendingCount()).isEqualTo(2);

        // when: Kafka is back
        Outbox.Round second = outbox.relay(100, e -> sent.add(e.id()));

        // then: the rest leave in the order they were recorded, with their ids
        assertThat(second.failure()).isNull();
        assertThat(sent).containsExactly(recorded.get(0).id(), recorded.get(1).id(), recorded.get(2).id());
        assertThat(outbox.pendingCount()).isZero();
    }

    @Test
    void aOnceKeyedEventIsRecordedOncePerRun() {
        Outbox outbox = new Outbox(runStore);
        UUID run = UUID.randomUUID();
        OutboxEvent a = new OutboxEvent(UUID.randomUUID(), run, "c", "schema-ready", run + "/schema-ready", "{}");
        OutboxEvent b = new OutboxEvent(UUID.randomUUID(), run, "c", "schema-ready", run + "/schema-ready", "{}");

        assertThat(outbox.record(List.of(a))).containsExactly(true);
        assertThat(outbox.record(List.of(b))).containsExactly(false);
    }

    private static void drain(Outbox outbox) {
        while (outbox.relay(1_000, e -> { }).more()) {
            // next round
        }
    }

    @Test
    void activeRunsAreTheRunsNotEndedNewestFirstWhateverTheirAge() throws SQLException {
        // given: an active run older than ended ones, each ended state, and a newer active run
        UUID old = insertRun("copying");
        List<UUID> ended = new ArrayList<>();
        for (String state : List.of("completed", "failed", "cancelled")) {
            ended.add(insertRun(state));
        }
        UUID recent = insertRun("verifying");
        db.execute("UPDATE apex_migrator.runs SET created_at = now() - interval '1 day' WHERE id = '" + old + "'");

        // when
        List<UUID> active = runStore.activeRuns(200).stream().map(Run::id).toList();

        // then: the ended ones are not read; the old active one is, after the newer
        assertThat(active).doesNotContainAnyElementsOf(ended);
        assertThat(active).containsSubsequence(recent, old);
        assertThat(runStore.activeRuns(1)).hasSize(1);
    }

    private static UUID insertRun(String state) throws SQLException {
        UUID id = UUID.randomUUID();
        db.execute("INSERT INTO apex_migrator.runs (id, command_id, source, target, batch_size, command, state) VALUES ('"
                + id + "', 'c-" + id + "', 'src_" + id + "', 'dst_" + id + "', 100, '{}', '" + state + "')");
        return id;
    }
}
