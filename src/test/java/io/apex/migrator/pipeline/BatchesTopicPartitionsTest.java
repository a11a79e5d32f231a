package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchesTopicPartitionsTest {

    private static final int CONFIGURED = 12;

    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger describes = new AtomicInteger();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(BatchesTopicPartitions.class.getName());

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void theTopicsDescribedCountIsUsedNotTheConfiguredOne() {
        // given
        BatchesTopicPartitions partitions = over(topic -> 24);

        // when
        int current = partitions.current();

        // then
        assertThat(current).isEqualTo(24);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theCountIsAskedAgainOnlyOnceItIsNoLongerFresh() {
        // given: 24 partitions described, then 32 after an operator added some
        AtomicInteger described = new AtomicInteger(24);
        BatchesTopicPartitions partitions = over(topic -> described.get());
        partitions.current();
        described.set(32);

        // when
        clock.addAndGet(BatchesTopicPartitions.FRESH_FOR.toNanos() - 1);
        int stillFresh = partitions.current();
        clock.addAndGet(1);
        int asked = partitions.current();

        // then
        assertThat(stillFresh).isEqualTo(24);
        assertThat(asked).isEqualTo(32);
        assertThat(describes).hasValue(2);
    }

    @Test
    void aTopicThatCannotBeDescribedFallsBackToTheConfiguredCountWithOneWarning() {
        // given
        BatchesTopicPartitions partitions = over(topic -> {
            throw new UnknownTopicOrPartitionException("no such topic");
        });

        // when: asked again and again, also after the answer went stale
        int first = partitions.current();
        partitions.current();
        clock.addAndGet(BatchesTopicPartitions.FRESH_FOR.toNanos());
        int later = partitions.current();

        // then
        assertThat(first).isEqualTo(CONFIGURED);
        assertThat(later).isEqualTo(CONFIGURED);
        assertThat(describes).hasValue(2);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void aDescriptionThatSucceedsAgainReplacesTheFallbackAndALaterFailureWarnsAgain() {
        // given: a failure, then a success, then a failure
        AtomicInteger call = new AtomicInteger();
        BatchesTopicPartitions partitions = over(topic -> {
            if (call.incrementAndGet() == 2) {
                return 16;
            }
            throw new IllegalStateException("broker down");
        });

        // when
        int failed = partitions.current();
        clock.addAndGet(BatchesTopicPartitions.FRESH_FOR.toNanos());
        int recovered = partitions.current();
        clock.addAndGet(BatchesTopicPartitions.FRESH_FOR.toNanos());
        int failedAgain = partitions.current();

        // then
        assertThat(List.of(failed, recovered, failedAgain)).containsExactly(CONFIGURED, 16, CONFIGURED);
        assertThat(warnings).hasSize(2);
    }

    @Test
    void aDescriptionOfNoPartitionsCountsAsAFailure() {
        assertThat(over(topic -> 0).current()).isEqualTo(CONFIGURED);
        assertThat(warnings).hasSize(1);
    }

    private BatchesTopicPartitions over(BatchesTopicPartitions.Describer describer) {
        return new BatchesTopicPartitions("apex.batches", CONFIGURED, topic -> {
            describes.incrementAndGet();
            return describer.partitions(topic);
        }, clock::get);
    }
}
