package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.state.RunStoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunStoreHoldTest {

    @Test
    void aMessageIsHeldWhileTheRunStoreCannotBeReachedAndHandledOnceItAnswers() {
        // given: the store is unreachable for three rounds
        AtomicInteger rounds = new AtomicInteger();

        // when
        RunStoreHold.untilStored("progress", Duration.ofMillis(10), () -> {
            if (rounds.incrementAndGet() <= 3) {
                throw new RunStoreException("applying progress", new SQLException("Connection refused", "08001"));
            }
        });

        // then
        assertThat(rounds).hasValue(4);
    }

    @Test
    void aRunStoreErrorThatIsNotAboutReachingItIsNotHeld() {
        // given
        AtomicInteger rounds = new AtomicInteger();

        // when / then
        assertThatThrownBy(() -> RunStoreHold.untilStored("progress", Duration.ofMillis(10), () -> {
            rounds.incrementAndGet();
            throw new RunStoreException("applying progress", new SQLException("value too long", "22001"));
        })).isInstanceOf(RunStoreException.class);
        assertThat(rounds).hasValue(1);
    }

    @Test
    void aCommandIsHeldWhileKafkaHasNotAcknowledgedItsRejectionAndHandledOnceItHas() {
        // given: Kafka does not answer for two rounds
        AtomicInteger rounds = new AtomicInteger();

        // when
        RunStoreHold.untilStored("command", Duration.ofMillis(10), () -> {
            if (rounds.incrementAndGet() <= 2) {
                throw new PipelineException.Unpublished("the rejection of command c-1", true, null);
            }
        });

        // then
        assertThat(rounds).hasValue(3);
    }

    @Test
    void aRejectionKafkaRefusesForGoodIsNotHeld() {
        // given
        AtomicInteger rounds = new AtomicInteger();

        // when / then: the consumer's failure strategy takes the record (dead-letter topic)
        assertThatThrownBy(() -> RunStoreHold.untilStored("command", Duration.ofMillis(10), () -> {
            rounds.incrementAndGet();
            throw new PipelineException.Unpublished("the rejection of command c-1", false,
                    new IllegalArgumentException("record too large"));
        })).isInstanceOf(PipelineException.Unpublished.class);
        assertThat(rounds).hasValue(1);
    }
}
