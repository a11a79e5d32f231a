package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RangeMessagesTest {

    private static final String RUN = UUID.randomUUID().toString();

    @Test
    void smallRangesTravelSeveralToAMessageInOrderUpToThePointsOfAMessage() {
        // 100 ranges of 256 points, 1,000 points a message: 4 ranges (1,024 points) a message
        List<BatchTask> messages = RangeMessages.pack(ranges(100), 256, 1000, 12);

        assertThat(messages).hasSize(25);
        assertThat(messages.stream().flatMap(m -> m.ranges().stream()).map(BatchTask::batchIndex))
                .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        assertThat(messages.get(1).ranges()).extracting(BatchTask::batchIndex).containsExactly(4, 5, 6, 7);
    }

    @Test
    void rangesAsLargeAsAMessageOrASettingOfZeroKeepOneRangeAMessage() {
        List<BatchTask> tasks = ranges(100);
        assertThat(RangeMessages.pack(tasks, 1000, 1000, 12)).isEqualTo(tasks);
        assertThat(RangeMessages.pack(tasks, 256, 0, 12)).isEqualTo(tasks);
    }

    @Test
    void aRunNeverHasFewerMessagesThanTheTopicHasPartitions() {
        // 30 ranges of 100 points would be 10 a message (3 messages) for 12 partitions: 2 a message (15 messages)
        List<BatchTask> messages = RangeMessages.pack(ranges(30), 100, 1000, 12);
        assertThat(messages).hasSize(15).allSatisfy(m -> assertThat(m.ranges()).hasSize(2));
        // fewer ranges than partitions: one range a message
        assertThat(RangeMessages.pack(ranges(5), 100, 1000, 12)).hasSize(5);
    }

    @Test
    void aMessageCarriesRangesOfOnePassOnly() {
        List<BatchTask> tasks = List.of(verify(0, 1), verify(1, 1), verify(2, 2), verify(3, 2), verify(4, 2));
        List<BatchTask> messages = RangeMessages.pack(tasks, 100, 1000, 1);
        assertThat(messages).extracting(m -> m.ranges().size()).containsExactly(2, 3);
        assertThat(messages).extracting(BatchTask::pass).containsExactly(1, 2);
    }

    @Test
    void aMessageNeverCarriesMoreThanTheMessageFormatAllows() {
        assertThat(RangeMessages.rangesPerMessage(100_000, 1, 1_000_000, 1)).isEqualTo(BatchTask.MAX_RANGES);
    }

    private static List<BatchTask> ranges(int count) {
        return IntStream.range(0, count).mapToObj(i -> new BatchTask(RUN, i, BatchKind.COPY, "a", "b",
                new PointRange(PointKey.parse(String.valueOf(i * 10)), PointKey.parse(String.valueOf(i * 10 + 10))), 64))
                .toList();
    }

    private static BatchTask verify(int index, int pass) {
        return new BatchTask(RUN, index, BatchKind.VERIFY, "a", "b", new PointRange(PointKey.parse("0"), null), 64, pass);
    }
}
