package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunStoreRetryTest {

    @Test
    void connectionFailuresAreWaitedOutAndTheCallSucceedsOnceTheStoreIsBack() {
        // given: the store refuses connections twice, then answers
        AtomicInteger calls = new AtomicInteger();
        RunStoreRetry retry = new RunStoreRetry(Duration.ofSeconds(10));

        // when
        String result = retry.call("reading a run", () -> {
            if (calls.incrementAndGet() <= 2) {
                throw new RunStoreException("reading a run", new SQLException("Connection refused", "08001"));
            }
            return "run";
        });

        // then
        assertThat(result).isEqualTo("run");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aSqlErrorThatIsNotAboutReachingTheStoreFailsAtOnce() {
        // given
        AtomicInteger calls = new AtomicInteger();
        RunStoreRetry retry = new RunStoreRetry(Duration.ofSeconds(10));

        // when / then
        assertThatThrownBy(() -> retry.call("saving the plan", () -> {
            calls.incrementAndGet();
            throw new RunStoreException("saving the plan", new SQLException("duplicate key", "23505"));
        })).isInstanceOf(RunStoreException.class).hasMessageContaining("duplicate key");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aStoreAwayLongerThanThePatienceFailsNamingHowLongItWasAway() {
        // given
        RunStoreRetry retry = new RunStoreRetry(Duration.ofMillis(700));

        // when / then
        assertThatThrownBy(() -> retry.call("applying progress", () -> {
            throw new RunStoreException("applying progress", new SQLException("terminating connection due to "
                    + "administrator command", "57P01"));
        })).isInstanceOf(RunStoreException.class).hasMessageContaining("applying progress (store away for")
                .hasMessageContaining("attempts");
    }

    @Test
    void connectionClassesAreRecognisedThroughTheCauseChain() {
        assertThat(RunStoreRetry.unreachable(new RunStoreException("x", new SQLException("io", "08006")))).isTrue();
        assertThat(RunStoreRetry.unreachable(new RunStoreException("x", new SQLTransientConnectionException("pool"))))
                .isTrue();
        assertThat(RunStoreRetry.unreachable(new RunStoreException("x",
                new SQLException("Sorry, acquisition timeout!")))).isTrue();
        assertThat(RunStoreRetry.unreachable(new RunStoreException("x", new SQLException("syntax", "42601"))))
                .isFalse();
    }

    @Test
    void aDeadlockVictimAndASerializationFailureAreRetriedAndOtherConstraintsAreNot() {
        assertThat(RunStoreRetry.transientFailure(new RunStoreException("x", new SQLException("deadlock detected",
                "40P01")))).isTrue();
        assertThat(RunStoreRetry.transientFailure(new RunStoreException("x", new SQLException("could not serialize "
                + "access due to concurrent update", "40001")))).isTrue();
        assertThat(RunStoreRetry.transientFailure(new RunStoreException("x", new SQLException("connection refused",
                "08001")))).isTrue();
        assertThat(RunStoreRetry.transientFailure(new RunStoreException("x", new SQLException("duplicate key",
                "23505")))).isFalse();
        assertThat(RunStoreRetry.transientFailure(new RunStoreException("x", new SQLException("check violation",
                "23514")))).isFalse();
    }

    @Test
    void aDeadlockVictimsTransactionRunsAgainUntilItGoesThrough() {
        // given: the transaction is chosen as the deadlock victim once
        AtomicInteger calls = new AtomicInteger();
        RunStoreRetry retry = new RunStoreRetry(Duration.ofSeconds(10));

        // when
        String result = retry.call("marking ranges done", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new RunStoreException("marking ranges done", new SQLException("deadlock detected", "40P01"));
            }
            return "done";
        });

        // then
        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(2);
    }
}
